// `make bench-queries`: each named question timed in a FRESH process per engine — DuckDB over the
// TS reader's Iceberg views (src/analytics/queryOnceMain.ts) and Spark SQL (etl_spark.queries, local mode) —
// first run (cold) and second run (warm) inside the process, plus the process's wall time.
// Appends one tidy row per (engine, question) to results/query-times.jsonl and prints a table.
// Figures, not a test. Usage: queryTimesMain.ts --warehouse DIR [--label 10m] [--engines duckdb,spark]
//   [--duckdb-namespace duckdb] [--spark-namespace spark] [--threads N]
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { basename, isAbsolute, join, relative } from "node:path";
import { parseArgs } from "node:util";
import { diffAnswers, listNamedQueries, type QueryAnswer } from "./index.ts";
import { loadSettings, projectRoot } from "../config/settings.ts";
import { hostInventory } from "../profile/hostInventory.ts";

interface QueryTimeRow {
  bench: "query";
  at: string;
  label: string;
  warehouse: string;
  engine: "duckdb" | "spark";
  namespace: string;
  question: string;
  success: boolean;
  error: string | null;
  rows: number | null;
  /** Inside the process: first run, then second run of the question (ms). */
  cold_ms: number | null;
  warm_ms: number | null;
  /** DuckDB only: the process's CPU (user + system, all threads) during the first and second run (ms). */
  cold_cpu_ms: number | null;
  warm_cpu_ms: number | null;
  /** Inside the process: DuckDB opening the Iceberg views; Spark JVM + SparkSession start. */
  setup_ms: number | null;
  /** Spawn to exit of the fresh process. */
  process_wall_ms: number;
  /** This engine's answer against the other engine's on the same question: "equal" or the first difference. */
  answer_check: string | null;
  threads: number;
  load_avg_1m_before: number;
  host: Awaited<ReturnType<typeof hostInventory>>;
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolvePromise) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) =>
      resolvePromise({ code, stdout, stderr, ms: performance.now() - t0 }),
    );
  });
}

const { values } = parseArgs({
  options: {
    warehouse: { type: "string" },
    label: { type: "string", default: "" },
    engines: { type: "string", default: "duckdb,spark" },
    "duckdb-namespace": { type: "string", default: "duckdb" },
    "spark-namespace": { type: "string", default: "spark" },
    threads: { type: "string", default: String(availableParallelism()) },
    /** One Spark JVM answers every question (cold = first run in it), instead of one per question. */
    "spark-shared-jvm": { type: "boolean", default: false },
  },
});
if (!values.warehouse) throw new Error("--warehouse is required");
const warehouse = values.warehouse;
// Rows name no path of this machine: the warehouse relative to the repository when inside it,
// else its folder name.
const rel = relative(projectRoot, warehouse);
const warehouseLabel = rel.startsWith("..") || isAbsolute(rel) ? basename(warehouse) : rel;
const threads = Number(values.threads);
const host = await hostInventory();
const out = join(loadSettings().resultsDir, "query-times.jsonl");
mkdirSync(loadSettings().resultsDir, { recursive: true });
const rows: QueryTimeRow[] = [];
const sparkArgs = (names: string[]) => [
  "-m",
  "etl_spark.queries",
  "--warehouse",
  warehouse,
  "--namespace",
  values["spark-namespace"]!,
  ...names.flatMap((n) => ["--name", n]),
  "--repeat",
  "2",
  "--master",
  `local[${threads}]`,
];
// Shared mode: every question in one Spark process; each row then carries that process's wall.
const shared =
  values["spark-shared-jvm"] && values.engines!.split(",").includes("spark")
    ? await run(
        loadSettings().python,
        sparkArgs(listNamedQueries().map((q) => q.name)),
        join(projectRoot, "spark"),
      )
    : null;
for (const q of listNamedQueries()) {
  const answers: QueryAnswer[] = [];
  const pending: QueryTimeRow[] = [];
  for (const engine of values.engines!.split(",") as ("duckdb" | "spark")[]) {
    const namespace =
      engine === "duckdb" ? values["duckdb-namespace"]! : values["spark-namespace"]!;
    const base = {
      bench: "query" as const,
      at: new Date().toISOString(),
      label: values.label!,
      warehouse: warehouseLabel,
      engine,
      namespace,
      question: q.name,
      threads,
      load_avg_1m_before: loadavg()[0]!,
      host,
    };
    const r =
      engine === "duckdb"
        ? await run(
            process.execPath,
            [
              "--import",
              "tsx",
              "src/analytics/queryOnceMain.ts",
              "--warehouse",
              warehouse,
              "--namespace",
              namespace,
              "--name",
              q.name,
              "--threads",
              String(threads),
            ],
            projectRoot,
          )
        : (shared ??
          (await run(loadSettings().python, sparkArgs([q.name]), join(projectRoot, "spark"))));
    let row: QueryTimeRow;
    try {
      if (r.code !== 0) throw new Error(r.stderr.trim().split("\n").slice(-3).join(" | "));
      const line = r.stdout
        .split("\n")
        .find((l) => l.startsWith("{") || l.startsWith(`ETL_ANSWER {"name": "${q.name}"`))!;
      const parsed = JSON.parse(line.replace(/^ETL_ANSWER /, "")) as QueryAnswer & {
        query_ms: number[];
        query_cpu_ms?: number[];
        setup_ms?: number;
        startup_ms?: number;
      };
      answers.push(parsed);
      row = {
        ...base,
        success: true,
        error: null,
        rows: parsed.rows.length,
        cold_ms: parsed.query_ms[0] ?? null,
        warm_ms: parsed.query_ms[1] ?? null,
        cold_cpu_ms: parsed.query_cpu_ms?.[0] ?? null,
        warm_cpu_ms: parsed.query_cpu_ms?.[1] ?? null,
        setup_ms: parsed.setup_ms ?? parsed.startup_ms ?? null,
        process_wall_ms: Math.round(r.ms),
        answer_check: null,
      };
    } catch (err) {
      row = {
        ...base,
        success: false,
        error: (err as Error).message,
        rows: null,
        cold_ms: null,
        warm_ms: null,
        cold_cpu_ms: null,
        warm_cpu_ms: null,
        setup_ms: null,
        process_wall_ms: Math.round(r.ms),
        answer_check: null,
      };
    }
    pending.push(row);
    console.error(
      `${q.name} ${engine}: ${row.success ? `cold ${row.cold_ms} ms, warm ${row.warm_ms} ms` : row.error}`,
    );
  }
  if (answers.length === 2) {
    const check = diffAnswers(answers[0]!, answers[1]!) ?? "equal";
    for (const row of pending) row.answer_check = check;
  }
  for (const row of pending) {
    appendFileSync(out, `${JSON.stringify(row)}\n`);
    rows.push(row);
  }
}
const fmt = (v: number | null) => (v === null ? "-" : String(Math.round(v)));
console.log(
  `\nquestion                      duckdb cold/warm ms   duckdb cpu cold/warm ms   spark cold/warm ms   rows   load1  answers (${values.label})`,
);
for (const q of listNamedQueries()) {
  const d = rows.find((r) => r.question === q.name && r.engine === "duckdb");
  const s = rows.find((r) => r.question === q.name && r.engine === "spark");
  console.log(
    `${q.name.padEnd(30)}${`${fmt(d?.cold_ms ?? null)} / ${fmt(d?.warm_ms ?? null)}`.padEnd(22)}${`${fmt(d?.cold_cpu_ms ?? null)} / ${fmt(d?.warm_cpu_ms ?? null)}`.padEnd(26)}${`${fmt(s?.cold_ms ?? null)} / ${fmt(s?.warm_ms ?? null)}`.padEnd(21)}${String(d?.rows ?? s?.rows ?? "-").padEnd(7)}${String((d ?? s)?.load_avg_1m_before.toFixed(2)).padEnd(7)}${(d ?? s)?.answer_check ?? "-"}`,
  );
}
console.log(`rows appended to ${out}`);
