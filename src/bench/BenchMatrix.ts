import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "yaml";
import { projectRoot } from "../config/settings.ts";
import type { BenchInputFormat, BenchTarget } from "./BenchRow.ts";
import { type BoxShape, parseSize } from "./CgroupBox.ts";

/** Spark's place in a cell: local[threads], or a standalone cluster the runner starts and stops. */
export interface SparkCellSetup {
  master: "local" | "standalone";
  /** Standalone workers (0 for local). */
  workers: number;
  /** Each standalone worker's box (its cores = executor cores); null = 1 core, unconfined. */
  workerBox: BoxShape | null;
  /** "fair" = the production-like job; "cache-stages" = the old cache + count per stage. */
  mode: "fair" | "cache-stages";
  /** Settings that differ from the job's defaults: `cache` (ETL_SPARK_CACHE) and Spark conf keys (ETL_SPARK_CONF). */
  settings: Record<string, string>;
  /** Name of the settings variant (part of the cell id), null for the defaults. */
  variant: string | null;
}

/** One cell: everything but the repetition. */
export interface BenchCell {
  id: string;
  target: BenchTarget;
  events: number;
  format: BenchInputFormat;
  threads: number;
  /** Engine memory setting: DuckDB memory_limit, Spark driver memory; null = engine default. */
  memoryLimit: string | null;
  box: BoxShape | null;
  spark: SparkCellSetup | null;
  reps: number;
  timeoutMs: number;
  /** Delete the input after the last cell that uses it (the 100M files). */
  dropInputAfter: boolean;
}

export interface BenchMatrix {
  name: string;
  file: string | null;
  /** JSONL the rows are appended to. */
  results: string;
  /** (cell, repetition) in run order: group by group, repetition-major inside a group. */
  runs: { cell: BenchCell; repetition: number }[];
  cells: BenchCell[];
}

export const PRESETS = [
  "smoke",
  "reference",
  "scale",
  "spark-settings",
  "bench-1m",
  "bench-10m",
] as const;

export function presetFile(name: string): string {
  if (!(PRESETS as readonly string[]).includes(name)) {
    throw new Error(`--preset ${name}: choose one of ${PRESETS.join(", ")}`);
  }
  return join(projectRoot, "bench", "matrices", `${name}.yaml`);
}

/** Overrides from the command line, applied to every group (make bench's RUNS=, THREADS=). */
export interface MatrixOverrides {
  reps?: number;
  threads?: number;
  memoryLimit?: string;
}

const TARGETS: readonly BenchTarget[] = ["floor", "duckdb", "polars", "spark"];

/** Reads a matrix file (YAML or JSON) and expands its groups into cells; errors name the file and key. */
export function loadMatrix(
  file: string,
  overrides: MatrixOverrides = {},
  hostCores = 2,
): BenchMatrix {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`matrix ${file}: ${(err as Error).message}`);
  }
  return expandMatrix(doc, file, overrides, hostCores);
}

export function expandMatrix(
  doc: unknown,
  file: string | null,
  overrides: MatrixOverrides = {},
  hostCores = 2,
): BenchMatrix {
  const where = file ?? "matrix";
  const fail = (msg: string): never => {
    throw new Error(`${where}: ${msg}`);
  };
  if (typeof doc !== "object" || doc === null) return fail("expected a mapping at the top");
  const top = doc as Record<string, unknown>;
  const name =
    typeof top.name === "string"
      ? top.name
      : file
        ? basename(file).replace(/\.\w+$/, "")
        : "matrix";
  const boxes = new Map<string, BoxShape>();
  for (const [k, v] of Object.entries((top.boxes as Record<string, unknown>) ?? {})) {
    const b = v as { cores?: unknown; memory?: unknown };
    if (typeof b?.cores !== "number" || typeof b?.memory !== "string") {
      fail(`boxes.${k} needs cores (number) and memory (like 4g)`);
    }
    boxes.set(k, { name: k, cores: b.cores as number, memoryBytes: parseSize(b.memory as string) });
  }
  const groups = top.groups;
  if (!Array.isArray(groups) || groups.length === 0) return fail("groups: expected a list");
  const defaultTimeout = num(top.timeout_minutes, 30);
  const cells: BenchCell[] = [];
  const runs: BenchMatrix["runs"] = [];
  const seen = new Set<string>();
  groups.forEach((g: Record<string, unknown>, gi: number) => {
    const at = `groups[${gi}]`;
    const targets = list(g.targets, at, "targets") as BenchTarget[];
    for (const t of targets) if (!TARGETS.includes(t)) fail(`${at}.targets: unknown ${t}`);
    const events = list(g.events, at, "events").map((e) => parseEvents(String(e), at));
    const formats = list(g.formats ?? ["csv"], at, "formats") as BenchInputFormat[];
    for (const f of formats) if (f !== "csv" && f !== "parquet") fail(`${at}.formats: ${f}`);
    const boxNames = list(g.boxes ?? [null], at, "boxes");
    const threadsList = list(g.threads ?? [null], at, "threads");
    const reps = overrides.reps ?? num(g.reps, 1);
    const timeoutMs = num(g.timeout_minutes, defaultTimeout) * 60_000;
    const memory = (g.memory_limit ?? {}) as Record<string, string>;
    const sparkCfg = (g.spark ?? {}) as Record<string, unknown>;
    const sparkMaster = (sparkCfg.master as string) ?? "local";
    if (sparkMaster !== "local" && sparkMaster !== "standalone") {
      fail(`${at}.spark.master: local or standalone, not ${sparkMaster}`);
    }
    const workersList =
      sparkMaster === "standalone" ? list(sparkCfg.workers ?? [2], at, "spark.workers") : [0];
    const workerBoxName = sparkCfg.worker_box as string | undefined;
    const workerBox = workerBoxName === undefined ? null : boxes.get(workerBoxName);
    if (workerBox === undefined) fail(`${at}.spark.worker_box: no box named ${workerBoxName}`);
    const mode = (g.spark_mode as string) ?? "fair";
    const settings: Record<string, string> = {};
    if (g.spark_cache !== undefined) settings.cache = String(g.spark_cache);
    for (const [k, v] of Object.entries((g.spark_conf as Record<string, unknown>) ?? {})) {
      settings[k] = String(v);
    }
    const variant = g.variant === undefined ? null : String(g.variant);
    if (Object.keys(settings).length > 0 && variant === null) {
      fail(`${at}: spark_cache / spark_conf need a variant name (it goes into the cell id)`);
    }
    if (mode !== "fair" && mode !== "cache-stages") fail(`${at}.spark_mode: ${mode}`);
    const groupCells: BenchCell[] = [];
    for (const ev of events)
      for (const format of formats)
        for (const boxName of boxNames)
          for (const th of threadsList)
            for (const target of targets)
              for (const workers of target === "spark" ? workersList : [0]) {
                const box =
                  boxName === null
                    ? null
                    : (boxes.get(String(boxName)) ?? fail(`${at}.boxes: no box ${boxName}`));
                const standalone = target === "spark" && sparkMaster === "standalone";
                const perWorkerCores = workerBox?.cores ?? 1;
                const threads =
                  overrides.threads ??
                  (standalone
                    ? Number(workers) * perWorkerCores
                    : th === null
                      ? (box?.cores ?? hostCores)
                      : Number(th));
                const memoryLimit =
                  overrides.memoryLimit ?? memory[target] ?? defaultMemory(target, box);
                const spark: SparkCellSetup | null =
                  target === "spark"
                    ? {
                        master: sparkMaster as "local" | "standalone",
                        workers: Number(workers),
                        workerBox: standalone ? (workerBox ?? null) : null,
                        mode: mode as "fair" | "cache-stages",
                        settings,
                        variant,
                      }
                    : null;
                const cell: BenchCell = {
                  id: "",
                  target,
                  events: ev,
                  format,
                  threads,
                  memoryLimit: target === "polars" ? null : memoryLimit,
                  box: standalone ? null : box,
                  spark,
                  reps,
                  timeoutMs,
                  dropInputAfter: g.drop_input_after === true,
                };
                cell.id = cellId(cell);
                if (seen.has(cell.id)) continue;
                seen.add(cell.id);
                groupCells.push(cell);
              }
    cells.push(...groupCells);
    for (let r = 1; r <= reps; r++)
      for (const cell of groupCells) runs.push({ cell, repetition: r });
  });
  const results =
    typeof top.results === "string"
      ? join(projectRoot, top.results)
      : join(projectRoot, "results", "bench", `${name}.jsonl`);
  return { name, file, results, runs, cells };
}

/** Engine memory when the matrix names none: a share of the box, leaving room for the process itself. */
function defaultMemory(target: BenchTarget, box: BoxShape | null): string | null {
  if (box === null) return null;
  const mb = Math.floor(box.memoryBytes / 2 ** 20);
  // DuckDB's memory_limit caps its buffer manager, not the whole process: 75% of the box.
  // Spark's driver heap: 60% (JVM overhead, Python workers for the IP lookup, page cache).
  if (target === "spark") return `${Math.floor(mb * 0.6)}MB`;
  return `${Math.floor(mb * 0.75)}MB`;
}

export function scaleLabel(events: number): string {
  if (events % 1_000_000 === 0) return `${events / 1_000_000}m`;
  if (events % 1000 === 0) return `${events / 1000}k`;
  return String(events);
}

export function parseEvents(text: string, where = "events"): number {
  const m = /^(\d+(?:\.\d+)?)\s*([km]?)$/i.exec(text.replace(/_/g, ""));
  if (m === null) throw new Error(`${where}: events ${text} not understood (write 100k, 1m, 10m)`);
  const mult = { "": 1, k: 1000, m: 1_000_000 }[m[2].toLowerCase()]!;
  return Math.round(Number(m[1]) * mult);
}

export function cellId(c: BenchCell): string {
  const parts = [c.target, scaleLabel(c.events), c.format, `t${c.threads}`];
  if (c.spark?.master === "standalone") {
    parts.push(`sw${c.spark.workers}${c.spark.workerBox ? `x${c.spark.workerBox.name}` : ""}`);
  } else {
    parts.push(c.box?.name ?? "host");
  }
  if (c.memoryLimit !== null && c.box === null && c.spark?.master !== "standalone") {
    parts.push(`m${c.memoryLimit.toLowerCase()}`);
  }
  if (c.spark?.mode === "cache-stages") parts.push("cachestages");
  if (c.spark?.variant) parts.push(c.spark.variant);
  return parts.join("-");
}

function list(v: unknown, at: string, key: string): unknown[] {
  if (v === undefined) throw new Error(`${at}.${key}: required`);
  return Array.isArray(v) ? v : [v];
}

function num(v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== "number" || !(v > 0))
    throw new Error(`expected a positive number, got ${String(v)}`);
  return v;
}
