/**
 * What the notebooks (notebooks/*.ipynb) call: their settings from the environment, the input
 * and warehouse they share, and thin use cases over the project's modules. Cells hold narrative
 * and calls into this module (and the chart functions it re-exports), never logic of their own.
 */
import { existsSync, mkdirSync } from "node:fs";
import { availableParallelism, getPriority, loadavg } from "node:os";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { tableFromArrays, type Table } from "apache-arrow";
import { loadSettings, projectRoot } from "../config/settings.ts";
import { generateClickstream } from "../generator/generateClickstream.ts";
import type { RunSummary } from "../harness/RunSummary.ts";
import { runPipeline } from "../harness/runPipeline.ts";
import { listSnapshots, listTableSummaries } from "../iceberg/listTableSummaries.ts";
import { openIcebergDuckDb, type IcebergView } from "../iceberg/openIcebergDuckDb.ts";
import { SqlCatalog } from "../iceberg/SqlCatalog.ts";
import { compareNamespaces, type TableComparison } from "../report/compareNamespaces.ts";
import { answerToArrow } from "../analytics/answerToArrow.ts";
import type { QueryAnswer } from "../analytics/NamedQuery.ts";
import { getNamedQuery, listNamedQueries } from "../analytics/namedQueries.ts";
import { runNamedQuery } from "../analytics/runNamedQuery.ts";
import { chartForQuestion } from "../charts/questionCharts.ts";
import type { BenchRow } from "../bench/BenchRow.ts";
import { loadBenchRows, missingBenchCells } from "./loadBenchRows.ts";
import { withoutMachinePaths } from "./shownPath.ts";
import {
  expectedScreenRates,
  profileRawInput,
  type RawProfile,
} from "../analytics/profileRawInput.ts";
import type { Chart } from "../charts/display.ts";

export interface NotebookSettings {
  /** Input scale: ETL_NOTEBOOK_EVENTS, default 100,000 (`make notebooks`); tests use a tiny one. */
  events: number;
  seed: number;
  /** ETL_NOTEBOOK_DIR, default scratch/notebooks/<events> (git-ignored). */
  workDir: string;
  input: string;
  warehouse: string;
  /** ETL_BENCH_ROWS_DIR, default results/reference (the committed benchmark rows). */
  benchRowsDir: string;
}

export const DEFAULT_NOTEBOOK_EVENTS = 100_000;

export function notebookSettings(env: NodeJS.ProcessEnv = process.env): NotebookSettings {
  const text = env.ETL_NOTEBOOK_EVENTS ?? String(DEFAULT_NOTEBOOK_EVENTS);
  const events = Number(text);
  if (!Number.isSafeInteger(events) || events < 100) {
    throw new Error(`ETL_NOTEBOOK_EVENTS=${text}: give a whole number of events, at least 100`);
  }
  const workDir = env.ETL_NOTEBOOK_DIR ?? join(projectRoot, "scratch", "notebooks", String(events));
  return {
    events,
    seed: 42,
    workDir,
    input: join(workDir, `clickstream-${events}.csv`),
    warehouse: join(workDir, "warehouse"),
    benchRowsDir: env.ETL_BENCH_ROWS_DIR ?? join(projectRoot, "results", "reference"),
  };
}

/** The notebooks' input file, generated (seed 42) unless it is there already. */
export async function ensureInput(
  s: NotebookSettings,
): Promise<{ path: string; generated: boolean }> {
  if (existsSync(s.input)) return { path: s.input, generated: false };
  mkdirSync(s.workDir, { recursive: true });
  await generateClickstream({
    events: s.events,
    seed: s.seed,
    out: s.input,
    format: "csv",
    geoDbPath: loadSettings().geoDb,
  });
  return { path: s.input, generated: true };
}

/** Runs each engine on the notebooks' input into their warehouse (namespace = engine). */
export async function runEngines(
  s: NotebookSettings,
  engines: string[],
  options: {
    namespace?: string;
    mode?: "overwrite" | "append";
    /** Append an input the namespace already holds (refused otherwise: docs/hardening.md). */
    allowDuplicateInput?: boolean;
  } = {},
): Promise<RunSummary[]> {
  await ensureInput(s);
  const out: RunSummary[] = [];
  for (const engine of engines) {
    const summary = await runPipeline({
      engine,
      input: s.input,
      warehouse: s.warehouse,
      namespace: options.namespace,
      mode: options.mode,
      allowDuplicateInput: options.allowDuplicateInput,
      threads: 2,
      log: () => {},
    });
    if (!summary.success)
      throw new Error(`${engine} run failed in ${summary.failed_phase}: ${summary.error}`);
    out.push(summary);
  }
  return out;
}

/**
 * The conditions timings in a notebook were taken under: load average, logical cores and the
 * kernel's nice value (19 when it ran at idle priority beside other work).
 */
export function runConditions(): string {
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
  return `load average ${load} (1, 5, 15 min) on ${availableParallelism()} logical cores; kernel nice ${getPriority()}`;
}

/** Namespaces present in the warehouse's catalog. */
export function namespacesIn(warehouse: string): string[] {
  if (!existsSync(join(warehouse, "catalog.db"))) return [];
  const catalog = new SqlCatalog(warehouse);
  try {
    return [...new Set(catalog.listTables().map((t) => t.namespace))].sort();
  } finally {
    catalog.close();
  }
}

/** Runs only the engines whose namespace the warehouse lacks (so each notebook runs alone). */
export async function ensureWarehouse(
  s: NotebookSettings,
  engines: string[],
): Promise<RunSummary[]> {
  const have = namespacesIn(s.warehouse);
  return runEngines(
    s,
    engines.filter((e) => !have.includes(e)),
  );
}

export interface Lakehouse {
  connection: DuckDBConnection;
  views: IcebergView[];
  close(): void;
}

/** A DuckDB connection with every Iceberg table of the warehouse as a view `<ns>.<table>`. */
export async function openLakehouse(
  warehouse: string,
  options: { snapshotId?: string; days?: { from: number; to: number } } = {},
): Promise<Lakehouse> {
  const { instance, connection, views } = await openIcebergDuckDb(warehouse, options);
  return {
    connection,
    views,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Rows of a SQL query as plain objects (small listings and samples; JSON-safe values). */
export async function sqlRows(
  con: DuckDBConnection,
  sql: string,
): Promise<Record<string, unknown>[]> {
  return (await con.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** Rows of a SQL query as an Arrow table (counts and measures as doubles, the rest as text). */
export async function sqlArrow(con: DuckDBConnection, sql: string): Promise<Table> {
  const reader = await con.runAndReadAll(sql);
  const arrays: Record<string, (number | string | null)[]> = {};
  const rows = reader.getRows();
  reader.columnNames().forEach((c, i) => {
    arrays[c] = rows.map((r) => {
      const v = r[i];
      if (v === null || v === undefined) return null;
      return typeof v === "bigint" || typeof v === "number" ? Number(v) : String(v);
    });
  });
  return tableFromArrays(arrays as Record<string, never>);
}

/** First `limit` rows of `<ns>.<table>` in a fixed order (the table's first column). */
export async function sampleRows(
  con: DuckDBConnection,
  namespace: string,
  table: string,
  limit = 5,
): Promise<Record<string, unknown>[]> {
  return sqlRows(
    con,
    `SELECT * FROM "${namespace}"."${table}" ORDER BY 1 LIMIT ${Math.trunc(limit)}`,
  );
}

/** Rejected rows per reason and namespace (columns namespace, reject_reason, rows). */
export async function rejectsByReason(con: DuckDBConnection, namespaces: string[]): Promise<Table> {
  const parts = namespaces.map(
    (ns) =>
      `SELECT '${ns}' AS namespace, reject_reason, count(*) AS rows FROM "${ns}".rejects GROUP BY reject_reason`,
  );
  return sqlArrow(con, `${parts.join(" UNION ALL ")} ORDER BY reject_reason, namespace`);
}

/** Every other namespace compared row for row with `base`. */
export async function compareAll(
  con: DuckDBConnection,
  base: string,
  others: string[],
): Promise<TableComparison[]> {
  const out: TableComparison[] = [];
  for (const o of others) out.push(...(await compareNamespaces(con, base, o)));
  return out;
}

export interface AskedQuestion {
  name: string;
  question: string;
  answer: QueryAnswer;
  table: Table;
  chart: Chart;
  ms: number;
}

/** A named question on a namespace: its answer, as Arrow, its chart and the query's wall ms. */
export async function askQuestion(
  con: DuckDBConnection,
  name: string,
  namespace: string,
  params: string[] = [],
): Promise<AskedQuestion> {
  const q = getNamedQuery(name);
  const t0 = performance.now();
  const answer = await runNamedQuery(con, q, { namespace, params });
  const ms = performance.now() - t0;
  const table = answerToArrow(answer);
  return { name, question: q.question, answer, table, chart: chartForQuestion(name, table), ms };
}

/** The raw profile of the notebooks' input (src/analytics/profileRawInput.ts) on a fresh DuckDB. */
export async function profileNotebookInput(s: NotebookSettings): Promise<RawProfile> {
  await ensureInput(s);
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  try {
    return await profileRawInput(con, s.input);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

/** An Arrow table's rows as plain objects (for showTable). */
export function tableRecords(table: Table): Record<string, unknown>[] {
  return table.toArray().map((r) => (r as { toJSON(): Record<string, unknown> }).toJSON());
}

/** The profile's dirty-data screens, each beside the rate the generator is configured with. */
export function screenRatesBesideConfigured(
  profile: RawProfile,
  dirtyRate = 1,
): Record<string, unknown>[] {
  const configured = expectedScreenRates(dirtyRate);
  return tableRecords(profile.screens).map((r) => ({
    ...r,
    configured: configured[String(r.screen)],
  }));
}

export interface NotebookBenchRows {
  rows: BenchRow[];
  files: string[];
  /** True when every row is from the test fixture (run_id "fixture"): not measurements. */
  fixture: boolean;
  /** Text for chart labels: "FIXTURE, not measurements" or "". */
  note: string;
}

/** The benchmark rows notebook 04 shows: ETL_BENCH_ROWS_DIR or results/reference. */
export function notebookBenchRows(s: NotebookSettings): NotebookBenchRows {
  const { rows, files } = loadBenchRows(s.benchRowsDir);
  const fixture = rows.length > 0 && rows.every((r) => r.run_id === "fixture");
  return { rows, files, fixture, note: fixture ? "FIXTURE, not measurements" : "" };
}

/** The failed benchmark rows: cell, target, reason and error, with no path of a machine in it. */
export function failedBenchCells(rows: BenchRow[]): Record<string, unknown>[] {
  return rows
    .filter((r) => !r.success)
    .map((r) => ({
      cell: r.cell_id,
      target: r.target,
      reason: r.failure_reason,
      error: r.error === null ? null : withoutMachinePaths(r.error),
    }));
}

/** One row per table (current snapshot, totals), the metadata file by name only. */
export async function tableSummaries(warehouse: string): Promise<Record<string, unknown>[]> {
  return (await listTableSummaries(warehouse)).map(({ metadata, ...row }) => ({
    ...row,
    metadata_file: String(metadata).split("/").pop(),
  }));
}

export { listNamedQueries, listSnapshots, listTableSummaries, runPipeline };
export { answerRecords, formatQueryList } from "../analytics/formatQueryList.ts";
export { diffAnswers } from "../analytics/diffAnswers.ts";
export { sparkAnswers } from "../analytics/sparkAnswers.ts";
export { profileRawInput, expectedScreenRates, type RawProfile };
export { loadBenchRows, missingBenchCells };
export { show, showTable, showMarkdown, markdownTable, type Chart } from "../charts/display.ts";
export * from "../charts/questionCharts.ts";
export * from "../charts/profileCharts.ts";
export * from "../charts/pipelineCharts.ts";
export * from "../charts/benchCharts.ts";
export { scalingChart, memoryChart, costChart, crossoverChart } from "../charts/costCharts.ts";
export {
  crossoverTable,
  fitTable,
  measuredCostTable,
  measuredTable,
  missingList,
  notFoundList,
  priceTable,
  projectionTable,
} from "../report/reportTables.ts";
export { reportValues } from "../report/reportValues.ts";
export { notebookCostModel, flowchartSvg, type NotebookCostModel } from "./costNotebook.ts";
export { shownPath, withoutMachinePaths } from "./shownPath.ts";
export { hostInventory } from "../profile/hostInventory.ts";
export { collectEnvironment, formatEnvironment } from "../env/doctor.ts";
