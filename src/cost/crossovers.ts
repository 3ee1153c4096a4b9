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
}

export interface EngineCrossovers {
  engine: BenchTarget;
  /** Largest events per run that fit in memory on the largest single box in the table. */
  fitLimit: Crossover & { box: string; boxGiB: number };
  clusterWinsTime: Crossover;
  clusterWinsCost: Crossover;
}

/** Log-spaced search range for crossovers: 100k to 10B events. */
export const SEARCH = Array.from({ length: 301 }, (_, i) => 10 ** (5 + (5 * i) / 300));

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
): { events: number | null; by: string | null } {
  for (const n of SEARCH) {
    const best = (cfgs: Config[], mm: EngineModel) => {
      let v: number | null = null;
      for (const c of cfgs) {
        const e = estimate(table, opts, c, n, mm);
        const x = e[metric];
        if (e.fits === false || x === null) continue;
        if (v === null || x < v) v = x;
      }
      return v;
    };
    const cl = best(clusters, m.spark);
    if (cl === null) continue;
    const sb = best(singles, m.engine);
    if (sb === null) return { events: n, by: "single box no longer fits" };
    if (cl < sb) return { events: n, by: metric === "runtimeS" ? "faster" : "cheaper" };
  }
  return { events: null, by: null };
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
    const limit = fitLimitOf(f.memory, largest.memory_gib, opts.usableMemoryFraction);
    const limitSamples = f.samples.map((s) =>
      fitLimitOf(s.memory ?? null, largest.memory_gib, opts.usableMemoryFraction),
    );
    const fitLimit = {
      ...spread(
        limit,
        limitSamples,
        f.memory
          ? `peak memory ${(f.memory.baseBytes / 2 ** 20).toFixed(0)} MiB + ${f.memory.bytesPerEvent.toFixed(0)} B/event against ${opts.usableMemoryFraction} x ${largest.memory_gib} GiB`
          : "memory per event not identified",
        null,
      ),
      box: largest.instance_type,
      boxGiB: largest.memory_gib,
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
    const run = (metric: "runtimeS" | "costUsd", what: string) => {
      const c = firstWin(table, opts, singles, clusters, central, metric);
      const s = sampleModels.map((m) => firstWin(table, opts, singles, clusters, m, metric).events);
      return spread(c.events, s, what, c.by);
    };
    out.push({
      engine,
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
