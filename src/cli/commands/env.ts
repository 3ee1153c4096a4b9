import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("env")
    .description("check the toolchain: versions of every engine and tool, and the IP database")
    .option("--json", "print one JSON object instead of a table")
    .action(async (opts: { json?: boolean }) => {
      // Loaded here, not at the top: it loads maxmind, and every command imports this file.
      const { collectEnvironment, formatEnvironment } = await import("../../env/doctor.ts");
      const report = await collectEnvironment();
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatEnvironment(report));
      if (report.checks.some((c) => c.required && !c.ok)) process.exitCode = 1;
    });
}
