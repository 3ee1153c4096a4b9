import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { loadSettings } from "../config/settings.ts";
import type { Engine, EngineRun } from "../engines/Engine.ts";
import { createEngine } from "../engines/registry.ts";
import { withTableDefs } from "../lakehouse/tables.ts";
import { ProcessTreeSampler } from "../profile/ProcessTreeSampler.ts";
import { detectInputFormat } from "../input/detectInputFormat.ts";
import { checkRowBalance, recordPhases } from "./recordPhases.ts";
import type { RunSummary } from "./RunSummary.ts";

export interface RunPipelineOptions {
  engine: string;
  input: string;
  warehouse: string;
  /** Iceberg namespace; default the engine name. */
  namespace?: string;
  /** .mmdb country database; default ETL_GEO_DB or the shipped one. */
  geoDb?: string;
  threads?: number;
  memoryLimit?: string;
  mode?: "overwrite" | "append";
  sparkMaster?: string;
  /** false: stage only, keep the staged files and report their folder (tests, measurements). */
  commit?: boolean;
  /** Default `<warehouse>/.staging/<namespace>-<uuid>`, removed after a commit or a failure. */
  stagingDir?: string;
  /** One line per phase start and end; default stderr. */
  log?: (line: string) => void;
}

/**
 * Runs one engine end to end through the Engine interface: load (registry) -> open ->
 * run with progress -> commit the staged Parquet as Iceberg snapshots unless the engine
 * commits itself -> summary. Never throws: a failure is a summary with success=false,
 * the failed phase and the error text, so a benchmark records it and goes on.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<RunSummary> {
  const started = performance.now();
  const sampler = ProcessTreeSampler.start();
  const settings = loadSettings();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const namespace = options.namespace ?? options.engine;
  const warehouse = resolve(options.warehouse);
  const commit = options.commit ?? true;
  const stagingDir = resolve(
    options.stagingDir ?? join(warehouse, ".staging", `${namespace}-${randomUUID()}`),
  );
  const summary: RunSummary = {
    success: false,
    engine: options.engine,
    engine_version: null,
    input: resolve(options.input),
    input_format: null,
    input_bytes: null,
    geo_db: null,
    rows_in: null,
    events: null,
    sessions: null,
    rejects: null,
    phases: {},
    startup_ms: 0,
    total_ms: 0,
    threads: options.threads ?? availableParallelism(),
    memory_limit: options.memoryLimit ?? null,
    peak_rss_bytes: 0,
    cpu_seconds: 0,
    warehouse,
    namespace,
    mode: options.mode ?? "overwrite",
    committed: false,
    snapshots: {},
    staging_dir: null,
    failed_phase: null,
    error: null,
  };

  let engine: Engine | null = null;
  const timer = recordPhases(({ phase, state, ms }) =>
    log(
      state === "start"
        ? `[${options.engine}] ${phase} ...`
        : `[${options.engine}] ${phase} done in ${Math.round(ms ?? 0)} ms`,
    ),
  );
  try {
    summary.input_bytes = statSync(summary.input).size;
    summary.input_format = detectInputFormat(summary.input);
    log(`[${options.engine}] loading the engine`);
    engine = await createEngine(options.engine);
    await engine.open({
      threads: options.threads,
      memoryLimit: options.memoryLimit,
      sparkMaster: options.sparkMaster,
    });
    summary.startup_ms = performance.now();
    summary.engine_version = await engine.version();
    log(
      `[${options.engine}] ${summary.engine_version} ready after ${Math.round(summary.startup_ms)} ms`,
    );

    mkdirSync(stagingDir, { recursive: true });
    const run: EngineRun = await engine.run(
      {
        input: summary.input,
        geoDbPath: resolve(options.geoDb ?? settings.geoDb),
        warehouse,
        namespace,
        mode: summary.mode,
        stagingDir,
      },
      timer,
    );
    checkRowBalance(options.engine, summary.input, run.counts);
    summary.geo_db = { path: run.geoDb.path, build_date: run.geoDb.buildDate };
    summary.rows_in = run.counts.rowsIn;
    summary.events = run.counts.events;
    summary.sessions = run.counts.sessions;
    summary.rejects = run.counts.rejects;

    if (!engine.capabilities.commitsIceberg) {
      if (commit) {
        const committed = await timer.time("commit", async () => {
          // Loaded here, not at start-up: the Iceberg writer (avsc, better-sqlite3) cost
          // ~60 ms of CPU before the engine was ready (docs/engines.md, "Start-up").
          const { commitStagedTables } = await import("../iceberg/commitStagedTables.ts");
          return commitStagedTables({
            warehouse,
            namespace,
            mode: summary.mode,
            tables: withTableDefs(run.staged),
            properties: { "etl.engine": options.engine, "etl.input": summary.input },
          });
        });
        // commitStagedTables answers in the order of the tables it was given.
        for (const [i, c] of committed.entries())
          summary.snapshots[run.staged[i]!.table] = c.snapshotId;
        summary.committed = true;
      } else {
        summary.staging_dir = stagingDir;
        log(`[${options.engine}] commit skipped; staged files kept in ${stagingDir}`);
      }
    } else {
      // The engine committed itself (Spark): read the snapshot ids back from the catalog.
      if (!commit) log(`[${options.engine}] --no-commit has no effect: this engine commits itself`);
      summary.committed = true;
      const { listTableSummaries } = await import("../iceberg/listTableSummaries.ts");
      for (const row of await listTableSummaries(warehouse)) {
        const [ns, table] = String(row.table).split(".");
        if (
          ns === namespace &&
          (table === "events" || table === "sessions" || table === "rejects")
        ) {
          if (row.snapshot_id !== null) summary.snapshots[table] = String(row.snapshot_id);
        }
      }
    }
    summary.success = true;
  } catch (err) {
    summary.failed_phase = timer.current ?? "open";
    summary.error = (err as Error).message ?? String(err);
    log(`[${options.engine}] failed in ${summary.failed_phase}: ${summary.error}`);
  } finally {
    try {
      await engine?.close();
    } catch (err) {
      log(`[${options.engine}] close failed: ${(err as Error).message}`);
    }
    // Staged files are either committed (moved into the table), kept on request, or, after
    // a failure, removed: a refused input changes no table and leaves nothing behind.
    if (summary.staging_dir === null) rmSync(stagingDir, { recursive: true, force: true });
  }
  for (const [phase, ms] of timer.ms) summary.phases[`${phase}_ms`] = round(ms);
  const usage = await sampler.stop();
  summary.peak_rss_bytes = usage.peakRssBytes;
  summary.cpu_seconds = round(usage.cpuSeconds);
  summary.startup_ms = round(summary.startup_ms);
  summary.total_ms = round(performance.now() - started);
  return summary;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
