import { readdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { localFileIO, toLocalPath, type FileIO } from "./fileIO.ts";
import { loadTable } from "./loadTable.ts";
import { readManifestEntries, readManifestList } from "./scanTable.ts";
import type { SqlCatalog } from "./SqlCatalog.ts";

export interface OrphanFile {
  path: string;
  /** `<namespace>.<table>` whose location holds the file. */
  table: string;
  bytes: number;
  mtimeMs: number;
}

/**
 * Every file a table's metadata reaches, as local paths: the current metadata.json and the
 * ones in its metadata-log, and for every snapshot its manifest list, manifests and data
 * files (deleted entries too: older snapshots still read them).
 */
export async function referencedFiles(
  catalog: SqlCatalog,
  namespace: string,
  table: string,
  io: FileIO = localFileIO,
): Promise<{ root: string; files: Set<string> }> {
  const { metadata, metadataLocation } = await loadTable(catalog, io, namespace, table);
  const files = new Set<string>([toLocalPath(metadataLocation)]);
  for (const m of metadata["metadata-log"] ?? []) files.add(toLocalPath(m["metadata-file"]));
  const seenManifests = new Set<string>();
  for (const s of metadata.snapshots) {
    files.add(toLocalPath(s["manifest-list"]));
    for (const m of await readManifestList(io, s)) {
      const path = toLocalPath(m.manifest_path);
      files.add(path);
      if (seenManifests.has(path)) continue;
      seenManifests.add(path);
      for (const e of await readManifestEntries(io, m))
        files.add(toLocalPath(e.data_file.file_path));
    }
  }
  return { root: toLocalPath(metadata.location), files };
}

function* walk(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(path);
    else if (e.isFile()) yield path;
  }
}

/** Hadoop's checksum sibling `.name.crc` (Spark's local writes) belongs to `name`. */
function checksumOf(path: string): string | null {
  const name = basename(path);
  return name.startsWith(".") && name.endsWith(".crc")
    ? join(dirname(path), name.slice(1, -4))
    : null;
}

/**
 * Files under the catalog's table locations that no metadata references (referencedFiles)
 * and that were last modified before `olderThanMs` ago, like Iceberg's remove-orphan-files:
 * the grace period keeps the files of a commit in progress. Reads only; the caller deletes.
 */
export async function findOrphanFiles(
  catalog: SqlCatalog,
  options: { olderThanMs: number; now?: number; io?: FileIO },
): Promise<OrphanFile[]> {
  const now = options.now ?? Date.now();
  const orphans: OrphanFile[] = [];
  for (const t of catalog.listTables()) {
    const { root, files } = await referencedFiles(catalog, t.namespace, t.name, options.io);
    for (const path of walk(root)) {
      if (files.has(path)) continue;
      const base = checksumOf(path);
      if (base !== null && files.has(base)) continue;
      const st = statSync(path);
      if (now - st.mtimeMs < options.olderThanMs) continue;
      orphans.push({
        path,
        table: `${t.namespace}.${t.name}`,
        bytes: st.size,
        mtimeMs: st.mtimeMs,
      });
    }
  }
  return orphans;
}
