import type { GeoDbInfo } from "../geo/GeoDb.ts";
import type { TableName } from "../lakehouse/tables.ts";

export type EngineName = "duckdb" | "polars" | "spark";

/** Pipeline phases, in order; every engine reports the ones it runs under these names. */
export const PHASES = [
  "ingest",
  "cleanse",
  "enrich",
  "sessionize",
  "sessions",
  "write",
  "commit",
] as const;
export type Phase = (typeof PHASES)[number];

/** What an engine declares instead of the harness testing its type. */
export interface EngineCapabilities {
  /** True when the engine commits its Iceberg tables itself (Spark); otherwise it stages Parquet. */
  commitsIceberg: boolean;
}

/** Vertical scaling knobs; unset means the engine's default for this machine. */
export interface EngineOptions {
  threads?: number;
  /** Like "4GB"; DuckDB memory_limit, Spark driver memory; Polars has no cap (reported). */
  memoryLimit?: string;
  /** Spark only: local[N] or spark://host:port. */
  sparkMaster?: string;
}

export interface RunRequest {
  /** CSV or Parquet, chosen by the file (docs/pipeline-spec.md, Input). */
  input: string;
  geoDbPath: string;
  warehouse: string;
  namespace: string;
  mode: "overwrite" | "append";
  /** Empty folder where a staging engine writes its Parquet files. */
  stagingDir: string;
  /** Recorded in each snapshot summary by engines that commit themselves (Spark). */
  inputFingerprint?: string;
}

/** One Parquet file ready for the Iceberg writer. */
export interface StagedFile {
  path: string;
  /** Days since 1970-01-01 of the partition (day transform), null for unpartitioned tables. */
  partitionDay: number | null;
  recordCount: number;
}

export interface StagedTable {
  table: TableName;
  files: StagedFile[];
}

export interface RunCounts {
  rowsIn: number;
  events: number;
  sessions: number;
  rejects: number;
}

export interface EngineRun {
  /** The harness checks rowsIn = events + rejects (spec §R1), once for every engine. */
  counts: RunCounts;
  /** Files for the Iceberg writer; empty when capabilities.commitsIceberg. */
  staged: StagedTable[];
  geoDb: GeoDbInfo;
}

/**
 * The harness's per-phase timer, handed to run(): it measures each phase's wall time, reports
 * its start and end (progress) and keeps the timings for the summary, so no engine times itself.
 */
export interface PhaseTimer {
  /** Runs one phase in this process and times it. */
  time<T>(phase: Phase, fn: () => Promise<T> | T): Promise<T>;
  /** A phase that runs in another process (Spark's JVM) started. */
  started(phase: Phase): void;
  /** ... and ended after `ms`, as measured there. */
  ended(phase: Phase, ms: number): void;
}

export interface Engine {
  readonly name: EngineName;
  readonly capabilities: EngineCapabilities;
  /** Version of the engine library (DuckDB, Polars, Spark). */
  version(): Promise<string>;
  /** Loads the engine and applies options; after it resolves the engine is "ready". */
  open(options: EngineOptions): Promise<void>;
  run(request: RunRequest, timer: PhaseTimer): Promise<EngineRun>;
  close(): Promise<void>;
}
