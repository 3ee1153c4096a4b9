import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMAND_NAMES, COMMANDS } from "../src/cli/commandList.ts";
import { runCli } from "../src/cli/runCli.ts";

// runCli registers only the command named on the command line (start-up, docs/engines.md
// "Fourth pass"), so COMMAND_NAMES must name what each module registers.
describe("etl command names", () => {
  it("COMMAND_NAMES[i] is the one command COMMANDS[i] registers", () => {
    expect(COMMAND_NAMES).toHaveLength(COMMANDS.length);
    COMMANDS.forEach((mod, i) => {
      const program = new Command("etl");
      mod.register(program);
      expect(program.commands.map((c) => c.name())).toEqual([COMMAND_NAMES[i]]);
    });
  });

  it("a named command alone still parses, and an unknown name is a usage error", async () => {
    const exitCode = process.exitCode;
    const stderr = process.stderr.write;
    let err = "";
    process.stderr.write = ((chunk: string) => {
      err += chunk;
      return true;
    }) as typeof process.stderr.write;
    try {
      await runCli(["node", "etl", "run", "--engine", "duckdb"]);
      expect(process.exitCode).toBe(2);
      expect(err).toContain("required option '--input <path>' not specified");
      process.exitCode = exitCode;
      err = "";
      await runCli(["node", "etl", "no-such-command"]);
      expect(process.exitCode).toBe(2);
      expect(err).toContain("unknown command 'no-such-command'");
    } finally {
      process.stderr.write = stderr;
      process.exitCode = exitCode;
    }
  });
});
