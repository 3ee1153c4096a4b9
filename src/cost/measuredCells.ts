import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { BenchRow, BenchTarget } from "../bench/BenchRow.ts";
import { validateBenchRow } from "../bench/validateBenchRow.ts";
import { parseMemorySize } from "../config/memorySize.ts";
import {
  AUTO_SHARE,
  IN_MEMORY_PEAK_PER_BYTE,
  PARQUET_EXPANSION,
} from "../engines/polars/outOfCorePlan.ts";

/**
 * One benchmark cell summarised over its repetitions (medians), always labelled "measured".
 * `cores` is what the engine could really use: min(threads, cores the cell had).
 */
export interface MeasuredCell {
  kind: "measured";
  cellId: string;
  engine: BenchTarget;
  events: number;
  inputFormat: "csv" | "parquet";
  threads: number;
  cores: number;
  box: string | null;
  boxMemoryBytes: number | null;
  boxEnforced: boolean;
  sparkWorkers: number | null;
  /** A standalone Spark cell: `cores` = workers x cores per worker, peak RSS summed over its JVMs. */
  standalone: boolean;
  /**
   * Not the production-like job: Spark's cache-stages mode or a named settings variant, or
   * Polars' out-of-core path (`OUT_OF_CORE`). Shown in the tables, kept out of the time and
   * memory fits, ratios and crossovers; an out-of-core cell still counts as a measured
   * fits / does-not-fit limit of Polars (the auto plan is what a user runs).
   */
  variant: string | null;
  /** Code version of the rows used; rows of older versions of the same cell are set aside. */
  codeVersion: string | null;
  supersededRows: number;
  repetitions: number;
  succeeded: number;
  /** Reasons of failed repetitions (oom, timeout, error, setup), one entry per failure. */
  failures: string[];
  /** The error text of each failed repetition (shortened), for the report. */
  failureErrors: string[];
  wallS: number | null;
  startupS: number | null;
  jobS: number | null;
  peakRssBytes: number | null;
  /** Job seconds and peak RSS of each successful repetition (the bootstrap draws from these). */
  repetitionValues: { jobS: number; peakRssBytes: number | null }[];
  cpuSeconds: number | null;
  /** Median and largest 1-minute load average before the repetitions. */
  loadAvgBefore: number;
  loadAvgMax: number;
  equivalent: boolean | null;
  host: string;
  hostMemoryBytes: number;
}

/** A cell of the production-like job on the bare host, no box, no standalone cluster. */
export const isPlainHostCell = (c: MeasuredCell): boolean =>
  c.box === null && !c.standalone && c.variant === null;

/**
 * Memory one node of the cell could use: its box (per worker box for a standalone cluster)
 * when the box was enforced, otherwise the host's memory.
 */
export function nodeMemoryBytes(c: MeasuredCell): number {
  if (c.boxMemoryBytes === null || !c.boxEnforced) return c.hostMemoryBytes;
  return c.standalone ? c.boxMemoryBytes / c.sparkWorkers! : c.boxMemoryBytes;
}

/**
 * Subfolders of a results folder that are not reference rows: `archive` holds rows superseded
 * by a re-run (docs/benchmarks.md), `interference` the A/B run with the dev work frozen and
 * running on purpose (read apart by the report).
 */
export const NOT_REFERENCE_SUBFOLDERS = ["archive", "interference"];

function jsonlFiles(dir: string, top = true): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) {
      if (!(top && NOT_REFERENCE_SUBFOLDERS.includes(f))) out.push(...jsonlFiles(p, false));
    } else if (f.endsWith(".jsonl")) out.push(p);
  }
  return out;
}

/**
 * Reads one file, or every *.jsonl under a folder and its subfolders (such as
 * `small-boxes/rows.jsonl`, `polars-out-of-core/rows.jsonl`) except NOT_REFERENCE_SUBFOLDERS,
 * and checks each row against the bench schema.
 */
export function readBenchRows(path: string): BenchRow[] {
  const files = statSync(path).isDirectory() ? jsonlFiles(path) : [path];
  const rows: BenchRow[] = [];
  for (const file of files) {
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not JSON: ${(err as Error).message}`);
      }
      validateBenchRow(row, `${file}:${i + 1}`);
      rows.push(row);
    });
  }
  return rows;
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** An error's first line without machine paths, short enough for a table cell. */
function shortError(e: string): string {
  const line = e.split("\n")[0]!.replace(/"?[^\s"]*\/[^\s"]+"?/g, "<path>");
  return line.length > 90 ? `${line.slice(0, 87)}...` : line;
}

/** The variant name of Polars' out-of-core path. */
export const OUT_OF_CORE = "out-of-core";

/**
 * Code versions of the reference rows written before Polars had an out-of-core path (it came
 * with commit 01ab1d3): their Polars rows ran in memory whatever the budget.
 */
export const CODE_WITHOUT_POLARS_OUT_OF_CORE = ["445b6bd", "9114d73"];

/**
 * Which path a Polars row took. The row does not record it, so it is derived from the same
 * rule the engine applies (src/engines/polars/outOfCorePlan.ts, ETL_POLARS_OUT_OF_CORE=auto):
 * out of core when 7 x the input's CSV-equivalent bytes pass 90% of the budget (the memory
 * limit, else the box, else the host's memory), for code that has the path; the
 * polars-out-of-core matrix always took it.
 */
export function polarsPath(r: BenchRow): "in-memory" | "out-of-core" {
  if (r.matrix === "polars-out-of-core") return "out-of-core";
  const version = (r.code_version ?? "").replace(/-dirty$/, "");
  if (!version || CODE_WITHOUT_POLARS_OUT_OF_CORE.includes(version)) return "in-memory";
  if (r.input_bytes === null) return "in-memory";
  const budget = r.memory_limit
    ? parseMemorySize(r.memory_limit).bytes
    : (r.box_memory_bytes ?? r.host.memory_bytes);
  const bytes = r.input_bytes * (r.input_format === "parquet" ? PARQUET_EXPANSION : 1);
  return bytes * IN_MEMORY_PEAK_PER_BYTE > budget * AUTO_SHARE ? "out-of-core" : "in-memory";
}

function variantOf(r: BenchRow): string | null {
  if (r.target === "polars") return polarsPath(r) === "out-of-core" ? OUT_OF_CORE : null;
  if (r.spark_mode === "cache-stages") return "cache-stages";
  const s = r.spark_settings ?? {};
  if (Object.keys(s).length === 0) return null;
  return (
    s.variant ??
    Object.entries(s)
      .map(([k, v]) => `${k}=${v}`)
      .join(",")
  );
}

/**
 * The rows of one cell that describe the current code: those of the code version of the most
 * recent row, one per repetition (the latest when a repetition was re-run).
 */
function currentRows(list: BenchRow[]): { rows: BenchRow[]; superseded: number } {
  const latest = [...list].sort((a, b) => a.started_at.localeCompare(b.started_at));
  const version = latest.at(-1)!.code_version ?? null;
  const byRep = new Map<number, BenchRow>();
  for (const r of latest) if ((r.code_version ?? null) === version) byRep.set(r.repetition, r);
  const rows = [...byRep.values()].sort((a, b) => a.repetition - b.repetition);
  return { rows, superseded: list.length - rows.length };
}

/**
 * Groups rows by cell_id and summarises each cell: medians over the successful repetitions of
 * the current code version; failed repetitions are counted by reason, never averaged in.
 */
export function summariseCells(rows: BenchRow[]): MeasuredCell[] {
  // A cell is its id and its variant: Polars' out-of-core rows share the cell id of the
  // in-memory cell they were measured against, and are a different job.
  const byCell = new Map<string, BenchRow[]>();
  for (const r of rows) {
    const v = variantOf(r);
    const key = v === OUT_OF_CORE ? `${r.cell_id} (${OUT_OF_CORE})` : r.cell_id;
    const list = byCell.get(key) ?? [];
    list.push(r);
    byCell.set(key, list);
  }
  const cells: MeasuredCell[] = [];
  for (const [cellId, all] of byCell) {
    const { rows: list, superseded } = currentRows(all);
    const first = list[0]!;
    const ok = list.filter((r) => r.success);
    const num = (pick: (r: BenchRow) => number | null) =>
      median(ok.map(pick).filter((v): v is number => v !== null));
    const wallMs = num((r) => r.wall_ms);
    const startupMs = num((r) => r.startup_ms);
    cells.push({
      kind: "measured",
      cellId,
      engine: first.target,
      events: first.events,
      inputFormat: first.input_format,
      threads: first.threads,
      cores: Math.max(1, Math.min(first.threads, first.cores_available)),
      box: first.box,
      boxMemoryBytes: first.box_memory_bytes,
      boxEnforced: first.box_enforced,
      sparkWorkers: first.spark_workers,
      standalone: (first.spark_workers ?? 0) > 0,
      variant: variantOf(first),
      codeVersion: first.code_version ?? null,
      supersededRows: superseded,
      repetitions: list.length,
      succeeded: ok.length,
      failures: list.filter((r) => !r.success).map((r) => r.failure_reason ?? "error"),
      failureErrors: list
        .filter((r) => !r.success)
        .map((r) => shortError(r.error ?? r.failure_reason ?? "error")),
      wallS: wallMs === null ? null : wallMs / 1000,
      startupS: startupMs === null ? null : startupMs / 1000,
      jobS: wallMs === null ? null : (wallMs - (startupMs ?? 0)) / 1000,
      peakRssBytes: num((r) => r.peak_rss_bytes),
      repetitionValues: ok
        .filter((r) => r.wall_ms !== null)
        .map((r) => ({
          jobS: (r.wall_ms! - (r.startup_ms ?? 0)) / 1000,
          peakRssBytes: r.peak_rss_bytes,
        })),
      cpuSeconds: num((r) => r.cpu_seconds),
      loadAvgBefore: median(list.map((r) => r.load_avg_before[0])) ?? 0,
      loadAvgMax: Math.max(...list.map((r) => r.load_avg_before[0])),
      equivalent: ok.some((r) => r.equivalent === false)
        ? false
        : ok.some((r) => r.equivalent === true)
          ? true
          : null,
      hostMemoryBytes: first.host.memory_bytes,
      host: `${first.host.cpu}, ${first.host.logical_cores} logical cores, ${(first.host.memory_bytes / 2 ** 30).toFixed(0)} GiB`,
    });
  }
  return cells.sort(
    (a, b) =>
      a.engine.localeCompare(b.engine) || a.events - b.events || a.cellId.localeCompare(b.cellId),
  );
}
