import pl from "nodejs-polars";
import type { TableDef } from "../../src/lakehouse/tables.ts";

/**
 * Rows of one Parquet file read back with Polars, as values that toCanonicalCsv accepts:
 * timestamps as bigint micros, decimals as text.
 */
export function polarsParquetRows(path: string, table: TableDef): Record<string, unknown>[] {
  const df = pl
    .readParquet(path)
    .select(
      ...table.columns.map((c) =>
        c.type === "timestamptz"
          ? pl.col(c.name).cast(pl.Int64).cast(pl.Utf8)
          : c.type.startsWith("decimal")
            ? pl.col(c.name).cast(pl.Utf8)
            : pl.col(c.name),
      ),
    );
  return (df.toRecords() as Record<string, unknown>[]).map((row) => {
    // Micros travel as text: years far from 1970 exceed 2^53 (§C5 allows 0000-9999).
    for (const c of table.columns)
      if (c.type === "timestamptz" && row[c.name] !== null)
        row[c.name] = BigInt(row[c.name] as string);
    return row;
  });
}
