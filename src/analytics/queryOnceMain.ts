// One named question on DuckDB in this (fresh) process: open the Iceberg views, run the question
// `--repeat` times, print one JSON line {setup_ms, query_ms[], query_cpu_ms[], rows}. Called by queryTimesMain.ts.
import { parseArgs } from "node:util";
import { getNamedQuery, runNamedQuery } from "./index.ts";
import { openIcebergDuckDb } from "../iceberg/openIcebergDuckDb.ts";

const { values } = parseArgs({
  options: {
    warehouse: { type: "string" },
    namespace: { type: "string", default: "duckdb" },
    name: { type: "string" },
    repeat: { type: "string", default: "2" },
    threads: { type: "string" },
  },
});
if (!values.warehouse || !values.name) throw new Error("--warehouse and --name are required");
const t0 = performance.now();
const { instance, connection } = await openIcebergDuckDb(values.warehouse, {
  threads: values.threads ? Number(values.threads) : undefined,
});
const setupMs = performance.now() - t0;
const query = getNamedQuery(values.name);
const times: number[] = [];
const cpu: number[] = [];
let answer: Awaited<ReturnType<typeof runNamedQuery>> | null = null;
for (let i = 0; i < Number(values.repeat); i++) {
  const t = performance.now();
  const c = process.cpuUsage();
  answer = await runNamedQuery(connection, query, { namespace: values.namespace! });
  times.push(Math.round((performance.now() - t) * 10) / 10);
  // DuckDB's worker threads are this process's threads: user + system CPU of the run.
  const used = process.cpuUsage(c);
  cpu.push(Math.round((used.user + used.system) / 100) / 10);
}
connection.closeSync();
instance.closeSync();
console.log(
  JSON.stringify({ ...answer, setup_ms: Math.round(setupMs), query_ms: times, query_cpu_ms: cpu }),
);
