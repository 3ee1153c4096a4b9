// `make bench` / `make bench-10m`: copy floor, DuckDB end to end and Polars end to end on
// the same input, each in a FRESH process, timed from outside (wall time and peak RSS of
// the child's process tree). Appends one tidy row per run to results/bench.jsonl and prints
// a table (wall, peak RSS, CPU, startup_ms, load) with the ratios DuckDB/floor (goal <= 2.0,
// issue 10; the long-term aim is 1.3) and Polars/DuckDB (goal <= 1.5).
// Figures, not a test. Usage: pipelineBench.ts --input FILE [--label 1m] [--runs N]
//   [--threads N] [--memory-limit SIZE (default: each engine's own)] [--engines floor,duckdb,polars]
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadSettings, projectRoot } from "../src/config/settings.ts";
import type { RunSummary } from "../src/harness/RunSummary.ts";
import { hostInventory } from "../src/profile/hostInventory.ts";
import { ProcessTreeSampler } from "../src/profile/ProcessTreeSampler.ts";

/** One row of results/bench.jsonl. */
interface BenchRow {
  bench: "pipeline";
  at: string;
  label: string;
  input: string;
  input_bytes: number;
  /** floor = DuckDB read + Parquet write with no transform; otherwise the engine via `etl run`. */
  target: string;
  run: number;
  success: boolean;
  error: string | null;
  wall_ms: number;
  peak_rss_bytes: number;
  cpu_seconds: number;
  threads: number;
  memory_limit: string;
  rows_in: number | null;
  /** From the run summary: engine phases and commit (ms). */
  phases: Record<string, number>;
  startup_ms: number | null;
  load_avg_1m_before: number;
  /** The machine is shared with other engineers' jobs: figures are indicative. */
  machine_shared: true;
  host: { cpu: string; logical_cores: number; memory_bytes: number };
}

const { values } = parseArgs({
  options: {
    input: { type: "string" },
    label: { type: "string", default: "" },
    runs: { type: "string", default: "1" },
    threads: { type: "string", default: String(availableParallelism()) },
    // Unset: each engine's own default (DuckDB: half of the machine or cgroup box).
    "memory-limit": { type: "string" },
    engines: { type: "string", default: "floor,duckdb,polars" },
  },
});
if (!values.input) throw new Error("pipelineBench: --input FILE is required (make bench makes it)");
const input = resolve(values.input);
const runs = Number(values.runs);
const threads = values.threads!;
const memoryLimit = values["memory-limit"];
const targets = values.engines!.split(",");
const settings = loadSettings();
const host = await hostInventory();
mkdirSync(join(projectRoot, "scratch"), { recursive: true });
const scratch = mkdtempSync(join(projectRoot, "scratch", "bench-"));
mkdirSync(settings.resultsDir, { recursive: true });
const resultsFile = join(settings.resultsDir, "bench.jsonl");

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  peakRss: number;
  cpuSeconds: number;
}

async function timedChild(args: string[]): Promise<ChildResult> {
  const start = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const sampler = ProcessTreeSampler.start(child.pid!, 50);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    process.stderr.write(d);
  });
  // Sample until the child has exited but before it is reaped, then wait for the exit code.
  const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
  const wallMs = performance.now() - start;
  const usage = await sampler.stop();
  return {
    code,
    stdout,
    stderr,
    wallMs,
    peakRss: usage.peakRssBytes,
    cpuSeconds: usage.cpuSeconds,
  };
}

const tsx = join(projectRoot, "node_modules", "tsx", "dist", "cli.mjs");
const rows: BenchRow[] = [];
for (let run = 1; run <= runs; run++) {
  for (const target of targets) {
    const load = loadavg()[0];
    process.stderr.write(`bench: ${target} run ${run} on ${input} (load ${load.toFixed(2)})\n`);
    const out = join(scratch, `${target}-${run}`);
    const args =
      target === "floor"
        ? [
            tsx,
            join(projectRoot, "bench", "copyFloor.ts"),
            input,
            `${out}.parquet`,
            threads,
            memoryLimit ?? "default",
          ]
        : [
            join(projectRoot, "bin", "etl.js"),
            "run",
            "--engine",
            target,
            "--input",
            input,
            "--warehouse",
            out,
            "--threads",
            threads,
            ...(memoryLimit === undefined ? [] : ["--memory-limit", memoryLimit]),
          ];
    const res = await timedChild(args);
    let summary: Partial<RunSummary> & { copy_ms?: number } = {};
    try {
      summary = JSON.parse(res.stdout.trim().split("\n").pop() ?? "{}");
    } catch {
      summary = {};
    }
    const success = res.code === 0 && (target === "floor" || summary.success === true);
    const row: BenchRow = {
      bench: "pipeline",
      at: new Date().toISOString(),
      label: values.label!,
      input,
      input_bytes: statSync(input).size,
      target,
      run,
      success,
      error: success
        ? null
        : (summary.error ?? res.stderr.trim().split("\n").slice(-3).join(" | ")),
      wall_ms: Math.round(res.wallMs),
      peak_rss_bytes: res.peakRss,
      cpu_seconds: Math.round(res.cpuSeconds * 100) / 100,
      threads: Number(threads),
      memory_limit: memoryLimit ?? "engine default",
      rows_in: summary.rows_in ?? null,
      phases: (summary.phases as Record<string, number>) ?? {},
      startup_ms: summary.startup_ms ?? null,
      load_avg_1m_before: Math.round(load * 100) / 100,
      machine_shared: true,
      host: { cpu: host.cpu, logical_cores: host.logicalCores, memory_bytes: host.memoryBytes },
    };
    appendFileSync(resultsFile, `${JSON.stringify(row)}\n`);
    rows.push(row);
    rmSync(out, { recursive: true, force: true });
    rmSync(`${out}.parquet`, { force: true });
  }
}
rmSync(scratch, { recursive: true, force: true });

// The table: best (smallest) wall time per target, with peak RSS of that run.
const best = new Map<string, BenchRow>();
for (const r of rows) {
  if (!r.success) continue;
  const b = best.get(r.target);
  if (b === undefined || r.wall_ms < b.wall_ms) best.set(r.target, r);
}
const mb = (b: number) => `${Math.round(b / 1048576)} MB`;
console.log(
  `\ninput ${input} (${mb(statSync(input).size)}), threads ${threads}, memory limit ${memoryLimit ?? "engine default"}, ` +
    `${runs} run(s) each, fresh process per run; SHARED machine (${host.logicalCores} cores): indicative figures`,
);
console.log(
  [
    "target".padEnd(8),
    "wall s".padStart(8),
    "peak RSS".padStart(10),
    "CPU s".padStart(7),
    "startup ms".padStart(11),
    "  load",
    "  phases (ms)",
  ].join(" "),
);
for (const t of targets) {
  const r = best.get(t);
  const failed = rows.find((x) => x.target === t && !x.success);
  if (r === undefined) {
    console.log(`${t.padEnd(8)} FAILED: ${failed?.error ?? "no run"}`);
    continue;
  }
  const phases = Object.entries(r.phases)
    .map(([k, v]) => `${k.replace(/_ms$/, "")} ${Math.round(v)}`)
    .join(", ");
  console.log(
    [
      t.padEnd(8),
      (r.wall_ms / 1000).toFixed(2).padStart(8),
      mb(r.peak_rss_bytes).padStart(10),
      r.cpu_seconds.toFixed(1).padStart(7),
      (r.startup_ms === null ? "-" : String(Math.round(r.startup_ms))).padStart(11),
      r.load_avg_1m_before.toFixed(1).padStart(6),
      `  ${phases}`,
    ].join(" "),
  );
}
const ratio = (a: string, b: string, goal: number) => {
  const x = best.get(a);
  const y = best.get(b);
  if (x === undefined || y === undefined) return;
  const v = x.wall_ms / y.wall_ms;
  // CPU time is less sensitive than wall time to the other jobs on a shared machine.
  const cpu = x.cpu_seconds / y.cpu_seconds;
  console.log(
    `${a}/${b} = ${v.toFixed(2)} wall (goal <= ${goal}: ${v <= goal ? "met" : "MISSED"}), ${cpu.toFixed(2)} CPU`,
  );
};
ratio("duckdb", "floor", 2.0);
ratio("polars", "duckdb", 1.5);
console.log(`rows appended to ${resultsFile}`);
