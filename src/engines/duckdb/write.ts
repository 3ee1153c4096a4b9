import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { StagedFile, StagedTable } from "../Engine.ts";
import { TABLES, type TableDef, type TableName } from "../../lakehouse/tables.ts";
import { daysFromCivil } from "../../spec/calendar.ts";
import { loadSql, sqlIdent, sqlString } from "./loadSql.ts";

/**
 * Spec, Output: writes the three tables as Parquet under `<stagingDir>/<table>/` and
 * lists every file with its partition day and record count (EngineRun.staged). Files
 * with no rows are removed: an empty table stages no file.
 */
export async function write(con: DuckDBConnection, stagingDir: string): Promise<StagedTable[]> {
  const dirs = {
    events: join(stagingDir, "events"),
    sessions: join(stagingDir, "sessions"),
    rejects: join(stagingDir, "rejects"),
  };
  mkdirSync(dirs.rejects, { recursive: true });
  const statements = loadSql("write", {
    events_dir: sqlString(dirs.events),
    sessions_dir: sqlString(dirs.sessions),
    rejects_file: sqlString(join(dirs.rejects, "part-0.parquet")),
    events_field_ids: fieldIds(TABLES.events),
    sessions_field_ids: fieldIds(TABLES.sessions),
    rejects_field_ids: fieldIds(TABLES.rejects),
  });
  await con.run(statements);
  const staged: StagedTable[] = [];
  for (const table of ["events", "sessions", "rejects"] as TableName[]) {
    staged.push({ table, files: await listFiles(con, dirs[table]) });
  }
  return staged;
}

/** `{event_id: 1, ...}`: DuckDB's FIELD_IDS value from the Iceberg column ids. */
function fieldIds(table: TableDef): string {
  return `{${table.columns.map((c) => `${sqlIdent(c.name)}: ${c.id}`).join(", ")}}`;
}

function parquetFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.endsWith(".parquet"))
    .map((e) => join(dir, e))
    .sort();
}

async function listFiles(con: DuckDBConnection, dir: string): Promise<StagedFile[]> {
  const paths = parquetFiles(dir);
  if (paths.length === 0) return [];
  const list = `[${paths.map(sqlString).join(", ")}]`;
  const reader = await con.runAndReadAll(
    `SELECT file_name, CAST(num_rows AS BIGINT) AS n FROM parquet_file_metadata(${list})`,
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
