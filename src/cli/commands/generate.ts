import type { Command } from "commander";
import { loadSettings } from "../../config/settings.ts";

interface GenerateFlags {
  events: string;
  seed: string;
  format: "csv" | "parquet";
  out: string;
  users?: string;
  start: string;
  days: string;
  dirtyRate: string;
  geoDb?: string;
  workers?: string;
}

function wholeNumber(flag: string, text: string): number {
  const n = Number(text.replace(/_/g, ""));
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`${flag} ${text} must be a whole number >= 0.`);
  return n;
}

export function register(program: Command): void {
  program
    .command("generate")
    .description(
      "write a deterministic synthetic clickstream (CSV or Parquet) with documented dirty data",
    )
    .requiredOption(
      "--events <n>",
      "data rows in the file, duplicates included (1e6 and 1_000_000 work)",
    )
    .option("--seed <s>", "seed: same arguments give a byte-identical file", "42")
    .option("--format <f>", "csv or parquet", "csv")
    .requiredOption("--out <path>", "output file")
    .option("--users <n>", "distinct users (default events/50)")
    .option("--start <date>", "first day, YYYY-MM-DD UTC", "2026-01-01")
    .option("--days <n>", "days of traffic", "30")
    .option("--dirty-rate <x>", "multiplies every dirty-data rate (0 = clean)", "1")
    .option(
      "--geo-db <path>",
      "IP database the address pool is drawn from (default ETL_GEO_DB or the shipped one)",
    )
    .option(
      "--workers <n>",
      "worker threads (default cores-1, at most 4, from 1M events; else 0); output is the same",
    )
    .action(async (flags: GenerateFlags) => {
      if (flags.format !== "csv" && flags.format !== "parquet") {
        throw new Error(`--format ${flags.format} must be csv or parquet.`);
      }
      const { generateClickstream } = await import("../../generator/generateClickstream.ts");
      const events = wholeNumber("--events", flags.events);
      const result = await generateClickstream({
        events,
        seed: flags.seed,
        out: flags.out,
        format: flags.format,
        users: flags.users === undefined ? undefined : wholeNumber("--users", flags.users),
        start: flags.start,
        days: wholeNumber("--days", flags.days),
        dirtyRate: Number(flags.dirtyRate),
        geoDbPath: flags.geoDb ?? loadSettings().geoDb,
        workers: flags.workers === undefined ? undefined : wholeNumber("--workers", flags.workers),
        onProgress: (rows, total, ms) => {
          const pct = total === 0 ? 100 : (100 * rows) / total;
          console.error(
            `generate: ${rows.toLocaleString("en-US")}/${total.toLocaleString("en-US")} rows ` +
              `(${pct.toFixed(1)} %), ${Math.round(rows / (ms / 1000)).toLocaleString("en-US")} rows/s`,
          );
        },
      });
      console.error(
        `generate: wrote ${result.rows.toLocaleString("en-US")} rows to ${result.out} ` +
          `(${(result.fileBytes / 1e6).toFixed(1)} MB) in ${(result.totalMs / 1000).toFixed(2)} s; ` +
          `CSV ${Math.round(result.eventsPerSecond).toLocaleString("en-US")} events/s` +
          (result.format === "parquet"
            ? `, parquet conversion ${(result.parquetMs / 1000).toFixed(2)} s`
            : ""),
      );
      console.log(JSON.stringify(result));
    });
}
