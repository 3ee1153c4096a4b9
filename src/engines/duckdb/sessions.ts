import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { StagedFile, StagedTable } from "../Engine.ts";
import { TABLES } from "../../lakehouse/tables.ts";
import { loadSql, sqlString } from "./loadSql.ts";
import { fieldIds, fileList, listStagedFiles } from "./stagedFiles.ts";

/**
 * Spec, Output §O2: one row per session, aggregated from the staged events files (reading
 * back 8 Parquet columns measured less than half the cost of re-joining the wide rows) and
 * written under `<stagingDir>/sessions/`, one folder per UTC day of session_start.
 */
export async function sessions(
  con: DuckDBConnection,
  stagingDir: string,
  eventFiles: readonly StagedFile[],
): Promise<StagedTable> {
  const dir = join(stagingDir, "sessions");
  if (eventFiles.length === 0) return { table: "sessions", files: [] };
  await con.run(
    loadSql("sessions", {
      events_files: fileList(eventFiles.map((f) => f.path)),
      sessions_dir: sqlString(dir),
      sessions_field_ids: fieldIds(TABLES.sessions),
    }),
  );
  return { table: "sessions", files: await listStagedFiles(con, dir) };
}
