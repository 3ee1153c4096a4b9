import { DuckDBInstance } from "@duckdb/node-api";
import { RAW_COLUMNS } from "../lakehouse/tables.ts";

function sqlText(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * CSV -> Parquet with every raw column as VARCHAR in file order (spec: Input: an empty CSV
 * field and a Parquet null are the same). Explicit dialect, no sniffing; quoted whitespace
 * stays text. insertion order is preserved, so row i of the Parquet file is row i of the CSV.
 */
export async function csvToParquet(csvPath: string, parquetPath: string): Promise<void> {
  const db = await DuckDBInstance.create(":memory:", {
    threads: "2",
    memory_limit: "1GB",
    preserve_insertion_order: "true",
  });
  const con = await db.connect();
  try {
    const columns = `{${RAW_COLUMNS.map((c) => `'${c}': 'VARCHAR'`).join(", ")}}`;
    await con.run(
      `COPY (SELECT * FROM read_csv(${sqlText(csvPath)}, header = true, delim = ',', quote = '"', ` +
        `escape = '"', auto_detect = false, columns = ${columns}, strict_mode = true, ` +
        `null_padding = false)) TO ${sqlText(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  } finally {
    con.closeSync();
    db.closeSync();
  }
}
