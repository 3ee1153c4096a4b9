import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { BenchRow, BenchTarget } from "../bench/BenchRow.ts";
import { validateBenchRow } from "../bench/validateBenchRow.ts";

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
  repetitions: number;
  succeeded: number;
  /** Reasons of failed repetitions (oom, timeout, error, setup), one entry per failure. */
  failures: string[];
  wallS: number | null;
  startupS: number | null;
  jobS: number | null;
  peakRssBytes: number | null;
  cpuSeconds: number | null;
  loadAvgBefore: number;
  equivalent: boolean | null;
  host: string;
}

/** Reads every *.jsonl under `dir` (or one file) and checks each row against the bench schema. */
export function readBenchRows(path: string): BenchRow[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith(".jsonl"))
        .sort()
        .map((f) => join(path, f))
    : [path];
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

/** Groups rows by cell_id and summarises each cell (medians over successful repetitions). */
export function summariseCells(rows: BenchRow[]): MeasuredCell[] {
  const byCell = new Map<string, BenchRow[]>();
  for (const r of rows) {
    const list = byCell.get(r.cell_id) ?? [];
    list.push(r);
    byCell.set(r.cell_id, list);
  }
  const cells: MeasuredCell[] = [];
  for (const [cellId, list] of byCell) {
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
      repetitions: list.length,
      succeeded: ok.length,
      failures: list.filter((r) => !r.success).map((r) => r.failure_reason ?? "error"),
      wallS: wallMs === null ? null : wallMs / 1000,
      startupS: startupMs === null ? null : startupMs / 1000,
      jobS: wallMs === null ? null : (wallMs - (startupMs ?? 0)) / 1000,
      peakRssBytes: num((r) => r.peak_rss_bytes),
      cpuSeconds: num((r) => r.cpu_seconds),
      loadAvgBefore: median(list.map((r) => r.load_avg_before[0])) ?? 0,
      equivalent: ok.some((r) => r.equivalent === false)
        ? false
        : ok.some((r) => r.equivalent === true)
          ? true
          : null,
      host: `${first.host.cpu}, ${first.host.logical_cores} logical cores, ${(first.host.memory_bytes / 2 ** 30).toFixed(0)} GiB`,
    });
  }
  return cells.sort(
    (a, b) =>
      a.engine.localeCompare(b.engine) || a.events - b.events || a.cellId.localeCompare(b.cellId),
  );
}
