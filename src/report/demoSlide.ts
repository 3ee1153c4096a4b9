import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { formatBytes, formatEvents, formatSeconds } from "../cost/format.ts";
import type { RunSummary } from "../harness/RunSummary.ts";

/**
 * The slide for `make demo`'s own run on the user's machine: one `etl run` summary per engine
 * (results/demo/*.json), labelled as one run each, not the benchmark. Empty when no demo ran.
 */
export function demoSlide(dir: string | null): string {
  if (!dir || !existsSync(dir)) return "";
  const runs: RunSummary[] = [];
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const lines = readFileSync(join(dir, f), "utf8").trim().split("\n");
    try {
      runs.push(JSON.parse(lines[lines.length - 1]!) as RunSummary);
    } catch {
      throw new Error(`${join(dir, f)}: last line is not an etl run JSON summary`);
    }
  }
  if (runs.length === 0) return "";
  const rows = runs.map(
    (r) =>
      `| ${r.engine} | ${r.success ? "ok" : `failed (${r.failed_phase})`} | ${formatEvents(r.rows_in)} | ${formatSeconds(r.startup_ms / 1000)} | ${formatSeconds(r.total_ms / 1000)} | ${formatBytes(r.peak_rss_bytes)} | ${r.cpu_seconds.toFixed(1)} | ${r.threads} |`,
  );
  const [l1] = loadavg();
  return [
    "## Your run: `make demo` on this machine",
    "",
    "| engine | result | rows in | startup | total | peak RSS | CPU s | threads |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    `Measured here, one run per engine (not the benchmark): ${cpus().length} logical cores, ${formatBytes(totalmem())}, load average ${l1!.toFixed(2)} when the deck was rendered.`,
    "",
    "::: {.notes}",
    "These figures come from results/demo/*.json written by make demo a moment ago; they are single runs on the viewer's machine and are not part of the reference results or the model.",
    ":::",
    "",
  ].join("\n");
}
