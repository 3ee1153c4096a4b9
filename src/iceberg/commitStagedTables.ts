import { randomUUID } from "node:crypto";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { commitTable, ensureTable } from "./commitTable.ts";
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
 * commit one snapshot (append or whole-table overwrite). Tables commit one after another;
 * a crash before a table's swap leaves that table at its previous snapshot.
 */
export async function commitStagedTables(
  args: CommitStagedTablesArgs,
  options: {
    io?: FileIO;
    timings?: CommitTimings;
    /** Test hook: runs after a table's files are moved and its snapshot staged, before the swap. */
    beforeSwap?: (table: string) => Promise<void>;
  } = {},
): Promise<CommittedTable[]> {
  const io = options.io ?? localFileIO;
  const warehouse = resolve(args.warehouse);
  const catalog = new SqlCatalog(warehouse);
  const timings = options.timings ?? { footersMs: 0, moveMs: 0, commitMs: 0 };
  const results: CommittedTable[] = [];
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
      t0 = performance.now();
      for (const [i, df] of dataFiles.entries()) await io.moveIn(paths[i]!, df.file_path);
      timings.moveMs += performance.now() - t0;
      t0 = performance.now();
      const res = await commitTable({
        catalog,
        io,
        namespace: args.namespace,
        name: def.name,
        operation: args.mode,
        dataFiles,
        summaryProperties: args.snapshotProperties,
        beforeSwap: options.beforeSwap ? () => options.beforeSwap!(def.name) : undefined,
      });
      timings.commitMs += performance.now() - t0;
      results.push({
        table: def.name,
        snapshotId: res.snapshot["snapshot-id"],
        metadataLocation: res.metadataLocation,
        addedFiles: dataFiles.length,
        addedRecords: dataFiles.reduce((a, d) => a + Number(d.record_count), 0),
      });
    }
  } finally {
    catalog.close();
  }
  return results;
}
