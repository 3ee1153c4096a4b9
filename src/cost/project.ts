import type { BenchTarget } from "../bench/BenchRow.ts";
import {
  jobSeconds,
  measuredFits,
  peakBytes,
  type EngineFit,
  type MeasuredLimit,
  type MemoryModel,
  type TimeModel,
} from "./fitScaling.ts";
import type { MeasuredCell } from "./measuredCells.ts";
import { findInstance, type InstancePrice, type PriceTable } from "./PriceTable.ts";
import { runCost, type NodeGroup } from "./runCost.ts";

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
  /** EMR fee per instance-hour given by the user where the table has none (COST_EMR_FEE_USD_PER_H). */
  emrFeeInput: number | null;
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

/** One engine's fitted models and measured limits: the central fit or one bootstrap refit. */
export interface EngineModel {
  time: TimeModel;
  memory: MemoryModel | null;
  /** false: the engine was measured to finish beyond its memory fit (spill, out of core). */
  memoryIsLimit: boolean;
  /** Multiplies a cluster's job time: measured standalone/local ratio (1 when not measured). */
  clusterFactor: number;
  startupS: number;
  limits: MeasuredLimit[];
}

export interface Estimate {
  runtimeS: number;
  jobS: number;
  peakBytesPerNode: number | null;
  fits: boolean | null;
  /** Whether `fits` comes from a measured cell (a failure or a success in a box) or the memory fit. */
  fitsBy: "measured" | "projected" | null;
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

/** The central model of a fit and its bootstrap refits, each ready for `estimate`. */
export function engineModels(fit: EngineFit): { central: EngineModel; samples: EngineModel[] } {
  const base = { startupS: fit.startupS, limits: fit.limits, memoryIsLimit: fit.memoryIsLimit };
  return {
    central: {
      ...base,
      time: fit.time!,
      memory: fit.memory,
      clusterFactor: fit.cluster?.factor ?? 1,
    },
    samples: fit.samples
      .map((s) =>
        s.time
          ? {
              ...base,
              time: s.time,
              memory: s.memory ?? fit.memory,
              clusterFactor: s.clusterFactor,
            }
          : null,
      )
      .filter((m): m is EngineModel => m !== null),
  };
}

const provisioningOf = (opts: ModelOptions, kind: ConfigKind) =>
  kind === "cluster" ? opts.provisioningClusterS : opts.provisioningBoxS;

/**
 * Runtime, memory and cost of one configuration at one scale under one model. Whether the run
 * fits comes first from the measured limits, then from the memory fit against the usable share
 * of a node's memory.
 */
export function estimate(
  table: PriceTable,
  opts: ModelOptions,
  cfg: Config,
  events: number,
  m: EngineModel,
): Estimate {
  const cores = cfg.instance.vcpu * cfg.nodes;
  const jobS = jobSeconds(m.time, events, cores) * (cfg.kind === "cluster" ? m.clusterFactor : 1);
  const peak = m.memory ? peakBytes(m.memory, events, cfg.nodes) : null;
  const nodeBytes = cfg.instance.memory_gib * 2 ** 30;
  const measured = measuredFits(m.limits, events, {
    cluster: cfg.kind === "cluster",
    nodes: cfg.nodes,
    cores: cfg.instance.vcpu,
    memoryBytes: nodeBytes,
  });
  // An engine measured to finish beyond its memory fit has no projected limit: unknown.
  const projected =
    peak === null || !m.memoryIsLimit ? null : peak <= opts.usableMemoryFraction * nodeBytes;
  const groups: NodeGroup[] = [{ instance: cfg.instance, count: cfg.nodes }];
  if (cfg.driver) groups.push({ instance: cfg.driver, count: 1 });
  const cost = runCost(
    table,
    groups,
    { provisioningS: provisioningOf(opts, cfg.kind), startupS: m.startupS, jobS },
    opts.emr,
    opts.emrFeeInput,
  );
  return {
    runtimeS: m.startupS + jobS,
    jobS,
    peakBytesPerNode: peak,
    fits: measured ?? projected,
    fitsBy: measured !== null ? "measured" : projected !== null ? "projected" : null,
    costUsd: cost.usd,
  };
}

/** The range every projection and crossover reports: these quantiles of the bootstrap refits. */
export const RANGE_P = [0.05, 0.95] as const;

/** RANGE_P as the text prints it ("5-95%"). */
export const RANGE_LABEL = `${100 * RANGE_P[0]}-${100 * RANGE_P[1]}%`;

/** The p-th quantile of the refits' values (null under 20 values: too few for a range). */
export function quantile(xs: (number | null)[], p: number): number | null {
  const s = xs.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (s.length < 20) return null;
  return s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))]!;
}

export function projectAll(
  table: PriceTable,
  opts: ModelOptions,
  fits: Map<BenchTarget, EngineFit>,
): ProjectedPoint[] {
  const points: ProjectedPoint[] = [];
  for (const cfg of configs(table, opts)) {
    const fit = fits.get(cfg.engine);
    if (!fit?.time) continue;
    const { central, samples } = engineModels(fit);
    for (const events of opts.eventsGrid) {
      const boot = samples.map((s) => estimate(table, opts, cfg, events, s));
      const range = (k: "runtimeS" | "costUsd") => boot.map((b) => b[k]);
      points.push({
        kind: "projected",
        engine: cfg.engine,
        config: cfg.label,
        configKind: cfg.kind,
        instanceType: cfg.instance.instance_type,
        nodes: cfg.nodes,
        events,
        provisioningS: provisioningOf(opts, cfg.kind),
        startupS: fit.startupS,
        nodeMemoryGiB: cfg.instance.memory_gib,
        ...estimate(table, opts, cfg, events, central),
        runtimeP5S: quantile(range("runtimeS"), RANGE_P[0]),
        runtimeP95S: quantile(range("runtimeS"), RANGE_P[1]),
        costP5Usd: quantile(range("costUsd"), RANGE_P[0]),
        costP95Usd: quantile(range("costUsd"), RANGE_P[1]),
      });
    }
  }
  return points;
}

/** The cheapest priced instance with at least these cores and GiB, or null. */
function cheapest(table: PriceTable, cores: number, gib: number): InstancePrice | null {
  return (
    table.instances
      .filter((i) => i.price_usd_per_hour !== null && i.vcpu >= cores && i.memory_gib >= gib)
      .sort((a, b) => a.price_usd_per_hour! - b.price_usd_per_hour!)[0] ?? null
  );
}

/**
 * The nodes a measured cell is priced as: a boxed cell as the cheapest instance with the box's
 * cores and memory; an unboxed cell as the cheapest with the cores it used and its peak memory
 * within the usable share; a standalone Spark cell as one such instance per worker (its worker
 * box) plus the driver node.
 */
function measuredNodes(table: PriceTable, opts: ModelOptions, c: MeasuredCell): NodeGroup[] | null {
  const gib = (b: number) => b / 2 ** 30;
  if (c.standalone) {
    const workers = c.sparkWorkers!;
    const perWorkerGiB = c.boxMemoryBytes === null ? 0 : gib(c.boxMemoryBytes) / workers;
    const worker = cheapest(table, c.cores / workers, perWorkerGiB);
    return worker
      ? [
          { instance: worker, count: workers },
          { instance: findInstance(table, opts.driverType), count: 1 },
        ]
      : null;
  }
  const box =
    c.boxMemoryBytes !== null
      ? cheapest(table, c.cores, gib(c.boxMemoryBytes))
      : cheapest(table, c.cores, gib(c.peakRssBytes ?? 0) / opts.usableMemoryFraction);
  return box ? [{ instance: box, count: 1 }] : null;
}

/**
 * Measured runs priced: the measured time on this host billed at the instances that match the
 * cell's shape (`measuredNodes`), provisioning included. Labelled as measured time, priced.
 */
export function priceMeasured(
  table: PriceTable,
  opts: ModelOptions,
  cells: MeasuredCell[],
): MeasuredCost[] {
  const out: MeasuredCost[] = [];
  for (const c of cells) {
    if (c.succeeded === 0 || c.wallS === null || c.engine === "floor") continue;
    const groups = measuredNodes(table, opts, c);
    const cost = groups
      ? runCost(
          table,
          groups,
          {
            provisioningS: provisioningOf(opts, c.standalone ? "cluster" : "single-box"),
            startupS: c.startupS ?? 0,
            jobS: c.jobS ?? c.wallS,
          },
          opts.emr,
          opts.emrFeeInput,
        )
      : null;
    out.push({
      kind: "measured",
      cellId: c.cellId,
      engine: c.engine,
      events: c.events,
      cores: c.cores,
      sparkWorkers: c.sparkWorkers,
      wallS: c.wallS,
      pricedAs: groups
        ? groups.map((g) => `${g.count} x ${g.instance.instance_type}`).join(" + ")
        : "none",
      nodes: groups ? groups.reduce((n, g) => n + g.count, 0) : 0,
      costUsd: cost?.usd ?? null,
      note: groups
        ? "time measured on this host; price of the named instances"
        : "no priced instance has the cores and memory this cell used",
    });
  }
  return out;
}
