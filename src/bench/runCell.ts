import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { projectRoot } from "../config/settings.ts";
import { ProcessTreeSampler, type ProcessTreeUsage } from "../profile/ProcessTreeSampler.ts";
import { loadAverages } from "../profile/procfs.ts";
import { warehouseFingerprints } from "./warehouseFingerprints.ts";
import type { BenchCell } from "./BenchMatrix.ts";
import {
  BENCH_ROW_SCHEMA_VERSION,
  type BenchFailureReason,
  type BenchHost,
  type BenchRow,
} from "./BenchRow.ts";
import { CgroupBox } from "./CgroupBox.ts";
import { ensureInput } from "./ensureInput.ts";

export const SAMPLE_INTERVAL_MS = 100;

export interface CellContext {
  runId: string;
  matrix: string;
  matrixFile: string | null;
  codeVersion: string | null;
  host: BenchHost;
  /** Scratch folder of this run (warehouses, cluster dirs), removed cell by cell. */
  scratch: string;
  /** Each cell's stderr is appended here (the progress bar keeps the terminal). */
  logFile: string;
  log: (line: string) => void;
}

interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  wallMs: number;
  stdout: string;
  stderrTail: string[];
  usage: ProcessTreeUsage;
}

/** The JSON line a cell process prints: `etl run`'s RunSummary, or the copy floor's subset. */
interface CellSummary {
  success?: boolean;
  engine_version?: string | null;
  rows_in?: number | null;
  events?: number | null;
  sessions?: number | null;
  rejects?: number | null;
  phases?: Record<string, number>;
  startup_ms?: number;
  error?: string | null;
  failed_phase?: string | null;
  input_bytes?: number | null;
}

/**
 * Runs one (cell, repetition) in a fresh process, inside its box when it has one, sampling
 * the whole process tree every 100 ms, and returns its row. Never throws for a cell that
 * fails: an error, a kill by the memory box or a timeout is a row with the reason.
 */
export async function runCell(
  cell: BenchCell,
  repetition: number,
  ctx: CellContext,
): Promise<BenchRow> {
  const startedAt = new Date();
  const load = loadAverages();
  const tag = `${cell.id}#${repetition}`;
  const row: BenchRow = {
    schema_version: BENCH_ROW_SCHEMA_VERSION,
    run_id: ctx.runId,
    matrix: ctx.matrix,
    matrix_file: ctx.matrixFile,
    code_version: ctx.codeVersion,
    cell_id: cell.id,
    repetition,
    target: cell.target,
    engine_version: null,
    events: cell.events,
    input_format: cell.format,
    input_path: "",
    input_bytes: null,
    threads: cell.threads,
    memory_limit: cell.memoryLimit,
    box: cell.box?.name ?? null,
    box_cores: cell.box?.cores ?? null,
    box_memory_bytes: cell.box?.memoryBytes ?? null,
    box_enforced: false,
    box_note: null,
    cores_available: cell.box?.cores ?? ctx.host.logical_cores,
    spark_master: null,
    spark_workers: cell.spark ? cell.spark.workers : null,
    spark_mode: cell.spark?.mode ?? null,
    spark_settings: cell.spark ? { ...cell.spark.settings } : null,
    success: false,
    failure_reason: null,
    error: null,
    exit_code: null,
    exit_signal: null,
    wall_ms: null,
    startup_ms: null,
    phases: {},
    phases_source: null,
    peak_rss_bytes: null,
    cpu_seconds: null,
    cpu_mean_util: null,
    cpu_max_util: null,
    sample_interval_ms: SAMPLE_INTERVAL_MS,
    samples: null,
    cgroup_mem_failcnt: null,
    cgroup_oom_killed: null,
    cgroup_max_usage_bytes: null,
    rows_in: null,
    events_out: null,
    sessions: null,
    rejects: null,
    fingerprints: null,
    equivalent: null,
    equivalent_to: null,
    host: ctx.host,
    load_avg_before: load,
    started_at: startedAt.toISOString(),
    finished_at: startedAt.toISOString(),
  };
  const workDir = join(ctx.scratch, `${cell.id}-r${repetition}`);
  const boxes: CgroupBox[] = [];
  let clusterDir: string | null = null;
  const cleanups: (() => Promise<void> | void)[] = [];
  let inputFile = "";
  try {
    // --- setup: input, box, cluster -------------------------------------------------------
    try {
      inputFile = await ensureInput(cell.events, cell.format, ctx.log);
      // Relative to the repository: committed rows name no path of this machine.
      row.input_path = relative(projectRoot, inputFile);
      row.input_bytes = statSync(inputFile).size;
    } catch (err) {
      return finish(row, "setup", `input: ${(err as Error).message}`);
    }
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { recursive: true });
    let box: CgroupBox | null = null;
    if (cell.box !== null) {
      const made = CgroupBox.create(cell.box, `${cell.id}-r${repetition}`);
      box = made.box;
      row.box_note = made.note;
      row.box_enforced = box !== null;
      if (box !== null) boxes.push(box);
    }
    const env: NodeJS.ProcessEnv = { ...process.env };
    const extraRoots: number[] = [];
    let baseline: ProcessTreeUsage[] = [];
    if (cell.spark !== null) {
      row.phases_source = cell.spark.mode === "fair" ? "spark-status-store" : "cache-count";
      env.ETL_SPARK_MODE = cell.spark.mode;
      const { cache, ...conf } = cell.spark.settings;
      if (cache !== undefined) env.ETL_SPARK_CACHE = cache;
      const confText = Object.entries(conf).map(([k, v]) => `${k}=${v}`);
      if (confText.length > 0) env.ETL_SPARK_CONF = confText.join(",");
      if (cell.spark.master === "standalone") {
        clusterDir = join(workDir, "cluster");
        try {
          const cluster = await startCluster(cell, clusterDir, ctx, boxes, row);
          row.spark_master = cluster.masterUrl;
          env.ETL_SPARK_CLUSTER_DIR = clusterDir;
          extraRoots.push(cluster.master.pid, ...cluster.workers.map((w) => w.pid));
        } catch (err) {
          return finish(row, "setup", `spark cluster: ${(err as Error).message}`);
        }
        // The daemons' own start-up CPU is not the cell's: measure it now and subtract it.
        baseline = await Promise.all(
          extraRoots.map((pid) => ProcessTreeSampler.start(pid, SAMPLE_INTERVAL_MS).stop()),
        );
      } else {
        row.spark_master = `local[${cell.threads}]`;
      }
    } else {
      row.phases_source = "engine";
    }

    // --- the cell's process ---------------------------------------------------------------
    const warehouse = join(workDir, "warehouse");
    const args =
      cell.target === "floor"
        ? [
            join(projectRoot, "bin", "etl.js"),
            "copy-floor",
            inputFile,
            join(workDir, "floor.parquet"),
            "--threads",
            String(cell.threads),
            ...(cell.memoryLimit ? ["--memory-limit", cell.memoryLimit] : []),
          ]
        : [
            join(projectRoot, "bin", "etl.js"),
            "run",
            "--engine",
            cell.target,
            "--input",
            inputFile,
            "--warehouse",
            warehouse,
            "--threads",
            String(cell.threads),
            ...(cell.memoryLimit ? ["--memory-limit", cell.memoryLimit] : []),
            ...(row.spark_master !== null ? ["--spark-master", row.spark_master] : []),
          ];
    const command = box ? box.wrap(process.execPath, args) : { command: process.execPath, args };
    appendFileSync(ctx.logFile, `\n=== ${new Date().toISOString()} ${tag}: ${args.join(" ")}\n`);
    const out = await runChild(command.command, command.args, env, cell.timeoutMs, extraRoots, ctx);
    for (let i = 0; i < baseline.length; i++) {
      out.usage.cpuSeconds -= baseline[i].cpuSeconds;
    }
    row.finished_at = new Date().toISOString();
    row.exit_code = out.code;
    row.exit_signal = out.signal;
    row.wall_ms = round(out.wallMs);
    row.peak_rss_bytes = out.usage.peakRssBytes;
    row.cpu_seconds = round(Math.max(0, out.usage.cpuSeconds), 2);
    row.samples = out.usage.samples;
    row.cpu_mean_util = round(row.cpu_seconds / (out.wallMs / 1000) / row.cores_available, 3);
    row.cpu_max_util = round(out.usage.maxCores / row.cores_available, 3);
    if (box !== null) {
      await killStragglers(box);
      const c = box.counters();
      row.cgroup_mem_failcnt = c.failcnt;
      row.cgroup_oom_killed = c.oomKilled;
      row.cgroup_max_usage_bytes = c.maxUsageBytes;
    }
    const summary = parseSummary(out.stdout);
    if (summary !== null) {
      row.engine_version = summary.engine_version ?? null;
      row.startup_ms = summary.startup_ms ?? null;
      row.phases = summary.phases ?? {};
      row.rows_in = summary.rows_in ?? null;
      row.events_out = summary.events ?? null;
      row.sessions = summary.sessions ?? null;
      row.rejects = summary.rejects ?? null;
    }
    const oomText = /out of memory|OutOfMemoryError|Cannot allocate memory|memory limit/i;
    const errText =
      summary?.error ??
      out.stderrTail
        .filter((l) => l.trim() !== "")
        .slice(-3)
        .join(" | ");
    if (out.timedOut) {
      return finish(
        row,
        "timeout",
        `killed after the cell's limit of ${cell.timeoutMs / 60000} min`,
      );
    }
    if (row.cgroup_oom_killed || (box !== null && out.signal === "SIGKILL")) {
      return finish(
        row,
        "oom",
        `killed by the memory box ${cell.box?.name} (oom_kill in memory.oom_control, signal ${out.signal ?? "none"}, exit ${out.code}); ${errText}`.slice(
          0,
          2000,
        ),
      );
    }
    if (out.code !== 0 || summary?.success !== true) {
      const reason: BenchFailureReason = oomText.test(errText ?? "") ? "oom" : "error";
      return finish(
        row,
        reason,
        `${summary?.failed_phase ? `failed in ${summary.failed_phase}: ` : ""}${errText || `exit ${out.code} signal ${out.signal}`}`.slice(
          0,
          2000,
        ),
      );
    }
    row.success = true;
    if (cell.target !== "floor") {
      try {
        const fp = await warehouseFingerprints(warehouse, cell.target, { threads: cell.threads });
        row.fingerprints = fp;
      } catch (err) {
        ctx.log(`${tag}: fingerprints could not be read: ${(err as Error).message}`);
        return finish(row, "error", `fingerprint read-back failed: ${(err as Error).message}`);
      }
    }
    return row;
  } finally {
    for (const c of cleanups) await c();
    if (clusterDir !== null) {
      const { SparkCluster } = await import("../spark/SparkCluster.ts");
      try {
        await SparkCluster.stop(clusterDir);
      } catch (err) {
        ctx.log(`${tag}: cluster stop: ${(err as Error).message}`);
      }
      // Worker boxes: the OOM of an executor shows only here.
      for (const b of boxes.slice(cell.box ? 1 : 0)) {
        const c = b.counters();
        row.cgroup_mem_failcnt = (row.cgroup_mem_failcnt ?? 0) + c.failcnt;
        row.cgroup_oom_killed = (row.cgroup_oom_killed ?? false) || c.oomKilled;
        row.cgroup_max_usage_bytes = (row.cgroup_max_usage_bytes ?? 0) + c.maxUsageBytes;
      }
      if (row.cgroup_oom_killed && !row.success && row.failure_reason === "error") {
        row.failure_reason = "oom";
        row.error = `an executor was killed by its worker's memory box; ${row.error}`;
      }
    }
    for (const b of boxes) {
      await killStragglers(b);
      b.remove();
    }
    rmSync(workDir, { recursive: true, force: true });
    row.finished_at = new Date().toISOString();
  }
}

function finish(row: BenchRow, reason: BenchFailureReason, error: string): BenchRow {
  row.success = false;
  row.failure_reason = reason;
  // Committed rows name no path of this machine: the checkout's paths become relative.
  row.error = (error || reason).replaceAll(`${projectRoot}/`, "");
  row.fingerprints = null;
  row.finished_at = new Date().toISOString();
  return row;
}

async function startCluster(
  cell: BenchCell,
  dir: string,
  ctx: CellContext,
  boxes: CgroupBox[],
  row: BenchRow,
) {
  const { SparkCluster } = await import("../spark/SparkCluster.ts");
  const spark = cell.spark!;
  const wb = spark.workerBox;
  const workerBoxes: (CgroupBox | null)[] = [];
  const notes: string[] = [];
  for (let i = 1; i <= spark.workers; i++) {
    if (wb === null) {
      workerBoxes.push(null);
      continue;
    }
    // Worker i on its own cores when the host has enough (cpu i-1 for 1-core workers).
    const made = CgroupBox.create(wb, `${cell.id}-r${row.repetition}-w${i}`, (i - 1) * wb.cores);
    workerBoxes.push(made.box);
    if (made.box) boxes.push(made.box);
    if (made.note) notes.push(made.note);
  }
  const perWorkerCores = wb?.cores ?? 1;
  // Executor heap: half the worker's box (worker daemon heap, JVM overhead, Python workers).
  const memoryPerWorker = wb ? `${Math.floor(wb.memoryBytes / 2 ** 20 / 2)}m` : "2g";
  row.box = wb ? `${spark.workers}x${wb.name}` : null;
  row.box_cores = wb ? spark.workers * wb.cores : null;
  row.box_memory_bytes = wb ? spark.workers * wb.memoryBytes : null;
  row.box_enforced = wb !== null && workerBoxes.every((b) => b !== null);
  row.box_note = notes.length > 0 ? notes.join("; ") : null;
  row.cores_available = spark.workers * perWorkerCores;
  ctx.log(
    `${cell.id}: starting a Spark standalone cluster, ${spark.workers} x ${perWorkerCores} core(s)`,
  );
  return SparkCluster.start({
    workers: spark.workers,
    coresPerWorker: perWorkerCores,
    memoryPerWorker,
    port: 0,
    webUiPort: 0,
    dir,
    wrapWorker: (i, command, args) => workerBoxes[i - 1]?.wrap(command, args) ?? { command, args },
  });
}

function runChild(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  extraRoots: number[],
  ctx: CellContext,
): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, {
      cwd: projectRoot,
      env,
      detached: true, // own process group: a timeout ends the whole tree
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid === undefined) {
      reject(new Error(`cannot start ${command}`));
      return;
    }
    const samplers = [child.pid, ...extraRoots].map((pid) =>
      ProcessTreeSampler.start(pid, SAMPLE_INTERVAL_MS),
    );
    let stdout = "";
    const tail: string[] = [];
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      const text = d.toString();
      appendFileSync(ctx.logFile, text);
      for (const line of text.split("\n")) {
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.once("error", reject);
    child.once("exit", async (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - start;
      const usages = await Promise.all(samplers.map((s) => s.stop()));
      // Sum over the roots (driver tree + each standalone daemon's tree): peaks are summed
      // as an upper bound, since the trees' peaks need not coincide.
      const usage: ProcessTreeUsage = usages.reduce((a, u) => ({
        peakRssBytes: a.peakRssBytes + u.peakRssBytes,
        cpuSeconds: a.cpuSeconds + u.cpuSeconds,
        samples: Math.max(a.samples, u.samples),
        maxProcesses: a.maxProcesses + u.maxProcesses,
        maxCores: a.maxCores + u.maxCores,
      }));
      // Let stdout drain (the exit event can come before the last data event).
      await new Promise((r) => setTimeout(r, 50));
      resolve({ code, signal, timedOut, wallMs, stdout, stderrTail: tail, usage });
    });
  });
}

async function killStragglers(box: CgroupBox): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const pids = box.pids();
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function parseSummary(stdout: string): CellSummary | null {
  const lines = stdout.trim().split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (!line.startsWith("{")) continue;
    try {
      return JSON.parse(line) as CellSummary;
    } catch {
      return null;
    }
  }
  return null;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
