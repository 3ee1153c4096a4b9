import type { Command } from "commander";
import * as bench from "./commands/bench.ts";
import * as compare from "./commands/compare.ts";
import * as copyFloor from "./commands/copy-floor.ts";
import * as env from "./commands/env.ts";
import * as generate from "./commands/generate.ts";
import * as orphans from "./commands/orphans.ts";
import * as query from "./commands/query.ts";
import * as report from "./commands/report.ts";
import * as run from "./commands/run.ts";
import * as snapshots from "./commands/snapshots.ts";
import * as sparkCluster from "./commands/spark-cluster.ts";
import * as tables from "./commands/tables.ts";

/** Each file in ./commands exports `register(program)`; heavy libraries load inside actions. */
export interface CommandModule {
  register(program: Command): void;
}

/**
 * Every file in ./commands, in file-name order (the order of `etl --help`). Static imports, so
 * that the compiled CLI is one bundle (build/dist.mjs) rather than a module per file to find
 * and read at start-up; tests/cli-commands.test.ts checks that the list matches the folder.
 */
export const COMMANDS: readonly CommandModule[] = [
  bench,
  compare,
  copyFloor,
  env,
  generate,
  orphans,
  query,
  report,
  run,
  snapshots,
  sparkCluster,
  tables,
];

/**
 * The name each module of COMMANDS registers, in the same order (the file's name;
 * tests/cli-command-names.test.ts checks it). runCli registers only the command named on the
 * command line when there is one: commander's options of the other commands cost CPU on every
 * start (docs/engines.md, "Fourth pass").
 */
export const COMMAND_NAMES: readonly string[] = [
  "bench",
  "compare",
  "copy-floor",
  "env",
  "generate",
  "orphans",
  "query",
  "report",
  "run",
  "snapshots",
  "spark-cluster",
  "tables",
];
