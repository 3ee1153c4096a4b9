import type { Command } from "commander";

/** `etl copy-floor`: the benchmark's floor target (read the input, write Parquet, no transform). */
export function register(program: Command): void {
  program
    .command("copy-floor")
    .description(
      "the benchmark's copy floor: DuckDB reads INPUT (all columns as text) and writes OUT as Parquet, no transform; one JSON line",
    )
    .argument("<input>", "CSV or Parquet input")
    .argument("<out>", "Parquet file to write")
    .option("--threads <n>", "DuckDB threads", "2")
    .option("--memory-limit <size>", "DuckDB memory_limit, like 8GB")
    .action(
      async (input: string, out: string, flags: { threads: string; memoryLimit?: string }) => {
        const threads = Number(flags.threads);
        if (!Number.isSafeInteger(threads) || threads < 1) {
          throw new Error(`--threads ${flags.threads} must be a whole number >= 1`);
        }
        const { copyFloor } = await import("../../bench/copyFloor.ts");
        const summary = await copyFloor(input, out, threads, flags.memoryLimit);
        process.stdout.write(`${JSON.stringify(summary)}\n`);
      },
    );
}
