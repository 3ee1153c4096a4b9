import type { TableDef } from "../lakehouse/tables.ts";
import { toCanonicalCsv } from "./canonical.ts";

/**
 * Canonical text (§V1) of a table stored in Parquet files (an engine's staged output or an
 * Iceberg table's data files), read with DuckDB: timestamptz as epoch micros, decimals as
 * text, so nothing passes through a double. Columns are taken by name; a missing column
 * throws naming it. Meant for small outputs (golden, tests).
 */
export async function canonicalFromParquet(
  table: TableDef,
  files: readonly string[],
): Promise<string> {
  if (files.length === 0) return toCanonicalCsv(table, []);
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", { memory_limit: "256MB", threads: "1" });
  const con = await db.connect();
  try {
    const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(", ");
    const source = `read_parquet([${list}], union_by_name = true)`;
    const described = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    const present = new Set(described.getRowObjectsJS().map((r) => String(r.column_name)));
    const select = table.columns.map((c) => {
      if (!present.has(c.name)) {
        throw new Error(`${table.name}: column ${c.name} is missing from ${files.join(", ")}`);
      }
      const q = `"${c.name}"`;
      switch (c.type) {
        case "timestamptz":
          return `epoch_us(${q}) AS ${q}`;
        case "decimal(12,2)":
        case "decimal(14,2)":
          return `CAST(CAST(${q} AS DECIMAL(18,2)) AS VARCHAR) AS ${q}`;
        case "int":
        case "long":
          return `CAST(${q} AS BIGINT) AS ${q}`;
        default:
          return q;
      }
    });
    const reader = await con.runAndReadAll(`SELECT ${select.join(", ")} FROM ${source}`);
    return toCanonicalCsv(table, reader.getRowObjectsJS());
  } finally {
    con.closeSync();
    db.closeSync();
  }
}
