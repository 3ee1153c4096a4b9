import type { Phase } from "../engines/Engine.ts";
import type { InputFormat } from "../input/detectInputFormat.ts";

/**
 * The one result schema of a pipeline run: printed as one
 * JSON line by `etl run` and appended as a tidy row by the benchmark. A failed run is a
 * row too: success=false with the phase that failed and the error text.
 */
export interface RunSummary {
  success: boolean;
  engine: string;
  engine_version: string | null;
  input: string;
  input_format: InputFormat | null;
  input_bytes: number | null;
  /** src/input/fingerprintInput.ts; also in every snapshot summary as etl.input-fingerprint. */
  input_fingerprint: string | null;
  geo_db: { path: string; build_date: string } | null;
  rows_in: number | null;
  events: number | null;
  sessions: number | null;
  rejects: number | null;
  /** `<phase>_ms` per phase run (engine phases, then commit), wall time. */
  phases: Partial<Record<`${Phase}_ms`, number>>;
  /** ms from process start to the engine being ready (libraries loaded, options applied). */
  startup_ms: number;
  /** ms from the start of runPipeline to the summary (engine load, run and commit). */
  total_ms: number;
  threads: number;
  memory_limit: string | null;
  /** Peak resident memory of the whole process tree (engine children included). */
  peak_rss_bytes: number;
  /** User + system CPU of the whole process tree since process start. */
  cpu_seconds: number;
  warehouse: string;
  namespace: string;
  mode: "overwrite" | "append";
  committed: boolean;
  /** Iceberg snapshot id per committed table (empty when not committed by the harness). */
  snapshots: Partial<Record<"events" | "sessions" | "rejects", string>>;
  /** Where the staged Parquet files are kept when the commit is skipped (--no-commit). */
  staging_dir: string | null;
  /**
   * Set when success=false: the phase that failed ("check": refused before anything was
   * loaded or written; "open": before the engine was ready).
   */
  failed_phase: Phase | "check" | "open" | null;
  error: string | null;
}
