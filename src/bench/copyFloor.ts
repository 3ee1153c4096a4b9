import { DuckDBInstance } from "@duckdb/node-api";
import { detectInputFormat } from "../input/detectInputFormat.ts";

/** What the copy floor prints: shaped like `etl run`'s summary (the fields the bench reads). */
export interface CopyFloorSummary {
  success: true;
  engine: "floor";
  engine_version: string;
  rows_in: number | null;
  startup_ms: number;
  phases: { copy_ms: number };
  total_ms: number;
}

/**
 * The copy floor of the benchmark (`etl bench`, target floor; `etl copy-floor`): DuckDB reads
 * the same input and writes it to Parquet with no transform (every column as text, as the
 * pipeline reads it). startup_ms is, like `etl run`'s, process start to engine ready.
 */
export async function copyFloor(
  input: string,
  out: string,
  threads: number,
  memoryLimit?: string,
): Promise<CopyFloorSummary> {
  const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const options: Record<string, string> = { threads: String(threads) };
  if (memoryLimit) options.memory_limit = memoryLimit;
  const db = await DuckDBInstance.create(":memory:", options);
  const con = await db.connect();
  const ready = performance.now();
  const version = (await con.runAndReadAll("SELECT version() AS v")).getRowObjectsJS()[0].v;
  const source =
    detectInputFormat(input) === "parquet"
      ? `read_parquet(${quote(input)})`
      : `read_csv(${quote(input)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;
  const t0 = performance.now();
  const copied = await con.runAndReadAll(
    `COPY (SELECT * FROM ${source}) TO ${quote(out)} (FORMAT parquet)`,
  );
  const done = performance.now();
  const rows = Number(copied.getRowsJS()[0]?.[0] ?? NaN);
  con.closeSync();
  db.closeSync();
  return {
    success: true,
    engine: "floor",
    engine_version: `DuckDB ${String(version)}`,
    rows_in: Number.isFinite(rows) ? rows : null,
    startup_ms: Math.round(ready),
    phases: { copy_ms: Math.round(done - t0) },
    total_ms: Math.round(done),
  };
}
