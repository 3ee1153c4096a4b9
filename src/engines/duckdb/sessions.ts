import type { DuckDBConnection } from "@duckdb/node-api";
import { loadSql } from "./loadSql.ts";

/** Spec, Output `sessions`: builds `sessions_out` from `events_out`. */
export async function sessions(con: DuckDBConnection): Promise<void> {
  await con.run(loadSql("sessions"));
}
