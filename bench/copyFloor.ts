// The copy floor of the benchmark: DuckDB reads the same input and writes it to Parquet with
// no transform (every column as text, as the pipeline reads it). Run in a fresh process by
// pipelineBench.ts; prints one JSON line. Usage: copyFloor.ts INPUT OUT_FILE THREADS MEMORY_LIMIT
import { DuckDBInstance } from "@duckdb/node-api";
import { detectInputFormat } from "../src/input/detectInputFormat.ts";

const [input, out, threads, memoryLimit] = process.argv.slice(2);
if (!input || !out || !threads || !memoryLimit) {
  throw new Error("usage: copyFloor.ts INPUT OUT_FILE THREADS MEMORY_LIMIT");
}
const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const start = performance.now();
const db = await DuckDBInstance.create(":memory:", { threads, memory_limit: memoryLimit });
const con = await db.connect();
const ready = performance.now();
const source =
  detectInputFormat(input) === "parquet"
    ? `read_parquet(${quote(input)})`
    : `read_csv(${quote(input)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;
await con.run(`COPY (SELECT * FROM ${source}) TO ${quote(out)} (FORMAT parquet)`);
const done = performance.now();
con.closeSync();
process.stdout.write(
  `${JSON.stringify({ startup_ms: Math.round(ready), copy_ms: Math.round(done - ready), total_ms: Math.round(done - start) })}\n`,
);
