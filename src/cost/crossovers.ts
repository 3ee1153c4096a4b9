import type { BenchTarget } from "../bench/BenchRow.ts";
import type { EngineFit, MemoryModel } from "./fitScaling.ts";
import {
  configs,
  engineModels,
  estimate,
  quantile,
  RANGE_P,
  type Config,
  type EngineModel,
  type ModelOptions,
} from "./project.ts";
import type { PriceTable } from "./PriceTable.ts";
import { OUT_OF_CORE, type MeasuredCell } from "./measuredCells.ts";

/** A crossover scale with its spread over the bootstrap refits. */
export interface Crossover {
  /** Events per run; null when it does not happen inside the searched range. */
  events: number | null;
  p5: number | null;
  p95: number | null;
  /** Share of refits in which the crossover happened inside the range. */
  foundShare: number;
  reason: string;
  /** What decided it at the central fit: "faster"/"cheaper", or "single box no longer fits". */
  by: string | null;
  /** The configurations compared at the central crossover (cluster, then single box). */
  winner?: string | null;
  loser?: string | null;
  /** Crossover events / largest events measured for the engine (how far it extrapolates). */
  eventsBeyondMeasured?: number | null;
  /** The end of the search range (SEARCH_MAX_EVENTS) / largest events measured for the engine. */
  searchedBeyondMeasured?: number | null;
  /** vCPUs of the configurations compared / largest cores measured for the engine. */
  coresBeyondMeasured?: number | null;
  /**
   * "established": found in at least ESTABLISHED.foundShare of the refits and the range within
   * ESTABLISHED.rangeRatio;
   * "uncertain": otherwise; "none": not found in the range at the central fit.
   */
  confidence?: "established" | "uncertain" | "none";
}

/** What the measured cells say about one box, per engine (no fit involved). */
export interface MeasuredBoxLimit {
  /** The largest scale that finished in an enforced box, and the smallest such box at it. */
  largestFit: {
    events: number;
    cellId: string;
    boxGiB: number;
    cores: number;
    wallS: number;
  } | null;
  /** The smallest scale that never finished in a box (any failure), and the largest such box. */
  smallestFail: { events: number; cellId: string; boxGiB: number; outcome: string } | null;
  /** Largest scale the engine finished anywhere (box or bare host). */
  largestMeasuredEvents: number | null;
  largestMeasuredCores: number | null;
}

export interface EngineCrossovers {
  engine: BenchTarget;
  /** The measured fit / does-not-fit outcomes in boxes: these come first in every statement. */
  measured: MeasuredBoxLimit;
  /**
   * Largest events per run that fit in memory on the largest single box in the table, from the
   * memory fit (a projection); events null when memory is not identified or, `memoryIsLimit`
   * false, when the engine was measured to finish beyond its memory fit.
   */
  fitLimit: Crossover & { box: string; boxGiB: number; memoryIsLimit: boolean };
  clusterWinsTime: Crossover;
  clusterWinsCost: Crossover;
}

/** Log-spaced search range for crossovers: 1e5 to 1e10 events in 300 steps. */
export const SEARCH = Array.from({ length: 301 }, (_, i) => 10 ** (5 + (5 * i) / 300));

/** The largest scale searched: a crossover not found below it is reported "not found up to" it. */
export const SEARCH_MAX_EVENTS = SEARCH.at(-1)!;

/**
 * A crossover is "established" when found in at least `foundShare` of the refits with a RANGE_P
 * range no wider than `rangeRatio` (p95 / p5); otherwise "uncertain".
 */
export const ESTABLISHED = { foundShare: 0.95, rangeRatio: 10 } as const;

interface Models {
  engine: EngineModel;
  spark: EngineModel;
}

function fitLimitOf(m: MemoryModel | null, gib: number, usable: number): number | null {
  if (!m || m.bytesPerEvent <= 0) return null;
  const n = (usable * gib * 2 ** 30 - m.baseBytes) / m.bytesPerEvent;
  return n > 0 ? n : 0;
}

function firstWin(
  table: PriceTable,
  opts: ModelOptions,
  singles: Config[],
  clusters: Config[],
  m: Models,
  metric: "runtimeS" | "costUsd",
): { events: number | null; by: string | null; winner: Config | null; loser: Config | null } {
  for (const n of SEARCH) {
    const best = (cfgs: Config[], mm: EngineModel) => {
      let v: { x: number; c: Config } | null = null;
      for (const c of cfgs) {
        const e = estimate(table, opts, c, n, mm);
        const x = e[metric];
        if (e.fits === false || x === null) continue;
        if (v === null || x < v.x) v = { x, c };
      }
      return v;
    };
    const cl = best(clusters, m.spark);
    if (cl === null) continue;
    const sb = best(singles, m.engine);
    if (sb === null)
      return { events: n, by: "single box no longer fits", winner: cl.c, loser: null };
    if (cl.x < sb.x)
      return {
        events: n,
        by: metric === "runtimeS" ? "faster" : "cheaper",
        winner: cl.c,
        loser: sb.c,
      };
  }
  return { events: null, by: null, winner: null, loser: null };
}

function confidenceOf(c: Crossover): Crossover["confidence"] {
  if (c.events === null) return "none";
  return c.foundShare >= ESTABLISHED.foundShare &&
    c.p5 !== null &&
    c.p95 !== null &&
    c.p95 <= ESTABLISHED.rangeRatio * c.p5
    ? "established"
    : "uncertain";
}

/** The measured outcomes of an engine's single-box cells (CSV; Polars' auto plan included). */
export function measuredBoxLimit(cells: MeasuredCell[], engine: BenchTarget): MeasuredBoxLimit {
  const mine = cells.filter(
    (c) =>
      c.engine === engine &&
      c.inputFormat === "csv" &&
      !c.standalone &&
      (c.variant === null || c.variant === OUT_OF_CORE),
  );
  const gib = (c: MeasuredCell) => c.boxMemoryBytes! / 2 ** 30;
  const boxed = mine.filter((c) => c.boxEnforced && c.boxMemoryBytes !== null);
  const finished = boxed.filter((c) => c.succeeded > 0);
  const fits = finished.slice().sort((a, b) => b.events - a.events || gib(a) - gib(b))[0];
  // Every box cell that never finished counts as "did not finish", whatever the reason; only
  // OOM and timeout are memory/time limits for the projections (fitScaling.measuredLimits).
  // A failure that a success at no fewer events in a box of no more memory contradicts (Polars
  // in memory, then out of core in the same box) says nothing about the engine as it runs now.
  const fails = boxed
    .filter(
      (c) =>
        c.succeeded === 0 &&
        c.failures.length > 0 &&
        !finished.some((f) => f.events >= c.events && gib(f) <= gib(c)),
    )
    .sort((a, b) => a.events - b.events || gib(b) - gib(a))[0];
  const name = (c: MeasuredCell) =>
    c.engine === "polars" && c.variant === null ? `${c.cellId}, in memory` : c.cellId;
  const ok = mine.filter((c) => c.succeeded > 0);
  return {
    largestFit: fits
      ? {
          events: fits.events,
          cellId: name(fits),
          boxGiB: gib(fits),
          cores: fits.cores,
          wallS: fits.wallS!,
        }
      : null,
    smallestFail: fails
      ? {
          events: fails.events,
          cellId: name(fails),
          boxGiB: gib(fails),
          outcome: fails.failures.includes("oom")
            ? "killed by its memory box"
            : fails.failures.includes("timeout")
              ? "timed out"
              : `failed: ${fails.failureErrors[0] ?? fails.failures[0]}`,
        }
      : null,
    largestMeasuredEvents: ok.length ? Math.max(...ok.map((c) => c.events)) : null,
    largestMeasuredCores: ok.length ? Math.max(...ok.map((c) => c.cores)) : null,
  };
}

function spread(
  central: number | null,
  samples: (number | null)[],
  reason: string,
  by: string | null,
): Crossover {
  const found = samples.filter((v) => v !== null).length;
  return {
    events: central,
    p5: quantile(samples, RANGE_P[0]),
    p95: quantile(samples, RANGE_P[1]),
    foundShare: samples.length ? found / samples.length : 0,
    reason,
    by,
  };
}

/**
 * Per single-box engine: where it stops fitting the largest box, and where a Spark cluster
 * (any node count in the options) beats its best single box on time and on cost (priced
 * configurations only; an unpriced box or cluster is never counted as cheaper or dearer).
 */
export function findCrossovers(
  table: PriceTable,
  opts: ModelOptions,
  fits: Map<BenchTarget, EngineFit>,
  cells: MeasuredCell[] = [],
): EngineCrossovers[] {
  const spark = fits.get("spark");
  const all = configs(table, opts);
  const clusters = all.filter((c) => c.kind === "cluster");
  const largest = table.instances
    .filter((i) => i.role.includes("single-box"))
    .sort((a, b) => b.memory_gib - a.memory_gib)[0]!;
  const out: EngineCrossovers[] = [];
  for (const engine of opts.engines) {
    const f = fits.get(engine);
    if (!f?.time) continue;
    const singles = all.filter((c) => c.kind === "single-box" && c.engine === engine);
    const bound = f.memoryIsLimit;
    const limit = bound
      ? fitLimitOf(f.memory, largest.memory_gib, opts.usableMemoryFraction)
      : null;
    const limitSamples = f.samples.map((s) =>
      bound ? fitLimitOf(s.memory ?? null, largest.memory_gib, opts.usableMemoryFraction) : null,
    );
    const fl = spread(
      limit,
      limitSamples,
      !f.memory
        ? "memory per event not identified"
        : !bound
          ? `no limit: the engine finished in a box smaller than its memory fit (${(f.memory.baseBytes / 2 ** 20).toFixed(0)} MiB + ${f.memory.bytesPerEvent.toFixed(0)} B/event) predicts, so memory per event does not bound one box`
          : `peak memory ${(f.memory.baseBytes / 2 ** 20).toFixed(0)} MiB + ${f.memory.bytesPerEvent.toFixed(0)} B/event against ${opts.usableMemoryFraction} x ${largest.memory_gib} GiB`,
      null,
    );
    const measured = measuredBoxLimit(cells, engine);
    const beyond = (x: number | null) =>
      x === null || !measured.largestMeasuredEvents ? null : x / measured.largestMeasuredEvents;
    const fitLimit = {
      ...fl,
      eventsBeyondMeasured: beyond(fl.events),
      searchedBeyondMeasured: beyond(SEARCH_MAX_EVENTS),
      confidence: confidenceOf(fl),
      box: largest.instance_type,
      boxGiB: largest.memory_gib,
      memoryIsLimit: bound,
    };
    const none = (why: string): Crossover => ({
      events: null,
      p5: null,
      p95: null,
      foundShare: 0,
      reason: why,
      by: null,
    });
    if (!spark?.time) {
      out.push({
        engine,
        measured,
        fitLimit,
        clusterWinsTime: none("no Spark fit"),
        clusterWinsCost: none("no Spark fit"),
      });
      continue;
    }
    const e = engineModels(f);
    const sp = engineModels(spark);
    const central: Models = { engine: e.central, spark: sp.central };
    const k = Math.min(e.samples.length, sp.samples.length);
    const sampleModels: Models[] = Array.from({ length: k }, (_, i) => ({
      engine: e.samples[i]!,
      spark: sp.samples[i]!,
    }));
    const maxCores = Math.max(
      measured.largestMeasuredCores ?? 0,
      ...cells
        .filter((c) => c.engine === "spark" && c.succeeded > 0 && c.variant === null)
        .map((c) => c.cores),
    );
    const run = (metric: "runtimeS" | "costUsd", what: string): Crossover => {
      const c = firstWin(table, opts, singles, clusters, central, metric);
      const s = sampleModels.map((m) => firstWin(table, opts, singles, clusters, m, metric).events);
      const x = spread(c.events, s, what, c.by);
      const vcpu = (k: Config | null) => (k ? k.instance.vcpu * k.nodes : 0);
      const cores = Math.max(vcpu(c.winner), vcpu(c.loser));
      return {
        ...x,
        winner: c.winner?.label ?? null,
        loser: c.loser?.label ?? null,
        eventsBeyondMeasured: beyond(x.events),
        searchedBeyondMeasured: beyond(SEARCH_MAX_EVENTS),
        coresBeyondMeasured: c.winner && maxCores > 0 ? cores / maxCores : null,
        confidence: confidenceOf(x),
      };
    };
    out.push({
      engine,
      measured,
      fitLimit,
      clusterWinsTime: run(
        "runtimeS",
        `best Spark cluster (${opts.clusterNodes.join("/")} nodes) vs best ${engine} single box, runtime incl. startup`,
      ),
      clusterWinsCost: run(
        "costUsd",
        `cheapest priced Spark cluster vs cheapest priced ${engine} single box that fits, incl. provisioning`,
      ),
    });
  }
  return out;
}
