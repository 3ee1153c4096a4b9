import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchRow } from "../bench/BenchRow.ts";
import { validateBenchRow } from "../bench/validateBenchRow.ts";

export interface LoadedBenchRows {
  rows: BenchRow[];
  /** The .jsonl files read, in name order. */
  files: string[];
}

/**
 * Every benchmark row of the `.jsonl` files in `dir` (results/reference holds the committed
 * ones), each validated against src/bench/benchRow.schema.json; a bad line is an error naming
 * the file and line. A missing folder gives no rows.
 */
export function loadBenchRows(dir: string): LoadedBenchRows {
  if (!existsSync(dir)) return { rows: [], files: [] };
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()
    .map((f) => join(dir, f));
  const rows: BenchRow[] = [];
  for (const file of files) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (!line.trim()) return;
        let row: unknown;
        try {
          row = JSON.parse(line);
        } catch (err) {
          throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message})`);
        }
        validateBenchRow(row, `${file}:${i + 1}`);
        rows.push(row);
      });
  }
  return { rows, files };
}

/** What the study plans to measure and what the rows cover: one line per missing dimension. */
export function missingBenchCells(rows: BenchRow[]): string[] {
  const ok = rows.filter((r) => r.success);
  const missing: string[] = [];
  for (const target of ["floor", "duckdb", "polars", "spark"] as const) {
    if (!ok.some((r) => r.target === target)) missing.push(`no successful ${target} row`);
  }
  const scales = new Set(ok.map((r) => r.events));
  if (scales.size < 2)
    missing.push(`scaling by events needs 2+ scales (have ${[...scales].join(", ") || "none"})`);
  const threads = new Set(ok.filter((r) => r.target !== "spark").map((r) => r.threads));
  if (threads.size < 2)
    missing.push(`threads: one setting only (${[...threads].join(", ") || "none"})`);
  if (!ok.some((r) => r.box !== null)) missing.push("no row in a memory/CPU box");
  if (!ok.some((r) => (r.spark_workers ?? 0) > 0))
    missing.push("no Spark standalone-cluster row (workers > 0)");
  return missing;
}
