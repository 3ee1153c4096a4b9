import type { BenchRow, BenchTarget } from "../bench/BenchRow.ts";
import { findCrossovers, type EngineCrossovers } from "./crossovers.ts";
import { fitEngine, type EngineFit } from "./fitScaling.ts";
import type { InterferenceCheck } from "./interferenceCheck.ts";
import { decisionFlowchart } from "./flowchart.ts";
import { isPlainHostCell, summariseCells, type MeasuredCell } from "./measuredCells.ts";
import { missingReferenceCells } from "./referencePlan.ts";
import type { PriceTable } from "./PriceTable.ts";
import {
  priceMeasured,
  projectAll,
  type MeasuredCost,
  type ModelOptions,
  type ProjectedPoint,
} from "./project.ts";

export interface CostModel {
  /** Where the rows came from and whether they are measurements or a test fixture. */
  source: { label: string; isFixture: boolean; rows: number };
  options: ModelOptions;
  cells: MeasuredCell[];
  missing: string[];
  fits: EngineFit[];
  measuredCosts: MeasuredCost[];
  projections: ProjectedPoint[];
  crossovers: EngineCrossovers[];
  /** The single-box engine the measurements favour (fastest measured at the largest shared scale). */
  bestEngine: BenchTarget | null;
  /** Spark / engine median wall-time ratios from cells of the same events, format and cores. */
  sparkRatios: { engine: BenchTarget; events: number; cores: number; ratio: number }[];
  flowchart: string;
  prices: PriceTable;
  /** The conditions the rows were measured under, for the threats to validity. */
  conditions: RunConditions;
  /** The dev-work-frozen against running A/B, when the results folder holds one. */
  interference?: InterferenceCheck[];
}

export interface RunConditions {
  hosts: string[];
  /** Fewest logical cores of the hosts in the rows. */
  logicalCores: number;
  runs: number;
  codeVersions: string[];
  /** 1-minute load average before each row: min, median, max, and rows above the core count. */
  loadMin: number;
  loadMedian: number;
  loadMax: number;
  rowsLoadAboveCores: number;
  /** Rows of an older code version of a cell that was measured again (left out). */
  supersededRows: number;
  boxedCellsNotEnforced: number;
  standaloneCells: number;
  variantCells: number;
  largestMeasuredEvents: number | null;
  largestMeasuredCores: number | null;
  /** Largest vCPU count a projection runs on (a single box or a whole cluster). */
  largestProjectedCores: number;
}

function conditionsOf(
  rows: BenchRow[],
  cells: MeasuredCell[],
  prices: PriceTable,
  options: ModelOptions,
): RunConditions {
  const loads = rows.map((r) => r.load_avg_before[0]).sort((a, b) => a - b);
  const cores = Math.min(...rows.map((r) => r.host.logical_cores));
  const ok = cells.filter((c) => c.succeeded > 0);
  const node = prices.instances.find((i) => i.instance_type === options.clusterNodeType);
  return {
    hosts: [...new Set(cells.map((c) => c.host))],
    logicalCores: Number.isFinite(cores) ? cores : 0,
    runs: new Set(rows.map((r) => r.run_id)).size,
    codeVersions: [...new Set(rows.map((r) => r.code_version ?? "unknown"))],
    loadMin: loads[0] ?? 0,
    loadMedian: loads.length ? loads[loads.length >> 1]! : 0,
    loadMax: loads.at(-1) ?? 0,
    rowsLoadAboveCores: rows.filter((r) => r.load_avg_before[0] > r.host.logical_cores).length,
    supersededRows: cells.reduce((n, c) => n + c.supersededRows, 0),
    boxedCellsNotEnforced: cells.filter((c) => c.box !== null && !c.boxEnforced).length,
    standaloneCells: cells.filter((c) => c.standalone).length,
    variantCells: cells.filter((c) => c.variant !== null).length,
    largestMeasuredEvents: ok.length ? Math.max(...ok.map((c) => c.events)) : null,
    largestMeasuredCores: ok.length ? Math.max(...ok.map((c) => c.cores)) : null,
    largestProjectedCores: Math.max(
      ...prices.instances.filter((i) => i.role.includes("single-box")).map((i) => i.vcpu),
      (node?.vcpu ?? 0) * Math.max(...options.clusterNodes),
    ),
  };
}

export const defaultOptions = (
  table: PriceTable,
  env: NodeJS.ProcessEnv = process.env,
): ModelOptions => ({
  engines: ["duckdb", "polars", "spark"],
  eventsGrid: [1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 2e8, 5e8, 1e9],
  clusterNodes: [2, 4, 8, 16, 32, 64],
  clusterNodeType: "m7i.xlarge",
  driverType: "m7i.xlarge",
  usableMemoryFraction: Number(env.COST_USABLE_MEMORY ?? 0.8),
  emr: env.COST_EMR === "1",
  emrFeeInput: env.COST_EMR_FEE_USD_PER_H ? Number(env.COST_EMR_FEE_USD_PER_H) : null,
  provisioningBoxS: Number(env.COST_PROVISION_BOX_S ?? table.provisioning.single_box_seconds.value),
  provisioningClusterS: Number(
    env.COST_PROVISION_CLUSTER_S ?? table.provisioning.cluster_seconds.value,
  ),
});

/** Successful CSV cells of the production-like job on the bare host: the fair comparisons. */
const plainOk = (cells: MeasuredCell[]) =>
  cells.filter(
    (c) => c.inputFormat === "csv" && c.succeeded > 0 && c.wallS !== null && isPlainHostCell(c),
  );

function ratios(cells: MeasuredCell[]): CostModel["sparkRatios"] {
  const out: CostModel["sparkRatios"] = [];
  const plain = plainOk(cells);
  for (const s of plain.filter((c) => c.engine === "spark"))
    for (const o of plain.filter((c) => c.engine !== "spark" && c.engine !== "floor"))
      if (o.events === s.events && o.cores === s.cores)
        out.push({
          engine: o.engine,
          events: s.events,
          cores: s.cores,
          ratio: s.wallS! / o.wallS!,
        });
  return out.sort(
    (a, b) => a.engine.localeCompare(b.engine) || a.events - b.events || a.cores - b.cores,
  );
}

function bestEngine(cells: MeasuredCell[], engines: BenchTarget[]): BenchTarget | null {
  const single: BenchTarget[] = engines.filter((e) => e !== "spark");
  const ok = plainOk(cells);
  const shared = [...new Set(ok.map((c) => c.events))]
    .filter((n) => single.every((e) => ok.some((c) => c.engine === e && c.events === n)))
    .sort((a, b) => b - a);
  if (shared.length === 0) return single.find((e) => ok.some((c) => c.engine === e)) ?? null;
  const at = ok.filter((c) => c.events === shared[0] && single.includes(c.engine));
  const maxCores = Math.max(...at.map((c) => c.cores));
  return (
    at.filter((c) => c.cores === maxCores).sort((a, b) => a.wallS! - b.wallS!)[0]?.engine ?? null
  );
}

export function buildCostModel(
  rows: BenchRow[],
  prices: PriceTable,
  source: { label: string; isFixture: boolean },
  options: ModelOptions = defaultOptions(prices),
): CostModel {
  const cells = summariseCells(rows);
  const fitMap = new Map<BenchTarget, EngineFit>();
  for (const e of ["floor", "duckdb", "polars", "spark"] as BenchTarget[]) {
    const f = fitEngine(cells, e);
    if (f) fitMap.set(e, f);
  }
  const crossovers = findCrossovers(prices, options, fitMap, cells);
  const best = bestEngine(cells, options.engines);
  const sparkRatios = ratios(cells);
  const bestX =
    crossovers.find((c) => c.engine === best) ??
    crossovers.find((c) => c.engine !== "spark") ??
    crossovers[0];
  const bestRatio = sparkRatios
    .filter((r) => r.engine === bestX?.engine)
    .sort((a, b) => b.events - a.events || b.cores - a.cores)[0];
  return {
    source: { ...source, rows: rows.length },
    options,
    cells,
    missing: missingReferenceCells(cells),
    fits: [...fitMap.values()],
    measuredCosts: priceMeasured(prices, options, cells),
    projections: projectAll(prices, options, fitMap),
    crossovers,
    bestEngine: best,
    sparkRatios,
    flowchart: bestX
      ? decisionFlowchart({
          best: bestX,
          sparkRatio: bestRatio ? { events: bestRatio.events, ratio: bestRatio.ratio } : null,
          usableMemoryFraction: options.usableMemoryFraction,
        })
      : 'flowchart TD\n  none["No engine could be fitted from these results"]\n',
    prices,
    conditions: conditionsOf(rows, cells, prices, options),
  };
}
