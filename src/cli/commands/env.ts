import type { Command } from "commander";
import { collectEnvironment, formatEnvironment } from "../../env/doctor.ts";

export function register(program: Command): void {
  program
    .command("env")
    .description("check the toolchain: versions of every engine and tool, and the IP database")
    .option("--json", "print one JSON object instead of a table")
    .action(async (opts: { json?: boolean }) => {
      const report = await collectEnvironment();
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatEnvironment(report));
      if (report.checks.some((c) => c.required && !c.ok)) process.exitCode = 1;
    });
}
