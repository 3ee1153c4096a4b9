// Minimal reproduction for docs/polars-notes.md, "Streaming": what nodejs-polars 0.25.2
// does with a streaming plan. One plan and one mode per fresh process (peak RSS is per
// process); prints one JSON line. Not a test: run it by hand, e.g.
//   for m in memory streaming sink; do for p in trim dedup sort; do
//     node node_modules/tsx/dist/cli.mjs tests/repro/polarsStreaming.ts INPUT.csv $p $m; done; done
// plan trim:  scan -> trim four columns -> filter   (row-wise: streamable)
// plan dedup: trim + isDuplicated(event_id)          (a global hash over the whole column)
// plan sort:  trim + sort(user_id, event_time)       (a global sort)
// mode memory:    await lf.collect()
// mode streaming: lf.collectSync({ engine: "streaming" })  (the async collect() has no engine option)
// mode sink:      await lf.sinkParquet(out).collect()      (no partition_by option in 0.25.2)
import { readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pl from "nodejs-polars";

const [input, plan, mode] = process.argv.slice(2);
if (!input || !plan || !mode)
  throw new Error("usage: polarsStreaming.ts INPUT.csv trim|dedup|sort memory|streaming|sink");
const ws = " \t\r\n";
let lf = pl
  .scanCSV(input, { inferSchemaLength: 0, hasHeader: true, quoteChar: '"', nullValues: "" })
  .select(
    pl.col("event_id").str.stripChars(ws),
    pl.col("user_id").str.stripChars(ws),
    pl.col("event_time").str.stripChars(ws),
    pl.col("user_agent").str.stripChars(ws),
  )
  .filter(pl.col("event_id").isNotNull());
if (plan === "dedup") lf = lf.withColumns(pl.col("event_id").isDuplicated().alias("dup"));
if (plan === "sort") lf = lf.sort(["user_id", "event_time"]);

const out = join(tmpdir(), `polars-streaming-${process.pid}.parquet`);
const t0 = performance.now();
let rows: number;
if (mode === "memory") rows = (await lf.collect()).height;
else if (mode === "streaming") rows = lf.collectSync({ engine: "streaming" }).height;
else {
  await lf.sinkParquet(out, { compression: "snappy" }).collect();
  rows = (await pl.scanParquet(out).select(pl.len()).collect()).getColumn("len").get(0) as number;
}
const ms = performance.now() - t0;
const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))![1]) * 1024;
const cpu = process.cpuUsage();
console.log(
  JSON.stringify({
    plan,
    mode,
    rows,
    input_bytes: statSync(input).size,
    wall_ms: Math.round(ms),
    cpu_s: Math.round((cpu.user + cpu.system) / 1e4) / 100,
    peak_rss_mb: Math.round(hwm / 1048576),
  }),
);
rmSync(out, { force: true });
