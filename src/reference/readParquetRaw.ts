import { RAW_COLUMNS } from "../lakehouse/tables.ts";
import { InputFormatError } from "./InputFormatError.ts";
import type { RawRow } from "./RawRow.ts";

/**
 * Reads a Parquet input (spec §I4) with DuckDB, each of the nine columns cast to VARCHAR;
 * empty text becomes null like a Parquet null. Throws InputFormatError naming a missing
 * column. Small files only: the reference holds every row in memory.
 */
export async function readParquetRaw(path: string): Promise<RawRow[]> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", { memory_limit: "256MB", threads: "1" });
  const con = await db.connect();
  try {
    const lit = `'${path.replaceAll("'", "''")}'`;
    let names: string[];
    try {
      const described = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit})`);
      names = described.getRowObjectsJS().map((r) => String(r.column_name));
    } catch (err) {
      throw new InputFormatError({
        file: path,
        message: `${path}: not a readable Parquet file (spec §I4): ${(err as Error).message.split("\n")[0]}`,
      });
    }
    for (const name of RAW_COLUMNS) {
      if (!names.includes(name)) {
        throw new InputFormatError({
          file: path,
          column: name,
          message: `${path}: Parquet schema lacks column ${name} (spec §I3/§I4); the file must have ${RAW_COLUMNS.join(", ")}`,
        });
      }
    }
    const select = RAW_COLUMNS.map((c) => `CAST("${c}" AS VARCHAR) AS "${c}"`).join(", ");
    const reader = await con.runAndReadAll(`SELECT ${select} FROM read_parquet(${lit})`);
    return reader.getRowObjectsJS().map((r) => {
      const row = {} as RawRow;
      for (const c of RAW_COLUMNS) {
        const v = r[c];
        row[c] = v === null || v === undefined || v === "" ? null : String(v);
      }
      return row;
    });
  } finally {
    con.closeSync();
    db.closeSync();
  }
}
