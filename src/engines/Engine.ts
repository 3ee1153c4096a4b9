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

/** What an engine declares instead of the harness testing its type (see ../shared/style.md). */
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

export interface PhaseTiming {
  phase: Phase;
  ms: number;
}

export interface EngineRun {
  counts: RunCounts;
  /** Per-phase wall times as measured inside the engine. */
  phases: PhaseTiming[];
  /** Files for the Iceberg writer; empty when capabilities.commitsIceberg. */
  staged: StagedTable[];
  geoDb: GeoDbInfo;
}

/** Called as each phase starts and ends, so long runs show progress. */
export type ProgressSink = (event: { phase: Phase; state: "start" | "end"; ms?: number }) => void;

export interface Engine {
  readonly name: EngineName;
  readonly capabilities: EngineCapabilities;
  /** Version of the engine library (DuckDB, Polars, Spark). */
  version(): Promise<string>;
  /** Loads the engine and applies options; after it resolves the engine is "ready". */
  open(options: EngineOptions): Promise<void>;
  run(request: RunRequest, progress: ProgressSink): Promise<EngineRun>;
  close(): Promise<void>;
}
