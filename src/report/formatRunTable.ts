import { PHASES } from "../engines/Engine.ts";
import type { RunSummary } from "../harness/RunSummary.ts";

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const s = (ms: number | undefined) => (ms === undefined ? "-" : `${(ms / 1000).toFixed(2)} s`);
const n = (x: number | null) => (x === null ? "-" : x.toLocaleString("en-US"));

/** Side-by-side text table of run summaries, one column per run. */
export function formatRunTable(runs: RunSummary[]): string {
  const rows: [string, ...string[]][] = [
    ["engine", ...runs.map((r) => `${r.engine} ${r.engine_version ?? ""}`.trim())],
    ["success", ...runs.map((r) => (r.success ? "yes" : `NO (${r.failed_phase}: ${r.error})`))],
    ["rows in", ...runs.map((r) => n(r.rows_in))],
    ["events", ...runs.map((r) => n(r.events))],
    ["sessions", ...runs.map((r) => n(r.sessions))],
    ["rejects", ...runs.map((r) => n(r.rejects))],
    ["startup", ...runs.map((r) => s(r.startup_ms))],
    ...PHASES.filter((p) => runs.some((r) => r.phases[`${p}_ms`] !== undefined)).map(
      (p): [string, ...string[]] => [p, ...runs.map((r) => s(r.phases[`${p}_ms`]))],
    ),
    ["total wall", ...runs.map((r) => s(r.total_ms))],
    ["cpu", ...runs.map((r) => `${r.cpu_seconds.toFixed(1)} s`)],
    ["peak RSS (tree)", ...runs.map((r) => mb(r.peak_rss_bytes))],
    ["threads", ...runs.map((r) => String(r.threads))],
    ["namespace", ...runs.map((r) => r.namespace)],
  ];
  const widths = runs.map((_, i) => Math.max(...rows.map((row) => row[i + 1]!.length)));
  const first = Math.max(...rows.map((row) => row[0].length));
  return rows
    .map(([label, ...cells]) =>
      [label.padEnd(first), ...cells.map((c, i) => c.padStart(widths[i]!))].join("  "),
    )
    .join("\n");
}
