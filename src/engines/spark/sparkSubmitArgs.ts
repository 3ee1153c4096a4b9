import { availableParallelism } from "node:os";
import { boxMemory } from "../../profile/boxMemory.ts";

/** What one spark-submit of the job is sized with; every value is pinned, none guessed by Spark. */
export interface SubmitPlan {
  master: string;
  driverMemory: string;
  /** Total cores the job's tasks run on (local threads or cluster executor cores). */
  cores: number;
  shufflePartitions: number;
  executorMemory: string | null;
  executorCores: number | null;
  jars: string[];
  localDir: string;
  tmpDir: string | null;
}

export interface PlanInput {
  sparkMaster?: string;
  threads?: number;
  memoryLimit?: string;
  /** Memory of the machine or box, for the default driver memory (default: measured). */
  boxBytes?: number;
  jars: string[];
  localDir: string;
  /** The driver JVM's java.io.tmpdir (its spark-* temp folders); default the system's. */
  tmpDir?: string;
  /** For spark:// masters: the workers' size when known (from `etl spark-cluster start`). */
  cluster?: { workers: number; coresPerWorker: number; memoryPerWorker: string } | null;
}

/** "4GB" / "512MB" / "2g" -> Spark's "4g" / "512m"; refuses anything else. */
export function toSparkMemory(text: string): string {
  const m = /^\s*(\d+)\s*([kmgt])i?b?\s*$/i.exec(text);
  if (m === null) throw new Error(`memory size '${text}' not understood: write e.g. 4GB or 512MB`);
  return `${m[1]}${m[2].toLowerCase()}`;
}

/**
 * Driver memory when the run sets none: half of what the machine or its box allows, at least
 * 1 GiB, like DuckDB's default (the JVM's off-heap, metaspace and the Python workers come on
 * top of the heap). The earlier fixed 3g ran out of heap at 10M events in ingest
 * (java.lang.OutOfMemoryError, fair job persisting the classified rows).
 */
export function defaultDriverMemory(box = boxMemory().bytes): string {
  return `${Math.max(1024, Math.floor(box / 2 / 1048576))}m`;
}

/**
 * Sizing: local[N] uses N = threads or every core; shuffle partitions = 2 x cores (AQE
 * coalesces small ones), which keeps every core busy without Spark's default 200 tiny tasks.
 */
export function planSubmit(input: PlanInput): SubmitPlan {
  const threads = input.threads ?? availableParallelism();
  const master = input.sparkMaster ?? `local[${threads}]`;
  const driverMemory =
    input.memoryLimit !== undefined
      ? toSparkMemory(input.memoryLimit)
      : defaultDriverMemory(input.boxBytes);
  let cores = threads;
  let executorMemory: string | null = null;
  let executorCores: number | null = null;
  if (master.startsWith("spark://")) {
    const c = input.cluster;
    executorCores = c?.coresPerWorker ?? 1;
    executorMemory = c ? toSparkMemory(c.memoryPerWorker) : "1g";
    cores = c ? c.workers * c.coresPerWorker : threads;
  } else {
    const m = /^local\[(\d+|\*)\]$/.exec(master);
    if (m && m[1] !== "*") cores = Number(m[1]);
  }
  return {
    master,
    driverMemory,
    cores,
    shufflePartitions: Math.max(2, cores * 2),
    executorMemory,
    executorCores,
    jars: input.jars,
    localDir: input.localDir,
    tmpDir: input.tmpDir ?? null,
  };
}

/** The spark-submit argument list for the job in --serve mode. */
export function sparkSubmitArgs(plan: SubmitPlan, mainPy: string): string[] {
  const conf: Record<string, string> = {
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.adaptive.coalescePartitions.enabled": "true",
    "spark.sql.shuffle.partitions": String(plan.shufflePartitions),
    "spark.default.parallelism": String(plan.shufflePartitions),
    "spark.sql.session.timeZone": "UTC",
    // No UI: the job reads its phase times from the status store, which the SparkContext
    // keeps without it (spark/etl_spark/main.py, spark_job_metrics).
    "spark.ui.enabled": "false",
    "spark.local.dir": plan.localDir,
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
  };
  if (plan.tmpDir !== null)
    conf["spark.driver.extraJavaOptions"] = `-Djava.io.tmpdir=${plan.tmpDir}`;
  if (plan.executorMemory !== null) conf["spark.executor.memory"] = plan.executorMemory;
  if (plan.executorCores !== null) conf["spark.executor.cores"] = String(plan.executorCores);
  if (plan.master.startsWith("spark://")) conf["spark.cores.max"] = String(plan.cores);
  // Measurements of one setting at a time (spark/README.md): ETL_SPARK_CONF="k=v,k=v".
  for (const kv of (process.env.ETL_SPARK_CONF ?? "").split(",")) {
    const eq = kv.indexOf("=");
    if (eq > 0) conf[kv.slice(0, eq).trim()] = kv.slice(eq + 1).trim();
  }
  return [
    "--master",
    plan.master,
    "--driver-memory",
    plan.driverMemory,
    // Pinned local jars only (spark/jars.txt), never --packages: no download at run time.
    "--jars",
    plan.jars.join(","),
    ...Object.entries(conf).flatMap(([k, v]) => ["--conf", `${k}=${v}`]),
    mainPy,
    "--serve",
  ];
}
