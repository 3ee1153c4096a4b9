import { readdirSync, rmSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { StagedFile } from "../Engine.ts";
import type { TableDef } from "../../lakehouse/tables.ts";
import { daysFromCivil } from "../../spec/calendar.ts";
import { sqlIdent, sqlString } from "./loadSql.ts";

/** `{event_id: 1, ...}`: DuckDB's FIELD_IDS value from the Iceberg column ids. */
export function fieldIds(table: TableDef): string {
  return `{${table.columns.map((c) => `${sqlIdent(c.name)}: ${c.id}`).join(", ")}}`;
}

/** A DuckDB list literal of file paths. */
export function fileList(paths: readonly string[]): string {
  return `[${paths.map(sqlString).join(", ")}]`;
}

/**
 * The Parquet files under a table's staging folder with their partition day (from the
 * `<column>_day=YYYY-MM-DD` folder DuckDB's PARTITION_BY made) and record count (footer).
 * Files with no rows are removed: an empty table stages no file.
 */
export async function listStagedFiles(con: DuckDBConnection, dir: string): Promise<StagedFile[]> {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return [];
  }
  const paths = entries
    .filter((e) => e.endsWith(".parquet"))
    .map((e) => join(dir, e))
    .sort();
  if (paths.length === 0) return [];
  const reader = await con.runAndReadAll(
    `SELECT file_name, CAST(num_rows AS BIGINT) AS n FROM parquet_file_metadata(${fileList(paths)})`,
  );
  const counts = new Map<string, number>();
  for (const row of reader.getRowObjectsJS()) counts.set(String(row.file_name), Number(row.n));
  const files: StagedFile[] = [];
  for (const path of paths) {
    const recordCount = counts.get(path) ?? 0;
    if (recordCount === 0) {
      rmSync(path);
      continue;
    }
    files.push({ path, partitionDay: partitionDay(relative(dir, path)), recordCount });
  }
  return files;
}

/** `event_time_day=2026-01-01/part-0.parquet` -> days since 1970-01-01; null if unpartitioned. */
function partitionDay(relativePath: string): number | null {
  const folder = relativePath.split(sep)[0];
  const m = /^[a-z_]+_day=(\d{4})-(\d{2})-(\d{2})$/.exec(folder);
  if (m === null) return null;
  return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
}
