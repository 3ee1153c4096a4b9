import { readFileSync } from "node:fs";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import type { AnswerCell, ColumnSpec, NamedQuery, QueryAnswer } from "./NamedQuery.ts";
import { FUNCTIONS_DIR, resolveParams } from "./namedQueries.ts";

const quote = (id: string) => `"${id.replaceAll('"', '""')}"`;

/** A DuckDB value as the engine-neutral cell of its declared kind. */
function toCell(value: DuckDBValue, column: ColumnSpec): AnswerCell {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case "double":
      return Number(value);
    case "int":
    case "decimal":
    case "date":
    case "text":
      return String(value);
  }
}

/**
 * Defines the helper functions the named queries use (utc_date, utc_hour: functions/duckdb.sql)
 * as temporary macros of the connection; idempotent.
 */
export async function defineQueryFunctions(connection: DuckDBConnection): Promise<void> {
  await connection.run(readFileSync(`${FUNCTIONS_DIR}/duckdb.sql`, "utf8"));
}

/**
 * Runs a named query on a connection whose schema `namespace` holds the Iceberg views
 * (src/iceberg/openIcebergDuckDb.ts). The namespace becomes the current schema, so the SQL
 * names tables unqualified; parameters are bound (`$name`), never pasted into the text.
 * The result's column names must be the header's, in order.
 */
export async function runNamedQuery(
  connection: DuckDBConnection,
  query: NamedQuery,
  options: { namespace: string; params?: string[] },
): Promise<QueryAnswer> {
  const values: Record<string, DuckDBValue> = {};
  for (const [k, v] of Object.entries(resolveParams(query, options.params))) values[k] = BigInt(v);
  await defineQueryFunctions(connection);
  await connection.run(`USE memory.${quote(options.namespace)}`);
  const reader = await connection.runAndReadAll(query.sql, values);
  const names = reader.columnNames();
  const declared = query.columns.map((c) => c.name);
  if (names.join(",") !== declared.join(",")) {
    throw new Error(
      `${query.name}: returned columns (${names.join(", ")}) differ from its header (${declared.join(", ")})`,
    );
  }
  const rows = reader.getRows().map((row) => row.map((v, i) => toCell(v, query.columns[i]!)));
  return { name: query.name, columns: query.columns, rows };
}
