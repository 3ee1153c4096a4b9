/**
 * CPU seconds per phase of the DuckDB engine (all threads of this process,
 * `process.cpuUsage()` at each phase's start and end), no Iceberg commit: the staged files
 * go to a temporary folder that is removed afterwards. One JSON line on stdout. For
 * comparing two versions of the engine's SQL on the same input (docs/engines.md, Profile).
 *
 *   tsx bench/duckdbPhaseCpu.ts --input data/generated/clickstream-1m.csv [--threads 2] [--fingerprint]
 *
 * --fingerprint prints a second line with the order-independent fingerprint of each staged
 * table (src/verify/tableFingerprint.ts), taken after the figures and after the engine is
 * closed: two versions of the engine that wrote the same rows print the same fingerprints.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadSettings } from "../src/config/settings.ts";
import { TABLES } from "../src/lakehouse/tables.ts";
import { tableFingerprint } from "../src/verify/tableFingerprint.ts";
import type { Phase, PhaseTimer } from "../src/engines/Engine.ts";
import { DuckDbEngine } from "../src/engines/duckdb/DuckDbEngine.ts";

const { values: opt } = parseArgs({
  options: {
    input: { type: "string" },
    threads: { type: "string", default: "2" },
    "memory-limit": { type: "string" },
    fingerprint: { type: "boolean", default: false },
  },
});
if (opt.input === undefined) throw new Error("duckdbPhaseCpu: --input PATH is required");

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const round = (s: number): number => Math.round(s * 100) / 100;

const phases: Partial<Record<Phase | "open", number>> = {};
const timer: PhaseTimer = {
  async time<T>(phase: Phase, fn: () => Promise<T> | T): Promise<T> {
    const start = cpuSeconds();
    try {
      return await fn();
    } finally {
      phases[phase] = round(cpuSeconds() - start);
    }
  },
  started() {},
  ended() {},
};

const root = mkdtempSync(join(tmpdir(), "duckdb-phase-cpu-"));
const engine = new DuckDbEngine();
try {
  const begin = cpuSeconds();
  await engine.open({
    threads: Number(opt.threads),
    ...(opt["memory-limit"] !== undefined ? { memoryLimit: opt["memory-limit"] } : {}),
  });
  phases.open = round(cpuSeconds() - begin);
  const run = await engine.run(
    {
      input: opt.input,
      geoDbPath: loadSettings().geoDb,
      warehouse: join(root, "warehouse"),
      namespace: "profile",
      mode: "overwrite",
      stagingDir: join(root, "staging"),
    },
    timer,
  );
  const cpuProcess = round(cpuSeconds());
  // Peak resident set of this process so far (the engine's run), before any fingerprint.
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const loadAfter = (await import("node:os")).loadavg().map((l) => round(l));
  await engine.close();
  console.log(
    JSON.stringify({
      input: opt.input,
      threads: Number(opt.threads),
      counts: run.counts,
      cpu_seconds_by_phase: phases,
      cpu_seconds_process: cpuProcess,
      max_rss_mb: maxRssMb,
      load_avg_after: loadAfter,
    }),
  );
  if (opt.fingerprint) {
    // A second line, so that the figures above are out before this (slow) part starts.
    const fingerprints: Record<string, string> = {};
    for (const t of run.staged) {
      fingerprints[t.table] = await tableFingerprint(
        TABLES[t.table],
        t.files.map((f) => f.path),
        { threads: Number(opt.threads) },
      );
    }
    console.log(JSON.stringify({ fingerprints }));
  }
} finally {
  await engine.close();
  rmSync(root, { recursive: true, force: true });
}
