/**
 * What the §C5 timestamp check costs inside DuckDB, to decide whether a fast path for the
 * common shapes can pay: holds the trimmed event_time values of the input in memory, then
 * in rounds times (CPU seconds of this process, all threads) a scan that only measures the
 * strings, the engine's spec_event_time (RE2 pattern, then the cast), the pattern alone and
 * the cast alone. A fast path can save at most the pattern's share. One JSON line per query.
 *
 *   tsx bench/eventTimeParseCpu.ts --input data/generated/clickstream-1m.csv [--threads 2] [--rounds 3]
 */
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { ingest } from "../src/engines/duckdb/ingest.ts";
import { loadSql } from "../src/engines/duckdb/loadSql.ts";

const { values: opt } = parseArgs({
  options: {
    input: { type: "string" },
    threads: { type: "string", default: "2" },
    rounds: { type: "string", default: "3" },
  },
});
if (opt.input === undefined) throw new Error("eventTimeParseCpu: --input PATH is required");

const PATTERN =
  "'[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?(Z|[+-](0[0-9]|1[0-8]):[0-5][0-9])?'";
const QUERIES: Record<string, string> = {
  scan: "SELECT sum(length(t)) FROM times",
  spec_event_time: "SELECT count(spec_event_time(t)) FROM times",
  pattern_only: `SELECT count_if(regexp_full_match(t, ${PATTERN})) FROM times`,
  cast_only: "SELECT count(try_cast(t AS TIMESTAMPTZ)) FROM times",
};

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const instance = await DuckDBInstance.create(":memory:", { threads: opt.threads });
const con = await instance.connect();
try {
  await con.run(`SET TimeZone = 'UTC'; ${loadSql("macros")}`);
  await ingest(con, opt.input);
  await con.run("CREATE TABLE times AS SELECT spec_trim(event_time) AS t FROM raw_input");
  for (let r = 1; r <= Number(opt.rounds); r++) {
    for (const [name, sql] of Object.entries(QUERIES)) {
      const c0 = cpu();
      await con.runAndReadAll(sql);
      console.log(
        JSON.stringify({ round: r, query: name, cpu_s: Math.round((cpu() - c0) * 1000) / 1000 }),
      );
    }
  }
} finally {
  con.closeSync();
  instance.closeSync();
}
