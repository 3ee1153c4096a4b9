import { Command } from "commander";
import { COMMANDS } from "./commandList.ts";

/**
 * The `etl` program on `argv` (process.argv's shape). Never throws: a failure sets
 * process.exitCode (2: usage, 1: the command failed). Its own module, without top-level
 * await, so that the compiled CLI can be one CommonJS bundle (build/dist.mjs).
 */
export async function runCli(argv: string[]): Promise<void> {
  const program = new Command("etl")
    .description("Clickstream ETL on DuckDB, nodejs-polars and Spark, into Apache Iceberg tables")
    .showHelpAfterError()
    .exitOverride();
  for (const mod of COMMANDS) mod.register(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "commander.helpDisplayed" || code === "commander.version") return;
    if (code?.startsWith("commander.")) {
      process.exitCode = 2;
      return;
    }
    console.error(`etl: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
