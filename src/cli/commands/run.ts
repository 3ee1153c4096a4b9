import type { Command } from "commander";
import { loadSettings } from "../../config/settings.ts";

interface RunFlags {
  engine: string;
  input: string;
  warehouse?: string;
  namespace?: string;
  geoDb?: string;
  threads?: string;
  memoryLimit?: string;
  mode: string;
  sparkMaster?: string;
  commit: boolean;
  allowDuplicateInput?: boolean;
}

export function register(program: Command): void {
  program
    .command("run")
    .description(
      "run the pipeline on one engine and commit the three Iceberg tables; progress on stderr, one JSON summary line on stdout",
    )
    .requiredOption("--engine <name>", "duckdb, polars or spark")
    .requiredOption("--input <path>", "CSV or Parquet input (chosen by the file's first bytes)")
    .option(
      "--warehouse <dir>",
      "warehouse folder holding catalog.db (default ETL_WAREHOUSE or ./warehouse)",
    )
    .option(
      "--namespace <name>",
      "Iceberg namespace (default: the engine name); a lowercase letter, then lowercase letters, digits or _ (at most 64)",
    )
    .option(
      "--geo-db <path>",
      "MaxMind-format country database (default ETL_GEO_DB or the shipped one)",
    )
    .option("--threads <n>", "worker threads (default: all cores)")
    .option(
      "--memory-limit <size>",
      "memory cap such as 4GB (DuckDB memory_limit, Spark driver memory; Polars has no cap: the size decides its out-of-core path)",
    )
    .option("--mode <mode>", "overwrite or append", "overwrite")
    .option("--spark-master <url>", "Spark only: local[N] or spark://host:port")
    .option("--no-commit", "stage the Parquet files only and keep them (no Iceberg commit)")
    .option(
      "--allow-duplicate-input",
      "with --mode append: append an input whose fingerprint is already live in the namespace",
    )
    .action(async (flags: RunFlags) => {
      if (flags.mode !== "overwrite" && flags.mode !== "append") {
        throw new Error(`--mode ${flags.mode}: choose overwrite or append`);
      }
      let threads: number | undefined;
      if (flags.threads !== undefined) {
        threads = Number(flags.threads);
        if (!Number.isSafeInteger(threads) || threads < 1) {
          throw new Error(`--threads ${flags.threads} must be a whole number >= 1`);
        }
      }
      const { runPipeline } = await import("../../harness/runPipeline.ts");
      const summary = await runPipeline({
        engine: flags.engine,
        input: flags.input,
        warehouse: flags.warehouse ?? loadSettings().warehouse,
        namespace: flags.namespace,
        geoDb: flags.geoDb,
        threads,
        memoryLimit: flags.memoryLimit,
        mode: flags.mode,
        sparkMaster: flags.sparkMaster,
        commit: flags.commit,
        allowDuplicateInput: flags.allowDuplicateInput === true,
      });
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      if (!summary.success) process.exitCode = 1;
    });
}
