/**
 * One row of a benchmark matrix run (`etl bench`): one cell x one repetition, appended to
 * JSONL as soon as the cell lands. This type and benchRow.schema.json are the contract that
 * the notebook, the cost model and the report read: change it additively only (new optional
 * fields, not required by the JSON Schema, so rows and readers of earlier versions stay
 * valid), and bump BENCH_ROW_SCHEMA_VERSION's minor part when you do. Fields marked (1.1)
 * came with 1.1; etl bench always writes them.
 * A failed cell is a row too: success=false, failure_reason and error set, measures null
 * where nothing was measured.
 */
export const BENCH_ROW_SCHEMA_VERSION = "1.1";

/** `floor` = DuckDB read + Parquet write with no transform (the copy floor). */
export type BenchTarget = "floor" | "duckdb" | "polars" | "spark";
export type BenchInputFormat = "csv" | "parquet";
/**
 * error: non-zero exit or success=false from the engine; oom: killed by the memory box
 * (cgroup memory.oom_control / failcnt, or SIGKILL under a box); timeout: the cell's time
 * limit; equivalence: the run succeeded but its fingerprints differ from another engine's
 * on the same input (also flagged by equivalent=false); setup: the input, box or cluster
 * could not be prepared.
 */
export type BenchFailureReason = "error" | "oom" | "timeout" | "setup";

/** Order-independent fingerprint of each output table read back from the Iceberg warehouse. */
export interface BenchFingerprints {
  events: string | null;
  sessions: string | null;
  rejects: string | null;
}

export interface BenchHost {
  cpu: string;
  physical_cores: number;
  logical_cores: number;
  memory_bytes: number;
  os: string;
  node: string;
  hostname: string;
}

export interface BenchRow {
  schema_version: string;
  /** One id per `etl bench` invocation: ratios are fairest between rows of the same run. */
  run_id: string;
  /** Matrix name (preset name or the file's `name`), and the file it came from. */
  matrix: string;
  matrix_file: string | null;
  /** (1.1) `git describe --always --dirty` of the code that ran the cells, null outside git. */
  code_version?: string | null;
  /** Stable id of the cell (everything but the repetition); re-runs skip done (cell_id, repetition). */
  cell_id: string;
  repetition: number;
  target: BenchTarget;
  /** Engine and version as the engine reports it ("DuckDB v1.x", "Spark 3.5.x"); null if it never started. */
  engine_version: string | null;

  /** Events the generator was asked for (input scale, before rejects). */
  events: number;
  input_format: BenchInputFormat;
  input_path: string;
  input_bytes: number | null;

  /** Threads given to the engine (DuckDB threads, Polars pool, Spark local[N] or cores). */
  threads: number;
  /** Engine memory setting passed (DuckDB memory_limit, Spark driver/executor memory), e.g. "6GB". */
  memory_limit: string | null;

  /** Box name such as "2c-8g", or null when the cell ran on the bare host. */
  box: string | null;
  box_cores: number | null;
  box_memory_bytes: number | null;
  /** true only when the cell's process tree really ran inside a cgroup with these limits. */
  box_enforced: boolean;
  /** Why the box could not be enforced, when one was asked for. */
  box_note: string | null;
  /** Cores the cell could use (box cores, else host logical cores): the denominator of cpu_*_util. */
  cores_available: number;

  /** "local[2]", "spark://127.0.0.1:7077"; null for non-Spark targets. */
  spark_master: string | null;
  /** Standalone workers (0 for local mode, null for non-Spark targets). */
  spark_workers: number | null;
  /** Spark job mode: "fair" (production-like) or "cache-stages" (the old cache+count per stage). */
  spark_mode: "fair" | "cache-stages" | null;
  /**
   * (1.1) Spark settings of the cell that differ from the job's defaults: `cache` (what the
   * fair job persists, ETL_SPARK_CACHE) and any Spark conf key (ETL_SPARK_CONF); {} = the
   * defaults; null for non-Spark targets. `variant` names the matrix group's variant.
   */
  spark_settings?: Record<string, string> | null;

  success: boolean;
  failure_reason: BenchFailureReason | null;
  error: string | null;
  exit_code: number | null;
  exit_signal: string | null;

  /** Wall time of the cell's process, spawn to exit (ms). */
  wall_ms: number | null;
  /** Process start to engine ready (ms), as `etl run` reports it. */
  startup_ms: number | null;
  /** `<phase>_ms` per phase as `etl run` reports it (ingest, cleanse, ..., write, commit; floor: copy_ms). */
  phases: Record<string, number>;
  /** Where the phase times come from: "engine" (TS engines), "spark-status-store" (Spark's own job metrics), "cache-count". */
  phases_source: string | null;

  /** Largest sum of RSS over the cell's process tree (JVMs, Python workers included), bytes. */
  peak_rss_bytes: number | null;
  /** User + system CPU seconds of the whole tree. */
  cpu_seconds: number | null;
  /** Mean and max CPU utilisation over the cell as a share (0..1) of cores_available. */
  cpu_mean_util: number | null;
  cpu_max_util: number | null;
  sample_interval_ms: number;
  samples: number | null;
  /** cgroup memory.failcnt after the cell (box only), and whether the kernel OOM-killed in it. */
  cgroup_mem_failcnt: number | null;
  cgroup_oom_killed: boolean | null;
  /** (1.1) memory.max_usage_in_bytes of the box (summed over worker boxes): what the kernel charged, page cache included. */
  cgroup_max_usage_bytes?: number | null;

  rows_in: number | null;
  /** Rows of the events table (named events_out to keep `events` = the input scale). */
  events_out: number | null;
  sessions: number | null;
  rejects: number | null;

  fingerprints: BenchFingerprints | null;
  /**
   * Same fingerprints as every other engine's successful run on the same input file:
   * true/false; null when nothing to compare (floor, failed cell, or first engine on that input
   * so far: the end-of-run check compares all rows and prints any mismatch).
   */
  equivalent: boolean | null;
  /** cell_id + repetition of the row this one was compared with. */
  equivalent_to: string | null;

  host: BenchHost;
  /** /proc/loadavg (1, 5, 15 min) just before the cell started. */
  load_avg_before: [number, number, number];
  /** ISO-8601 UTC start and end of the cell. */
  started_at: string;
  finished_at: string;
}
