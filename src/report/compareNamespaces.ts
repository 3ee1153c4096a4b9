import type { DuckDBConnection } from "@duckdb/node-api";
import { TABLES, type TableName } from "../lakehouse/tables.ts";

export interface TableComparison {
  table: TableName;
  base: string;
  other: string;
  baseRows: number;
  otherRows: number;
  /** Rows (with multiplicity) in base and not in other, and the reverse: both 0 means equal. */
  onlyInBase: number;
  onlyInOther: number;
  equal: boolean;
}

const q = (id: string) => `"${id.replaceAll('"', '""')}"`;

/**
 * Row-for-row comparison of the three tables of two namespaces, read through the Iceberg
 * views (`attachIcebergViews`), as multisets: EXCEPT ALL both ways, every column, in the
 * declared schema order, so it does not depend on row order or file layout.
 */
export async function compareNamespaces(
  conn: DuckDBConnection,
  base: string,
  other: string,
): Promise<TableComparison[]> {
  const out: TableComparison[] = [];
  for (const def of Object.values(TABLES)) {
    const cols = def.columns.map((c) => q(c.name)).join(", ");
    const a = `${q(base)}.${q(def.name)}`;
    const b = `${q(other)}.${q(def.name)}`;
    const sql = `
      SELECT
        (SELECT count(*) FROM ${a})::BIGINT AS base_rows,
        (SELECT count(*) FROM ${b})::BIGINT AS other_rows,
        (SELECT count(*) FROM (SELECT ${cols} FROM ${a} EXCEPT ALL SELECT ${cols} FROM ${b}))::BIGINT AS only_base,
        (SELECT count(*) FROM (SELECT ${cols} FROM ${b} EXCEPT ALL SELECT ${cols} FROM ${a}))::BIGINT AS only_other`;
    const row = (await conn.runAndReadAll(sql)).getRowObjects()[0] as Record<string, bigint>;
    const r = {
      baseRows: Number(row.base_rows),
      otherRows: Number(row.other_rows),
      onlyInBase: Number(row.only_base),
      onlyInOther: Number(row.only_other),
    };
    out.push({
      table: def.name,
      base,
      other,
      ...r,
      equal: r.onlyInBase === 0 && r.onlyInOther === 0 && r.baseRows === r.otherRows,
    });
  }
  return out;
}
