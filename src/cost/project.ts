import type { BenchTarget } from "../bench/BenchRow.ts";
import {
  jobSeconds,
  peakBytes,
  type EngineFit,
  type MemoryModel,
  type TimeModel,
} from "./fitScaling.ts";
import type { MeasuredCell } from "./measuredCells.ts";
import { findInstance, type InstancePrice, type PriceTable } from "./PriceTable.ts";
import { runCost } from "./runCost.ts";

export interface ModelOptions {
  /** Engines projected on single boxes (the cluster is always Spark). */
  engines: BenchTarget[];
  eventsGrid: number[];
  clusterNodes: number[];
  clusterNodeType: string;
  driverType: string;
  /** Share of a box's memory the job may use (the rest: OS, page cache); an assumption input. */
  usableMemoryFraction: number;
  emr: boolean;
  provisioningBoxS: number;
  provisioningClusterS: number;
}

export type ConfigKind = "single-box" | "cluster";

export interface Config {
  kind: ConfigKind;
  engine: BenchTarget;
  instance: InstancePrice;
  /** Worker nodes (1 for a single box); a cluster also pays one driver node. */
  nodes: number;
  driver: InstancePrice | null;
  label: string;
}

export interface Estimate {
  runtimeS: number;
  jobS: number;
  peakBytesPerNode: number | null;
  fits: boolean | null;
  costUsd: number | null;
}

export interface ProjectedPoint extends Estimate {
  kind: "projected";
  engine: BenchTarget;
  config: string;
  configKind: ConfigKind;
  instanceType: string;
  nodes: number;
  events: number;
  provisioningS: number;
  startupS: number;
  nodeMemoryGiB: number;
  /** 5th and 95th percentiles over the bootstrap refits (null when too few refits succeeded). */
  runtimeP5S: number | null;
  runtimeP95S: number | null;
  costP5Usd: number | null;
  costP95Usd: number | null;
}

export interface MeasuredCost {
  kind: "measured";
  cellId: string;
  engine: BenchTarget;
  events: number;
  cores: number;
  sparkWorkers: number | null;
  wallS: number;
  pricedAs: string;
  nodes: number;
  costUsd: number | null;
  note: string;
}

export function configs(table: PriceTable, opts: ModelOptions): Config[] {
  const out: Config[] = [];
  const boxes = table.instances.filter((i) => i.role.includes("single-box"));
  for (const engine of opts.engines)
    for (const b of boxes)
      out.push({
        kind: "single-box",
        engine,
        instance: b,
        nodes: 1,
        driver: null,
        label: `${engine} on ${b.instance_type}`,
      });
  const node = findInstance(table, opts.clusterNodeType);
  const driver = findInstance(table, opts.driverType);
  for (const n of opts.clusterNodes)
    out.push({
      kind: "cluster",
      engine: "spark",
      instance: node,
      nodes: n,
      driver,
      label: `spark on ${n} x ${node.instance_type} + driver`,
    });
  return out;
}

/** Runtime, memory and cost of one configuration at one scale under one fitted model. */
export function estimate(
  table: PriceTable,
  opts: ModelOptions,
  cfg: Config,
  events: number,
  startupS: number,
  time: TimeModel,
  memory: MemoryModel | null,
): Estimate {
  const cores = cfg.instance.vcpu * cfg.nodes;
  const jobS = jobSeconds(time, events, cores);
  const peak = memory ? peakBytes(memory, events, cfg.nodes) : null;
  const fits =
    peak === null ? null : peak <= opts.usableMemoryFraction * cfg.instance.memory_gib * 2 ** 30;
  const groups = [{ instance: cfg.instance, count: cfg.nodes }];
  if (cfg.driver) groups.push({ instance: cfg.driver, count: 1 });
  const provisioningS = cfg.kind === "cluster" ? opts.provisioningClusterS : opts.provisioningBoxS;
  const cost = runCost(table, groups, { provisioningS, startupS, jobS }, opts.emr);
  return { runtimeS: startupS + jobS, jobS, peakBytesPerNode: peak, fits, costUsd: cost.usd };
}

const pct = (xs: number[], p: number): number | null => {
  if (xs.length < 20) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))]!;
};

export function projectAll(
  table: PriceTable,
  opts: ModelOptions,
  fits: Map<BenchTarget, EngineFit>,
): ProjectedPoint[] {
  const points: ProjectedPoint[] = [];
  for (const cfg of configs(table, opts)) {
    const fit = fits.get(cfg.engine);
    if (!fit?.time) continue;
    for (const events of opts.eventsGrid) {
      const e = estimate(table, opts, cfg, events, fit.startupS, fit.time, fit.memory);
      const boot = fit.samples
        .filter((s) => s.time)
        .map((s) =>
          estimate(table, opts, cfg, events, fit.startupS, s.time!, s.memory ?? fit.memory),
        );
      const costs = boot.map((b) => b.costUsd).filter((v): v is number => v !== null);
      points.push({
        kind: "projected",
        engine: cfg.engine,
        config: cfg.label,
        configKind: cfg.kind,
        instanceType: cfg.instance.instance_type,
        nodes: cfg.nodes,
        events,
        provisioningS: cfg.kind === "cluster" ? opts.provisioningClusterS : opts.provisioningBoxS,
        startupS: fit.startupS,
        nodeMemoryGiB: cfg.instance.memory_gib,
        ...e,
        runtimeP5S: pct(
          boot.map((b) => b.runtimeS),
          0.05,
        ),
        runtimeP95S: pct(
          boot.map((b) => b.runtimeS),
          0.95,
        ),
        costP5Usd: pct(costs, 0.05),
        costP95Usd: pct(costs, 0.95),
      });
    }
  }
  return points;
}

/**
 * Measured runs priced: the measured time on this host billed at the smallest priced instance
 * with at least the cores used and the peak memory seen (a standalone Spark cell: its workers
 * plus a driver, each a cluster node). Labelled as measured time, priced.
 */
export function priceMeasured(
  table: PriceTable,
  opts: ModelOptions,
  cells: MeasuredCell[],
): MeasuredCost[] {
  const priced = table.instances
    .filter((i) => i.price_usd_per_hour !== null)
    .sort((a, b) => a.price_usd_per_hour! - b.price_usd_per_hour!);
  const out: MeasuredCost[] = [];
  for (const c of cells) {
    if (c.succeeded === 0 || c.wallS === null || c.engine === "floor") continue;
    const cluster = (c.sparkWorkers ?? 0) > 0;
    const peakGiB = (c.peakRssBytes ?? 0) / 2 ** 30;
    const inst = cluster
      ? findInstance(table, opts.clusterNodeType)
      : priced.find(
          (i) => i.vcpu >= c.cores && i.memory_gib * opts.usableMemoryFraction >= peakGiB,
        );
    if (!inst) {
      out.push({
        kind: "measured",
        cellId: c.cellId,
        engine: c.engine,
        events: c.events,
        cores: c.cores,
        sparkWorkers: c.sparkWorkers,
        wallS: c.wallS,
        pricedAs: "none",
        nodes: 0,
        costUsd: null,
        note: "no priced instance has the cores and memory this cell used",
      });
      continue;
    }
    const nodes = cluster ? c.sparkWorkers! + 1 : 1;
    const cost = runCost(
      table,
      [{ instance: inst, count: nodes }],
      {
        provisioningS: cluster ? opts.provisioningClusterS : opts.provisioningBoxS,
        startupS: c.startupS ?? 0,
        jobS: c.jobS ?? c.wallS,
      },
      opts.emr,
    );
    out.push({
      kind: "measured",
      cellId: c.cellId,
      engine: c.engine,
      events: c.events,
      cores: c.cores,
      sparkWorkers: c.sparkWorkers,
      wallS: c.wallS,
      pricedAs: cluster ? `${c.sparkWorkers} x ${inst.instance_type} + driver` : inst.instance_type,
      nodes,
      costUsd: cost.usd,
      note: "time measured on this host; price of the named instance",
    });
  }
  return out;
}
