import { randomUUID } from "node:crypto";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ensureTable, prepareCommit, type PreparedCommit } from "./commitTable.ts";
import { CommitConflictError } from "./errors.ts";
import { dataFileFromFooter, readFooters } from "./dataFileStats.ts";
import { localFileIO, toFileUri, type FileIO } from "./fileIO.ts";
import { loadTable } from "./loadTable.ts";
import { SqlCatalog } from "./SqlCatalog.ts";
import type { StagedTable } from "./tableDef.ts";
import type { DataFile } from "./types.ts";

export interface CommitStagedTablesArgs {
  warehouse: string;
  namespace: string;
  mode: "overwrite" | "append";
  /** Each table's definition (columns, field ids, partition spec) with its staged files. */
  tables: readonly StagedTable[];
  properties?: Record<string, string>;
  /** Extra entries of every new snapshot's summary (e.g. etl.input-fingerprint). */
  snapshotProperties?: Record<string, string>;
}

export interface CommittedTable {
  table: string;
  snapshotId: string;
  metadataLocation: string;
  addedFiles: number;
  addedRecords: number;
}

/** Wall time of each step, for the commit-cost measurement (ms). */
export interface CommitTimings {
  footersMs: number;
  moveMs: number;
  commitMs: number;
}

function dayText(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Commits each staged table as one Iceberg v2 snapshot in the SQL catalog at
 * `<warehouse>/catalog.db`, creating the namespace and tables when absent. Per table:
 * prepare (read Parquet footers -> DataFile stats, refusing files whose counts or partition
 * disagree with what the engine staged), move the files under `<table>/data/`, then stage and
 * stage one snapshot (append or whole-table overwrite) with its metadata file. Then the
 * catalog swaps every table's metadata pointer in ONE transaction (SqlCatalog
 * swapMetadataLocations): a reader sees all the tables of the previous commit or all of this
 * one. A crash before that transaction leaves every table as it was, plus files no metadata
 * references (the caller's journal or `etl orphans` finds them). A lost race restages every
 * table for an append (up to 5 attempts) and fails for an overwrite.
 */
export async function commitStagedTables(
  args: CommitStagedTablesArgs,
  options: {
    io?: FileIO;
    timings?: CommitTimings;
    /** Test hook: runs after every table's snapshot is staged, before the one swap. */
    beforeSwap?: (tables: readonly string[]) => Promise<void>;
    /**
     * Named points of the commit (`ensure:<table>`, `footers:<table>`, `moved-first:<table>`,
     * `moved:<table>`, `manifests:<table>`, `staged:<table>`, `swap`, `swapped`), awaited as
     * they pass: the crash
     * test pauses there to kill the process (docs/hardening.md).
     */
    onPoint?: (point: string) => Promise<void>;
    maxAttempts?: number;
  } = {},
): Promise<CommittedTable[]> {
  const io = options.io ?? localFileIO;
  const warehouse = resolve(args.warehouse);
  const catalog = new SqlCatalog(warehouse);
  const timings = options.timings ?? { footersMs: 0, moveMs: 0, commitMs: 0 };
  const results: CommittedTable[] = [];
  const point = options.onPoint ?? (async () => {});
  const ready: { name: string; dataFiles: DataFile[] }[] = [];
  try {
    for (const staged of args.tables) {
      const def = staged.table;
      let t0 = performance.now();
      await ensureTable({
        catalog,
        io,
        namespace: args.namespace,
        table: def,
        location: `${toFileUri(warehouse)}/${args.namespace}/${def.name}`,
        properties: args.properties,
      });
      await point(`ensure:${def.name}`);
      const { metadata } = await loadTable(catalog, io, args.namespace, def.name);
      const paths = staged.files.map((f) => resolve(f.path));
      const sizes: number[] = [];
      for (const path of paths) {
        const st = await stat(path).catch(() => {
          throw new Error(`staged file ${path} of ${def.name} is missing; re-run the engine`);
        });
        sizes.push(st.size);
      }
      const footers = await readFooters(paths);
      const batch = randomUUID();
      const dataFiles: DataFile[] = [];
      for (const [i, f] of staged.files.entries()) {
        const path = paths[i]!;
        const df = dataFileFromFooter({
          table: def,
          location: "",
          sourcePath: path,
          sizeBytes: sizes[i]!,
          chunks: footers.get(path) ?? [],
          partitionDay: def.partition.length > 0 ? f.partitionDay : null,
        });
        if (Number(df.record_count) !== f.recordCount) {
          throw new Error(
            `${path}: footer has ${df.record_count} rows but the engine staged ${f.recordCount}`,
          );
        }
        // Hive-style folders like Spark's, from the partition value the stats confirmed.
        const partDir = def.partition
          .map((p) => {
            const day = df.partition[p.name];
            return `${p.name}=${day === null || day === undefined ? "null" : dayText(day)}`;
          })
          .join("/");
        const name = `${batch}-${String(i).padStart(5, "0")}.parquet`;
        df.file_path = `${metadata.location}/data/${partDir ? `${partDir}/` : ""}${name}`;
        dataFiles.push(df);
      }
      timings.footersMs += performance.now() - t0;
      await point(`footers:${def.name}`);
      t0 = performance.now();
      for (const [i, df] of dataFiles.entries()) {
        await io.moveIn(paths[i]!, df.file_path);
        if (i === 0 && dataFiles.length > 1) await point(`moved-first:${def.name}`);
      }
      timings.moveMs += performance.now() - t0;
      await point(`moved:${def.name}`);
      ready.push({ name: def.name, dataFiles });
    }

    const maxAttempts = options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const t0 = performance.now();
      const prepared: PreparedCommit[] = [];
      try {
        for (const t of ready) {
          prepared.push(
            await prepareCommit({
              catalog,
              io,
              namespace: args.namespace,
              name: t.name,
              operation: args.mode,
              dataFiles: t.dataFiles,
              attempt,
              summaryProperties: args.snapshotProperties,
              afterManifests: () => point(`manifests:${t.name}`),
            }),
          );
          await point(`staged:${t.name}`);
        }
        await options.beforeSwap?.(ready.map((t) => t.name));
        await point("swap");
        catalog.swapMetadataLocations(
          prepared.map((p) => ({
            namespace: p.namespace,
            table: p.name,
            expected: p.expected,
            next: p.next,
          })),
        );
      } catch (err) {
        for (const p of prepared) for (const f of p.written) await io.delete(f);
        if (!(err instanceof CommitConflictError)) throw err;
        if (args.mode === "overwrite" || attempt >= maxAttempts) {
          throw new CommitConflictError(
            `${args.mode} of ${ready.map((t) => `${args.namespace}.${t.name}`).join(", ")} not ` +
              `committed after ${attempt} attempt(s): ${err.message}. No table was changed by ` +
              `this writer; re-run it.`,
          );
        }
        continue;
      } finally {
        timings.commitMs += performance.now() - t0;
      }
      await point("swapped");
      for (const [i, p] of prepared.entries()) {
        results.push({
          table: p.name,
          snapshotId: p.snapshot["snapshot-id"],
          metadataLocation: p.next,
          addedFiles: ready[i]!.dataFiles.length,
          addedRecords: ready[i]!.dataFiles.reduce((a, d) => a + Number(d.record_count), 0),
        });
      }
      break;
    }
  } finally {
    catalog.close();
  }
  return results;
}
