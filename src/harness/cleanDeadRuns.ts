import { existsSync, rmSync } from "node:fs";
import { join, sep } from "node:path";
import { toLocalPath } from "../iceberg/fileIO.ts";
import { referencedFiles } from "../iceberg/findOrphanFiles.ts";
import { readJournal } from "../iceberg/journaledFileIO.ts";
import { SqlCatalog } from "../iceberg/SqlCatalog.ts";
import { findDeadRunDirs, removeQuietly } from "../profile/runOwner.ts";

/** Name of the commit journal inside a run's staging folder (runPipeline, journaledFileIO). */
const COMMIT_JOURNAL = "commit.journal";

/** A staging folder without an owner file is only removed after this long untouched. */
const NO_OWNER_GRACE_MS = 3_600_000;

/**
 * Removes what runs that died left in the warehouse: their `.staging/<ns>-<uuid>` folders
 * and, from their commit journal, the files they had moved or written into tables that no
 * metadata references (a kill between writing and the catalog swap). Files a committed
 * snapshot references stay. Returns one line per thing removed, for the log.
 */
export async function cleanDeadRuns(warehouse: string): Promise<string[]> {
  const done: string[] = [];
  const staging = join(warehouse, ".staging");
  const dead = findDeadRunDirs(staging, NO_OWNER_GRACE_MS);
  if (dead.length === 0) return done;
  const journaled = dead.flatMap((d) => readJournal(join(d.path, COMMIT_JOURNAL)));
  done.push(...(await removeUnreferenced(warehouse, journaled)));
  for (const d of dead) {
    if (removeQuietly(d.path)) done.push(`removed ${d.path} (${d.reason})`);
  }
  return done;
}

/**
 * Deletes the journaled locations (journaledFileIO) that no table's metadata references: what
 * a commit that did not complete left in the tables. Returns one line per file removed.
 */
export async function removeUnreferenced(
  warehouse: string,
  locations: string[],
): Promise<string[]> {
  const done: string[] = [];
  const journaled = locations.map(toLocalPath);
  if (journaled.length === 0) return done;
  const referenced = new Set<string>();
  if (existsSync(join(warehouse, "catalog.db"))) {
    const catalog = new SqlCatalog(warehouse);
    try {
      for (const t of catalog.listTables()) {
        const { root, files } = await referencedFiles(catalog, t.namespace, t.name);
        if (!journaled.some((p) => p.startsWith(root + sep))) continue;
        for (const f of files) referenced.add(f);
      }
    } finally {
      catalog.close();
    }
  }
  for (const path of journaled) {
    if (referenced.has(path) || !existsSync(path)) continue;
    rmSync(path, { force: true });
    done.push(`removed ${path} (written by a commit that did not complete)`);
  }
  return done;
}
