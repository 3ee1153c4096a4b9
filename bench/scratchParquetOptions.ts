/**
 * CPU of the DuckDB engine's scratch file (`cleansed.parquet`, cleanse.sql) under other
 * Parquet writer options: makes the scratch file of the input once with cleanse.sql as it
 * is, holds its rows in memory, then for each option set, in rounds (interleaved), writes
 * them to a file (CPU seconds of this process, all threads) and reads every column back as
 * the later stages do (`sum(length(...))` over the file), and prints one JSON line per
 * write with the file size. For choosing the scratch file's codec and row-group size
 * (docs/engines.md, "Fifth pass").
 *
 *   tsx bench/scratchParquetOptions.ts --input data/generated/clickstream-1m.csv [--threads 2] [--rounds 3]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { ingest } from "../src/engines/duckdb/ingest.ts";
import { loadSql, sqlString } from "../src/engines/duckdb/loadSql.ts";

const { values: opt } = parseArgs({
  options: {
    input: { type: "string" },
    threads: { type: "string", default: "2" },
    rounds: { type: "string", default: "3" },
  },
});
if (opt.input === undefined) throw new Error("scratchParquetOptions: --input PATH is required");

const OPTION_SETS: Record<string, string> = {
  snappy: "FORMAT parquet",
  uncompressed: "FORMAT parquet, COMPRESSION uncompressed",
  lz4: "FORMAT parquet, COMPRESSION lz4",
  zstd1: "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1",
  snappy_no_bloom: "FORMAT parquet, WRITE_BLOOM_FILTER false",
  uncompressed_no_bloom: "FORMAT parquet, COMPRESSION uncompressed, WRITE_BLOOM_FILTER false",
  uncompressed_v2: "FORMAT parquet, COMPRESSION uncompressed, PARQUET_VERSION v2",
  uncompressed_rg_61440: "FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 61440",
  uncompressed_rg_245760: "FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 245760",
};

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const round = (s: number): number => Math.round(s * 1000) / 1000;

const dir = mkdtempSync(join(tmpdir(), "scratch-parquet-options-"));
const instance = await DuckDBInstance.create(":memory:", { threads: opt.threads });
const con = await instance.connect();
try {
  await con.run(`SET TimeZone = 'UTC'; SET preserve_insertion_order = false; ${loadSql("macros")}`);
  await ingest(con, opt.input);
  const base = join(dir, "cleansed.parquet");
  await con.run(loadSql("cleanse", { cleansed_file: sqlString(base) }));
  await con.run(`CREATE TABLE src AS SELECT * EXCLUDE (row_id) FROM cleansed`);
  const columns = (await con.runAndReadAll("SELECT * FROM src LIMIT 0")).columnNames();
  const readBack = (file: string): string =>
    `SELECT count(*), ${columns
      .map((c) => `sum(length(CAST(${c} AS VARCHAR)))`)
      .join(", ")} FROM read_parquet(${sqlString(file)}, file_row_number = true)`;
  for (let r = 1; r <= Number(opt.rounds); r++) {
    for (const [name, options] of Object.entries(OPTION_SETS)) {
      const file = join(dir, `${name}.parquet`);
      const w0 = cpu();
      await con.run(`COPY src TO ${sqlString(file)} (${options})`);
      const w1 = cpu();
      await con.runAndReadAll(readBack(file));
      const w2 = cpu();
      console.log(
        JSON.stringify({
          round: r,
          options: name,
          write_cpu_s: round(w1 - w0),
          read_cpu_s: round(w2 - w1),
          mb: Math.round(statSync(file).size / 1e5) / 10,
        }),
      );
      rmSync(file);
    }
  }
} finally {
  con.closeSync();
  instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
}
