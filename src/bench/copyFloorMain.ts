// The copy floor of the benchmark (`etl bench`, target floor): DuckDB reads the same input
// and writes it to Parquet with no transform (every column as text, as the pipeline reads
// it). Run as a fresh process per cell; prints one JSON line shaped like `etl run`'s summary
// (startup_ms, phases.copy_ms). Usage: copyFloorMain.ts INPUT OUT_FILE THREADS [MEMORY_LIMIT]
import { DuckDBInstance } from "@duckdb/node-api";
import { detectInputFormat } from "../input/detectInputFormat.ts";

const [input, out, threads, memoryLimit] = process.argv.slice(2);
if (!input || !out || !threads) {
  throw new Error("usage: copyFloorMain.ts INPUT OUT_FILE THREADS [MEMORY_LIMIT]");
}
const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const options: Record<string, string> = { threads };
if (memoryLimit) options.memory_limit = memoryLimit;
const db = await DuckDBInstance.create(":memory:", options);
const con = await db.connect();
// Like `etl run`: ms from process start (performance.timeOrigin) to the engine being ready.
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
process.stdout.write(
  `${JSON.stringify({
    success: true,
    engine: "floor",
    engine_version: `DuckDB ${String(version)}`,
    rows_in: Number.isFinite(rows) ? rows : null,
    startup_ms: Math.round(ready),
    phases: { copy_ms: Math.round(done - t0) },
    total_ms: Math.round(done),
  })}\n`,
);
