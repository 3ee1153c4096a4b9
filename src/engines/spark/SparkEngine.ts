import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { projectRoot } from "../../config/settings.ts";
import { pinnedJars } from "../../env/jars.ts";
import type { GeoDbInfo } from "../../geo/GeoDb.ts";
import { findDeadRunDirs, removeQuietly, writeOwner } from "../../profile/runOwner.ts";
import { readClusterState } from "../../spark/clusterState.ts";
import type {
  Engine,
  EngineCapabilities,
  EngineOptions,
  EngineRun,
  Phase,
  PhaseTimer,
  RunRequest,
} from "../Engine.ts";
import { findSparkInstall, type SparkInstall, sparkEnv } from "../../spark/sparkInstall.ts";
import { planSubmit, type SubmitPlan, sparkSubmitArgs } from "./sparkSubmitArgs.ts";

/** The job's machine-readable stdout lines (spark/etl_spark/main.py). */
const READY = "ETL_READY ";
const PROGRESS = "ETL_PROGRESS ";
const RESULT = "ETL_RESULT ";
const ERROR = "ETL_ERROR ";

/** The job's final JSON line (spark/etl_spark/main.py, run_pipeline). */
export interface SparkJobResult {
  engine_version: string;
  master: string;
  geo_db: GeoDbInfo;
  rows_in: number;
  events: number;
  sessions: number;
  rejects: number;
  phases: Record<string, number>;
  startup_ms: number;
  run_ms: number;
  committed: {
    table: string;
    snapshotId: string | null;
    addedFiles: number;
    addedRecords: number;
  }[];
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * The Spark baseline (spark/etl_spark, docs/pipeline-spec.md) driven from TypeScript. open()
 * starts `spark-submit main.py --serve` (pyspark's own launcher, pinned jars, pinned
 * configuration) and resolves when the job prints ETL_READY, so open() measures the JVM and
 * SparkSession start-up; run() hands over the one request (a file: spark-submit gives the
 * Python driver no stdin) and maps the job's final JSON
 * to EngineRun. Spark commits the three Iceberg tables itself (Iceberg Spark runtime, same
 * JdbcCatalog), so `staged` is empty.
 */
export class SparkEngine implements Engine {
  readonly name = "spark" as const;
  readonly capabilities: EngineCapabilities = { commitsIceberg: true };
  private readonly install: SparkInstall;
  private child: ChildProcessWithoutNullStreams | null = null;
  private exited: Promise<number | null> | null = null;
  private readonly stderrTail: string[] = [];
  private pending: Pending | null = null;
  private timer: PhaseTimer | null = null;
  private sparkVersion: string | null = null;
  private requestFile: string | null = null;
  private runDir: string | null = null;
  /** What open() chose, for run summaries and tests. */
  plan: SubmitPlan | null = null;
  /** The job's own figures of the last run (startup inside the JVM, snapshots committed). */
  lastResult: SparkJobResult | null = null;

  constructor(install: SparkInstall = findSparkInstall()) {
    this.install = install;
  }

  async version(): Promise<string> {
    return this.sparkVersion ?? this.install.version;
  }

  async open(options: EngineOptions): Promise<void> {
    if (this.child !== null) throw new Error("spark: open() called twice");
    const master = options.sparkMaster;
    const cluster = master?.startsWith("spark://") ? readClusterState(master) : null;
    // Everything the JVM and the Python driver leave on disk (shuffle blocks, spark-* temp
    // folders, the job package zip) goes into one folder per run, marked with its owner, so
    // the next run removes the folders of runs that were killed (docs/hardening.md).
    const runs = join(projectRoot, "spark-work", "runs");
    for (const dead of findDeadRunDirs(runs, 3_600_000)) removeQuietly(dead.path);
    const runDir = join(runs, `${process.pid}-${randomUUID()}`);
    const localDir = join(runDir, "local");
    const tmpDir = join(runDir, "tmp");
    mkdirSync(localDir, { recursive: true });
    mkdirSync(tmpDir, { recursive: true });
    writeOwner(runDir);
    this.runDir = runDir;
    this.plan = planSubmit({
      sparkMaster: master,
      threads: options.threads,
      memoryLimit: options.memoryLimit,
      jars: pinnedJars().map((j) => j.path),
      localDir,
      tmpDir,
      cluster: cluster
        ? {
            workers: cluster.workers.length,
            coresPerWorker: cluster.coresPerWorker,
            memoryPerWorker: cluster.memoryPerWorker,
          }
        : null,
    });
    const args = sparkSubmitArgs(this.plan, this.install.mainPy);
    // spark-submit's PythonRunner gives the Python driver no stdin: the request goes through a
    // file that run() writes atomically (write + rename).
    this.requestFile = join(localDir, `request-${process.pid}-${randomUUID()}.json`);
    const child = spawn(this.install.sparkSubmit, args, {
      cwd: projectRoot,
      env: sparkEnv(this.install, {
        ETL_T0_MS: String(Date.now()),
        ETL_REQUEST_FILE: this.requestFile,
        ETL_PARENT_PID: String(process.pid),
        ETL_SPARK_LOG_LEVEL: process.env.ETL_SPARK_LOG_LEVEL ?? "WARN",
        TMPDIR: tmpDir,
      }),
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.on("close", (code) => resolve(code)));
    const verbose = process.env.ETL_SPARK_VERBOSE === "1";
    createInterface({ input: child.stderr }).on("line", (line) => {
      if (verbose || line.startsWith("ETL_SPARK_METRICS"))
        process.stderr.write(`[spark] ${line}\n`);
      this.stderrTail.push(line);
      if (this.stderrTail.length > 40) this.stderrTail.shift();
    });
    createInterface({ input: child.stdout }).on("line", (line) => this.onLine(line));
    child.on("error", (err) =>
      this.fail(new Error(`spark: cannot start spark-submit: ${err.message}`)),
    );
    void this.exited.then((code) => {
      this.fail(
        new Error(
          `spark: the job exited (code ${code}) before answering; last Spark log lines:\n` +
            this.stderrTail.slice(-15).join("\n"),
        ),
      );
    });
    const ready = (await this.wait()) as { spark_version?: string };
    this.sparkVersion = ready.spark_version ?? null;
  }

  async run(request: RunRequest, timer: PhaseTimer): Promise<EngineRun> {
    const child = this.child;
    if (child === null) throw new Error("spark: run() called before open()");
    this.timer = timer;
    const answer = this.wait();
    const file = this.requestFile;
    if (file === null) throw new Error("spark: run() called before open()");
    writeFileSync(
      `${file}.tmp`,
      JSON.stringify({
        input: request.input,
        warehouse: request.warehouse,
        namespace: request.namespace,
        geoDb: request.geoDbPath,
        mode: request.mode,
        inputFingerprint: request.inputFingerprint ?? null,
      }) + "\n",
    );
    renameSync(`${file}.tmp`, file);
    const result = (await answer) as SparkJobResult;
    this.lastResult = result;
    return {
      counts: {
        rowsIn: result.rows_in,
        events: result.events,
        sessions: result.sessions,
        rejects: result.rejects,
      },
      staged: [],
      geoDb: result.geo_db,
    };
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child === null) return;
    this.child = null;
    child.stdin.end();
    if (this.requestFile !== null) rmSync(this.requestFile, { force: true });
    const exited = this.exited ?? Promise.resolve(null);
    // The job stops its SparkSession and exits after its answer; kill it if it lingers.
    const timer = setTimeout(() => child.kill("SIGTERM"), 15_000);
    const hard = setTimeout(() => child.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(timer);
    clearTimeout(hard);
    if (this.runDir !== null) removeQuietly(this.runDir);
    this.runDir = null;
  }

  private wait(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
  }

  private fail(err: Error): void {
    const p = this.pending;
    this.pending = null;
    p?.reject(err);
  }

  private onLine(line: string): void {
    if (line.startsWith(PROGRESS)) {
      const ev = JSON.parse(line.slice(PROGRESS.length)) as {
        phase: Phase;
        state: "start" | "end";
        ms?: number;
      };
      // Phases run in the JVM and are timed there; the harness's timer records them.
      if (ev.state === "start") this.timer?.started(ev.phase);
      else this.timer?.ended(ev.phase, ev.ms ?? 0);
      return;
    }
    if (line.startsWith("ETL_SPARK_METRICS")) {
      // Spark's own job metrics per phase (spark/etl_spark/main.py): kept in the run's log.
      process.stderr.write(`[spark] ${line}\n`);
      return;
    }
    const p = this.pending;
    if (line.startsWith(READY) || line.startsWith(RESULT)) {
      const prefix = line.startsWith(READY) ? READY : RESULT;
      this.pending = null;
      p?.resolve(JSON.parse(line.slice(prefix.length)));
    } else if (line.startsWith(ERROR)) {
      const e = JSON.parse(line.slice(ERROR.length)) as { kind: string; message: string };
      this.fail(new Error(e.kind === "input" ? e.message : `spark: ${e.message}`));
    } else if (process.env.ETL_SPARK_VERBOSE === "1") {
      process.stderr.write(`[spark stdout] ${line}\n`);
    }
  }
}

export function createEngine(): Engine {
  return new SparkEngine();
}
