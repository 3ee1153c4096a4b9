import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { parseMemorySize } from "../config/memorySize.ts";
import { loadSettings } from "../config/settings.ts";
import type { Engine, EngineRun } from "../engines/Engine.ts";
import { createEngine } from "../engines/registry.ts";
import { checkInputFile } from "../input/checkInputFile.ts";
import { detectInputFormat } from "../input/detectInputFormat.ts";
import { fingerprintInput, INPUT_FINGERPRINT_KEY } from "../input/fingerprintInput.ts";
import { validateNamespace } from "../lakehouse/namespace.ts";
import { withTableDefs } from "../lakehouse/tables.ts";
import { ProcessTreeSampler } from "../profile/ProcessTreeSampler.ts";
import { writeOwner } from "../profile/runOwner.ts";
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
  /** Append the same input (same fingerprint) again although its rows are already live. */
  allowDuplicateInput?: boolean;
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
 * the failed phase and the error text, so a benchmark records it and goes on. The checks
 * that need no engine (namespace, memory size, warehouse, input file, duplicate append) run
 * first, in phase "check", before anything is written (docs/hardening.md).
 */
export async function runPipeline(options: RunPipelineOptions): Promise<RunSummary> {
  const started = performance.now();
  // Started once the engine is ready (below), not here: its worker thread's start cost
  // ~60 ms of CPU beside the engine's loading on the 2-core machine (docs/engines.md,
  // "Start-up"). Nothing is lost: CPU is read as the process tree's cumulative time, and the
  // root's peak before that point as its VmHWM; a run that fails before it samples once.
  let sampler: ProcessTreeSampler | null = null;
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
    input_fingerprint: null,
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
  // Before an engine phase starts: "check" (refused before anything is loaded or written),
  // then "open" (loading the engine).
  let stage: "check" | "open" = "check";
  let stagingMade = false;
  // Crash test: stop at one named point of the commit and wait for kill -9.
  const point = async (name: string): Promise<void> => {
    if (settings.pauseAt !== name) return;
    log(`[${options.engine}] paused at ${name} (pid ${process.pid})`);
    await new Promise(() => setInterval(() => {}, 1 << 30));
  };
  const timer = recordPhases(({ phase, state, ms }) =>
    log(
      state === "start"
        ? `[${options.engine}] ${phase} ...`
        : `[${options.engine}] ${phase} done in ${Math.round(ms ?? 0)} ms`,
    ),
  );
  try {
    validateNamespace(namespace);
    const memoryLimit =
      options.memoryLimit === undefined ? undefined : parseMemorySize(options.memoryLimit).duckdb;
    checkWarehouse(warehouse);
    summary.input_bytes = checkInputFile(summary.input);
    summary.input_format = detectInputFormat(summary.input);
    summary.input_fingerprint = fingerprintInput(summary.input);
    if (summary.mode === "append" && !options.allowDuplicateInput) {
      const { findInputInNamespace } = await import("./findInputInNamespace.ts");
      const dup = await findInputInNamespace(warehouse, namespace, summary.input_fingerprint);
      if (dup !== null) {
        throw new Error(
          `${summary.input}: this input (${summary.input_fingerprint}) is already in namespace ` +
            `${namespace} (snapshot ${dup.snapshotId} of ${namespace}.events, ${dup.committedAt}); ` +
            `appending it again would duplicate every event. Pass --allow-duplicate-input to append it anyway`,
        );
      }
    }
    if (hasEntries(join(warehouse, ".staging"))) {
      // Loaded only when there is something to look at (the catalog reader costs start-up).
      const { cleanDeadRuns } = await import("./cleanDeadRuns.ts");
      for (const line of await cleanDeadRuns(warehouse)) log(`[${options.engine}] ${line}`);
    }
    stage = "open";
    log(`[${options.engine}] loading the engine`);
    engine = await createEngine(options.engine);
    await engine.open({
      threads: options.threads,
      memoryLimit,
      sparkMaster: options.sparkMaster,
    });
    summary.startup_ms = performance.now();
    sampler = ProcessTreeSampler.start();
    summary.engine_version = await engine.version();
    log(
      `[${options.engine}] ${summary.engine_version} ready after ${Math.round(summary.startup_ms)} ms`,
    );

    stagingMade = true;
    mkdirSync(stagingDir, { recursive: true });
    writeOwner(stagingDir);
    const run: EngineRun = await engine.run(
      {
        input: summary.input,
        geoDbPath: resolve(options.geoDb ?? settings.geoDb),
        warehouse,
        namespace,
        mode: summary.mode,
        stagingDir,
        inputFingerprint: summary.input_fingerprint,
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
          const { localFileIO } = await import("../iceberg/fileIO.ts");
          const { journaledFileIO } = await import("../iceberg/journaledFileIO.ts");
          // Every file the commit creates in a table is journaled first, so that if this
          // process dies before the catalog swap the next run removes exactly those.
          const io = journaledFileIO(localFileIO, join(stagingDir, COMMIT_JOURNAL));
          await point("commit-start");
          return commitStagedTables(
            {
              warehouse,
              namespace,
              mode: summary.mode,
              tables: withTableDefs(run.staged),
              properties: { "etl.engine": options.engine, "etl.input": summary.input },
              snapshotProperties: {
                "etl.engine": options.engine,
                "etl.input": summary.input,
                [INPUT_FINGERPRINT_KEY]: summary.input_fingerprint!,
              },
            },
            { io, onPoint: point },
          );
        });
        // commitStagedTables answers in the order of the tables it was given.
        for (const [i, c] of committed.entries())
          summary.snapshots[run.staged[i]!.table] = c.snapshotId;
        summary.committed = true;
        await point("committed");
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
    summary.failed_phase = timer.current ?? stage;
    summary.error = (err as Error).message ?? String(err);
    log(`[${options.engine}] failed in ${summary.failed_phase}: ${summary.error}`);
  } finally {
    try {
      await engine?.close();
    } catch (err) {
      log(`[${options.engine}] close failed: ${(err as Error).message}`);
    }
    // Staged files are either committed (moved into the table), kept on request, or, after
    // a failure, removed: a refused input changes no table and leaves nothing behind. A
    // cleanup error is logged, never thrown: the summary must still be printed and the
    // sampler stopped, or its worker keeps the process alive.
    if (stagingMade && summary.staging_dir === null) {
      try {
        if (!summary.committed && existsSync(join(stagingDir, COMMIT_JOURNAL))) {
          const { readJournal } = await import("../iceberg/journaledFileIO.ts");
          const { removeUnreferenced } = await import("./cleanDeadRuns.ts");
          const journal = readJournal(join(stagingDir, COMMIT_JOURNAL));
          for (const line of await removeUnreferenced(warehouse, journal))
            log(`[${options.engine}] ${line}`);
        }
        rmSync(stagingDir, { recursive: true, force: true });
        removeIfEmpty(join(warehouse, ".staging"));
      } catch (err) {
        log(`[${options.engine}] could not remove ${stagingDir}: ${(err as Error).message}`);
      }
      if (summary.committed) await point("cleaned");
    }
  }
  for (const [phase, ms] of timer.ms) summary.phases[`${phase}_ms`] = round(ms);
  const usage = await (sampler ?? ProcessTreeSampler.start()).stop();
  summary.peak_rss_bytes = usage.peakRssBytes;
  summary.cpu_seconds = round(usage.cpuSeconds);
  summary.startup_ms = round(summary.startup_ms);
  summary.total_ms = round(performance.now() - started);
  return summary;
}

/** The warehouse must be a folder (or not exist yet, then it is created with the catalog). */
function checkWarehouse(warehouse: string): void {
  let st;
  try {
    st = statSync(warehouse);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    throw new Error(
      `--warehouse ${warehouse} cannot be used (${code ?? (err as Error).message}): pass a folder`,
    );
  }
  if (!st.isDirectory()) {
    throw new Error(
      `--warehouse ${warehouse} is not a folder: pass the folder that holds (or will hold) catalog.db`,
    );
  }
}

/** Name of the commit journal inside a run's staging folder (iceberg/journaledFileIO.ts). */
const COMMIT_JOURNAL = "commit.journal";

function hasEntries(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/** Removes a folder only when it is empty (another run may be staging in it). */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty, or already gone
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
