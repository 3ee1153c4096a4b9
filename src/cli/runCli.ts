import { Command } from "commander";
import { COMMAND_NAMES, COMMANDS } from "./commandList.ts";

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
  // `etl <command> ...` needs only that command; anything else (help, an unknown name) all.
  const named = COMMAND_NAMES.indexOf(argv[2] ?? "");
  for (const mod of named === -1 ? COMMANDS : [COMMANDS[named]]) mod.register(program);
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
