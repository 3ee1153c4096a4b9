import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Command } from "commander";

/** Each file in ./commands exports `register(program)`; heavy libraries load inside actions. */
export interface CommandModule {
  register(program: Command): void;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command("etl")
    .description("Clickstream ETL on DuckDB, nodejs-polars and Spark, into Apache Iceberg tables")
    .showHelpAfterError()
    .exitOverride();
  const dir = join(dirname(fileURLToPath(import.meta.url)), "commands");
  const files = readdirSync(dir)
    // .ts under tsx, .js in the compiled copy (dist/, see bin/etl.js).
    .filter((f) => /\.(ts|js)$/.test(f) && !/\.(test|d)\.ts$/.test(f))
    .sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as CommandModule;
    mod.register(program);
  }
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

await main(process.argv);
