import type { BenchRow, BenchTarget } from "../../src/bench/BenchRow.ts";
import { SplitMix32 } from "../../src/generator/SplitMix32.ts";

/**
 * A SMALL SYNTHETIC FIXTURE, NOT MEASUREMENTS: bench rows generated from known engine
 * parameters (below) with +-2% noise, valid against the bench row schema, so tests can check
 * that the fit recovers the parameters and that the deck renders. Every row says so in its
 * matrix name, run id and host.
 */
export interface FixtureEngine {
  startupS: number;
  interceptS: number;
  serialUsPerEvent: number;
  parallelCoreUsPerEvent: number;
  baseMiB: number;
  bytesPerEvent: number;
}

export const FIXTURE_ENGINES: Record<BenchTarget, FixtureEngine> = {
  floor: {
    startupS: 0.2,
    interceptS: 0.1,
    serialUsPerEvent: 0.1,
    parallelCoreUsPerEvent: 0.6,
    baseMiB: 100,
    bytesPerEvent: 10,
  },
  duckdb: {
    startupS: 0.3,
    interceptS: 0.2,
    serialUsPerEvent: 0.3,
    parallelCoreUsPerEvent: 1.2,
    baseMiB: 150,
    bytesPerEvent: 60,
  },
  polars: {
    startupS: 0.5,
    interceptS: 0.3,
    serialUsPerEvent: 0.5,
    parallelCoreUsPerEvent: 1.6,
    baseMiB: 200,
    bytesPerEvent: 120,
  },
  spark: {
    startupS: 8,
    interceptS: 4,
    serialUsPerEvent: 0.4,
    parallelCoreUsPerEvent: 6,
    baseMiB: 900,
    bytesPerEvent: 90,
  },
};

export const FIXTURE_LABEL = "FIXTURE (synthetic, not a measurement)";

/** The host every fixture row claims: a 2-core, 24 GiB machine labelled as a fixture. */
const FIXTURE_HOST: BenchRow["host"] = {
  cpu: FIXTURE_LABEL,
  physical_cores: 2,
  logical_cores: 2,
  memory_bytes: 24 * 2 ** 30,
  os: "fixture",
  node: "fixture",
  hostname: "fixture",
};

export function fixtureRows(noise = 0.02, seed = 7): BenchRow[] {
  const rng = new SplitMix32(seed);
  const jitter = () => 1 + noise * (2 * rng.float() - 1);
  const rows: BenchRow[] = [];
  const add = (
    engine: BenchTarget,
    events: number,
    threads: number,
    opts: { workers?: number; box?: [string, number, number] } = {},
  ) => {
    const p = FIXTURE_ENGINES[engine];
    // A standalone cell: one 1-core / 4 GiB box per worker, as etl bench records it.
    if (opts.workers)
      opts = { ...opts, box: [`${opts.workers}x1c-4g`, opts.workers, opts.workers * 4 * 2 ** 30] };
    const cores = opts.box ? Math.min(threads, opts.box[1]) : threads;
    const cellId = `${engine}-${events}-csv-t${threads}-${opts.box ? opts.box[0] : "bare"}${opts.workers ? `-w${opts.workers}` : ""}`;
    for (let rep = 1; rep <= 3; rep++) {
      const job =
        p.interceptS +
        (p.serialUsPerEvent * events + (p.parallelCoreUsPerEvent * events) / cores) / 1e6;
      const peak = Math.round((p.baseMiB * 2 ** 20 + p.bytesPerEvent * events) * jitter());
      const oom = opts.box !== undefined && peak > opts.box[2];
      const startup = p.startupS * jitter();
      const wall = startup + job * jitter();
      rows.push({
        schema_version: "1.0",
        run_id: "fixture-not-measured",
        matrix: "fixture-not-measured",
        matrix_file: null,
        cell_id: cellId,
        repetition: rep,
        target: engine,
        engine_version: `${engine} (fixture)`,
        events,
        input_format: "csv",
        input_path: `fixture/clickstream-${events}.csv`,
        input_bytes: events * 290,
        threads,
        memory_limit: null,
        box: opts.box ? opts.box[0] : null,
        box_cores: opts.box ? opts.box[1] : null,
        box_memory_bytes: opts.box ? opts.box[2] : null,
        box_enforced: opts.box !== undefined,
        box_note: null,
        cores_available: opts.box ? opts.box[1] : 2,
        spark_master:
          engine === "spark"
            ? opts.workers
              ? "spark://127.0.0.1:7077"
              : `local[${threads}]`
            : null,
        spark_workers: engine === "spark" ? (opts.workers ?? 0) : null,
        spark_mode: engine === "spark" ? "fair" : null,
        success: !oom,
        failure_reason: oom ? "oom" : null,
        error: oom ? "killed by the memory box (fixture)" : null,
        exit_code: oom ? null : 0,
        exit_signal: oom ? "SIGKILL" : null,
        wall_ms: oom ? null : wall * 1000,
        startup_ms: oom ? null : startup * 1000,
        phases: {},
        phases_source: null,
        peak_rss_bytes: oom ? null : peak,
        cpu_seconds: oom ? null : job * cores * 0.9,
        cpu_mean_util: oom ? null : 0.9,
        cpu_max_util: oom ? null : 1,
        sample_interval_ms: 100,
        samples: oom ? null : Math.round(wall * 10),
        cgroup_mem_failcnt: opts.box ? (oom ? 1 : 0) : null,
        cgroup_oom_killed: opts.box ? oom : null,
        rows_in: oom ? null : events,
        events_out: oom ? null : Math.round(events * 0.98),
        sessions: oom ? null : Math.round(events / 6),
        rejects: oom ? null : Math.round(events * 0.02),
        fingerprints: oom ? null : { events: "fixture", sessions: "fixture", rejects: "fixture" },
        equivalent: oom || engine === "floor" ? null : true,
        equivalent_to: null,
        host: { ...FIXTURE_HOST },
        load_avg_before: [0.5, 0.5, 0.5],
        started_at: "2026-01-01T00:00:00Z",
        finished_at: "2026-01-01T00:00:01Z",
      });
    }
  };
  for (const engine of ["floor", "duckdb", "polars", "spark"] as BenchTarget[])
    for (const events of [100_000, 1_000_000, 10_000_000])
      for (const threads of [1, 2]) add(engine, events, threads);
  for (const workers of [1, 2]) add("spark", 1_000_000, workers, { workers });
  add("polars", 10_000_000, 2, { box: ["2c-1g", 2, 2 ** 30] });
  return rows;
}

/**
 * One schema-valid row of a hand-made fixture cell (defaults: DuckDB, 1M CSV events, 2 threads
 * on a bare 2-core host, success, 10 s wall, 1 GiB peak); tests override what they check.
 */
export function makeRow(over: Partial<BenchRow> & { cell_id: string }): BenchRow {
  const target = over.target ?? "duckdb";
  const spark = target === "spark";
  return {
    schema_version: "1.1",
    run_id: "fixture-not-measured",
    matrix: "fixture-not-measured",
    matrix_file: null,
    code_version: "v1",
    repetition: 1,
    target,
    engine_version: `${target} (fixture)`,
    events: 1_000_000,
    input_format: "csv",
    input_path: "fixture/clickstream.csv",
    input_bytes: null,
    threads: 2,
    memory_limit: null,
    box: null,
    box_cores: null,
    box_memory_bytes: null,
    box_enforced: false,
    box_note: null,
    cores_available: 2,
    spark_master: spark ? "local[2]" : null,
    spark_workers: spark ? 0 : null,
    spark_mode: spark ? "fair" : null,
    spark_settings: spark ? {} : null,
    success: true,
    failure_reason: null,
    error: null,
    exit_code: 0,
    exit_signal: null,
    wall_ms: 10_000,
    startup_ms: 1000,
    phases: {},
    phases_source: null,
    peak_rss_bytes: 2 ** 30,
    cpu_seconds: 15,
    cpu_mean_util: 0.75,
    cpu_max_util: 1,
    sample_interval_ms: 100,
    samples: 100,
    cgroup_mem_failcnt: null,
    cgroup_oom_killed: null,
    rows_in: null,
    events_out: null,
    sessions: null,
    rejects: null,
    fingerprints: null,
    equivalent: null,
    equivalent_to: null,
    host: { ...FIXTURE_HOST },
    load_avg_before: [0.5, 0.5, 0.5],
    started_at: "2026-01-01T00:00:00Z",
    finished_at: "2026-01-01T00:00:10Z",
    ...over,
  };
}

/** A failed repetition as etl bench writes it: nothing measured. */
export function failedRow(
  reason: "oom" | "timeout" | "error",
  over: Partial<BenchRow> & { cell_id: string },
): BenchRow {
  return makeRow({
    success: false,
    failure_reason: reason,
    error: `${reason} (fixture)`,
    exit_code: null,
    exit_signal: "SIGKILL",
    wall_ms: null,
    startup_ms: null,
    peak_rss_bytes: null,
    cpu_seconds: null,
    cpu_mean_util: null,
    cpu_max_util: null,
    samples: null,
    ...over,
  });
}
