import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { localFileIO } from "./fileIO.ts";
import { loadTable } from "./loadTable.ts";
import { SqlCatalog } from "./SqlCatalog.ts";
import { currentSnapshot } from "./tableMetadata.ts";

function openCatalog(warehouse: string): SqlCatalog {
  const db = join(resolve(warehouse), "catalog.db");
  if (!existsSync(db))
    throw new Error(`no Iceberg catalog at ${db}: pass --warehouse or run \`etl run\``);
  return new SqlCatalog(warehouse);
}

/** One row per table: current snapshot and its totals (from the snapshot summary). */
export async function listTableSummaries(warehouse: string): Promise<Record<string, unknown>[]> {
  const catalog = openCatalog(warehouse);
  try {
    const rows: Record<string, unknown>[] = [];
    for (const t of catalog.listTables()) {
      const { metadata, metadataLocation } = await loadTable(
        catalog,
        localFileIO,
        t.namespace,
        t.name,
      );
      const s = currentSnapshot(metadata);
      rows.push({
        table: `${t.namespace}.${t.name}`,
        snapshot_id: s?.["snapshot-id"] ?? null,
        snapshots: metadata.snapshots.length,
        records: s ? Number(s.summary["total-records"] ?? NaN) : 0,
        data_files: s ? Number(s.summary["total-data-files"] ?? NaN) : 0,
        metadata: metadataLocation,
      });
    }
    return rows;
  } finally {
    catalog.close();
  }
}

/** Snapshots of `namespace.name`, oldest first. */
export async function listSnapshots(
  warehouse: string,
  qualified: string,
): Promise<Record<string, unknown>[]> {
  const dot = qualified.lastIndexOf(".");
  if (dot <= 0) throw new Error(`--table ${qualified}: use namespace.name, e.g. duckdb.events`);
  const catalog = openCatalog(warehouse);
  try {
    const { metadata } = await loadTable(
      catalog,
      localFileIO,
      qualified.slice(0, dot),
      qualified.slice(dot + 1),
    );
    const current = currentSnapshot(metadata)?.["snapshot-id"];
    return [...metadata.snapshots]
      .sort((a, b) => a["sequence-number"] - b["sequence-number"])
      .map((s) => ({
        snapshot_id: s["snapshot-id"],
        parent_id: s["parent-snapshot-id"] ?? null,
        sequence: s["sequence-number"],
        committed_at: new Date(s["timestamp-ms"]).toISOString(),
        operation: s.summary.operation,
        added_records: Number(s.summary["added-records"] ?? 0),
        deleted_records: Number(s.summary["deleted-records"] ?? 0),
        total_records:
          s.summary["total-records"] === undefined ? null : Number(s.summary["total-records"]),
        current: s["snapshot-id"] === current,
      }));
  } finally {
    catalog.close();
  }
}
