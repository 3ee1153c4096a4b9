import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { StagedTable } from "../Engine.ts";
import { TABLES } from "../../lakehouse/tables.ts";
import { loadSql, sqlString } from "./loadSql.ts";
import { fieldIds, listStagedFiles } from "./stagedFiles.ts";

/**
 * Spec, Output §O1 and §O3: writes `events` (one folder per UTC day) and `rejects` as
 * Parquet under `<stagingDir>/<table>/` and lists the files (EngineRun.staged).
 */
export async function write(con: DuckDBConnection, stagingDir: string): Promise<StagedTable[]> {
  const events = join(stagingDir, "events");
  const rejects = join(stagingDir, "rejects");
  mkdirSync(rejects, { recursive: true });
  await con.run(
    loadSql("write", {
      events_dir: sqlString(events),
      rejects_file: sqlString(join(rejects, "part-0.parquet")),
      events_field_ids: fieldIds(TABLES.events),
      rejects_field_ids: fieldIds(TABLES.rejects),
    }),
  );
  return [
    { table: "events", files: await listStagedFiles(con, events) },
    { table: "rejects", files: await listStagedFiles(con, rejects) },
  ];
}
