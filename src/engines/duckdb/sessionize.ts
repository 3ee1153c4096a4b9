import type { DuckDBConnection } from "@duckdb/node-api";
import { loadSql } from "./loadSql.ts";

/** Spec, Sessionization: builds `session_keys` and the `events_out` view. */
export async function sessionize(con: DuckDBConnection): Promise<void> {
  await con.run(loadSql("sessionize"));
}
