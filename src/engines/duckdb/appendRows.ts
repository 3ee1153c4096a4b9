import type { DuckDBConnection } from "@duckdb/node-api";

/** Appends rows of text (null allowed) to an existing table through DuckDB's appender. */
export async function appendRows(
  con: DuckDBConnection,
  table: string,
  rows: readonly (readonly (string | null)[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const appender = await con.createAppender(table);
  try {
    for (const row of rows) {
      for (const value of row) {
        if (value === null) appender.appendNull();
        else appender.appendVarchar(value);
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
