import type { BenchTarget } from "../bench/BenchRow.ts";
import { SplitMix32 } from "../generator/SplitMix32.ts";
import { ols, type OlsFit } from "./leastSquares.ts";
import { nodeMemoryBytes, OUT_OF_CORE, type MeasuredCell } from "./measuredCells.ts";

/** Job seconds (after engine startup) = intercept + serial * n + parallel * n / cores. */
export interface TimeModel {
  interceptS: number;
  serialSPerEvent: number;
  parallelCoreSPerEvent: number;
}

/** Peak resident memory = base + perEvent * events (on one box; a cluster node holds events / nodes). */
export interface MemoryModel {
  baseBytes: number;
  bytesPerEvent: number;
}

export interface FitQuality {
  points: number;
  r2: number;
  rmse: number;
  maxRelResidual: number;
  /** Standard error of each coefficient, keyed like the model. */
  stdErr: Record<string, number>;
}

export interface EngineFit {
  engine: BenchTarget;
  /** The measured cells the fit used (ids), and the spread they cover. */
  inputs: { cellIds: string[]; events: number[]; cores: number[] };
  startupS: number;
  time: TimeModel | null;
  timeTerms: ("intercept" | "serial" | "parallel")[];
  timeQuality: FitQuality | null;
  memory: MemoryModel | null;
  memoryQuality: FitQuality | null;
  /** Events per second on one core, 1 / (serial + parallel). */
  perCoreEventsPerS: number | null;
  /** serial / (serial + parallel); null when the cells did not vary the cores. */
  serialFraction: number | null;
  /**
   * What the cells showed about fitting, beside the fit: a failed cell (killed by its memory box
   * or timed out) means "does not fit" at that scale on that much memory (and, for a timeout,
   * that many cores); a successful cell in an enforced box means "fits". Projections honour
   * these before the memory fit.
   */
  limits: MeasuredLimit[];
  /**
   * false when a cell finished in an enforced box smaller than the memory fit predicts there
   * (DuckDB spills, Polars goes out of core): peak memory of the unboxed runs then does not
   * bound the scale one box can take, and projections say "unknown" instead of "does not fit".
   */
  memoryIsLimit: boolean;
  /**
   * Spark only: standalone-cluster wall over local-mode wall at the same events and total
   * cores (measured pairs), applied to the cluster projections; null when no pair is measured.
   */
  cluster: ClusterOverhead | null;
  notes: string[];
  /** Refits on resampled cells (pairs bootstrap), for the uncertainty of everything derived. */
  samples: { time: TimeModel | null; memory: MemoryModel | null; clusterFactor: number }[];
}

export interface ClusterOverhead {
  pairs: {
    standaloneCellId: string;
    localCellId: string;
    events: number;
    cores: number;
    workers: number;
    standaloneJobS: number;
    localJobS: number;
    ratio: number;
  }[];
  /** Median ratio over the pairs (the central factor). */
  factor: number;
}

export interface MeasuredLimit {
  cellId: string;
  events: number;
  /** Cores of one node (a standalone cell: per worker). */
  coresPerNode: number;
  memoryBytesPerNode: number;
  /** 1 for a single box, the workers of a standalone cluster. */
  nodes: number;
  standalone: boolean;
  outcome: "fits" | "oom" | "timeout";
  /** What the memory fit predicts for one node there (null when memory is not identified). */
  predictedBytes: number | null;
}

const M = 1e6; // fit in millions of events: keeps the normal equations well conditioned

type Term = "intercept" | "serial" | "parallel";

function timeRow(terms: Term[], c: MeasuredCell): number[] {
  const n = c.events / M;
  return terms.map((t) => (t === "intercept" ? 1 : t === "serial" ? n : n / c.cores));
}

function toTimeModel(terms: Term[], coef: number[]): TimeModel {
  const get = (t: Term) => (terms.includes(t) ? coef[terms.indexOf(t)]! : 0);
  return {
    interceptS: get("intercept"),
    serialSPerEvent: get("serial") / M,
    parallelCoreSPerEvent: get("parallel") / M,
  };
}

/** Fits with the given terms, dropping any that come out negative (a negative cost has no meaning). */
function fitTime(cells: MeasuredCell[], terms: Term[]): { terms: Term[]; fit: OlsFit } | null {
  let t = [...terms];
  while (t.length > 0) {
    const fit = ols(
      cells.map((c) => timeRow(t, c)),
      cells.map((c) => c.jobS!),
    );
    if (!fit) return null;
    const neg = t.findIndex((_, i) => fit.coef[i]! < 0);
    if (neg < 0) return { terms: t, fit };
    t = t.filter((_, i) => i !== neg);
  }
  return null;
}

function fitMemory(cells: MeasuredCell[]): OlsFit | null {
  const fit = ols(
    cells.map((c) => [1, c.events / M]),
    cells.map((c) => c.peakRssBytes!),
  );
  return fit && fit.coef[1]! >= 0 ? fit : null;
}

const distinct = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);

function quality(fit: OlsFit, names: string[], scale: number[]): FitQuality {
  return {
    points: fit.n,
    r2: fit.r2,
    rmse: fit.rmse,
    maxRelResidual: fit.maxRelResidual,
    stdErr: Object.fromEntries(names.map((n, i) => [n, fit.stdErr[i]! / scale[i]!])),
  };
}

/**
 * Fits one engine from its successful CSV cells. Terms are chosen by what the cells vary:
 * the serial/parallel split needs at least two core counts, the per-event cost two scales.
 */
export function fitEngine(
  all: MeasuredCell[],
  engine: BenchTarget,
  bootstrap = 400,
  seed = 12,
): EngineFit | null {
  const mine = all.filter((c) => c.engine === engine && c.inputFormat === "csv");
  // Time: every successful repetition's median (boxes at their cores); variants (Spark's
  // cache-stages, Polars out of core) are a different job and stay out. Standalone Spark
  // cells stay out too: they measure the cluster's overhead against local mode (below).
  const cells = mine.filter(
    (c) => c.succeeded > 0 && c.jobS !== null && c.variant === null && !c.standalone,
  );
  if (cells.length === 0) return null;
  const notes: string[] = [];
  const cluster = engine === "spark" ? clusterOverhead(mine) : null;
  if (engine === "spark")
    notes.push(
      cluster
        ? `cluster projections = local-mode fit x ${cluster.factor.toFixed(2)}, the median standalone/local wall ratio of ${cluster.pairs.length} measured pair(s) (${cluster.pairs.map((p) => `${p.workers} worker(s) at ${p.events / 1e6}M: x${p.ratio.toFixed(2)}`).join(", ")}); the workers shared one host`
        : "no standalone cell pairs with a local cell of the same events and cores: the cluster is projected as efficient as local mode (not measured)",
    );
  const events = distinct(cells.map((c) => c.events));
  const cores = distinct(cells.map((c) => c.cores));
  let terms: Term[];
  if (events.length >= 2 && cores.length >= 2 && cells.length >= 4)
    terms = ["intercept", "serial", "parallel"];
  else if (events.length >= 2) {
    terms = ["intercept", "serial"];
    notes.push(
      `cores not varied (${cores.join(", ")}): the serial fraction is not identified, so no speed-up from more cores is credited`,
    );
  } else {
    terms = ["serial"];
    notes.push(
      `one scale only (${events[0]} events): time is taken as proportional to events, no fixed cost fitted`,
    );
  }
  const tf = fitTime(cells, terms);
  if (tf && tf.terms.length < terms.length)
    notes.push(`dropped ${terms.filter((t) => !tf.terms.includes(t)).join(", ")}: fitted negative`);
  const time = tf ? toTimeModel(tf.terms, tf.fit.coef) : null;

  // Memory: cells on the bare host only. In a box the engines' memory settings follow the box
  // (DuckDB spills, Spark's heap is sized to it), so peak RSS there shows the cap, not the need;
  // a standalone cell's RSS is summed over several JVMs. Both enter as limits instead.
  const memCells = cells.filter((c) => c.peakRssBytes !== null && c.boxMemoryBytes === null);
  if (memCells.length < cells.length)
    notes.push(
      `memory fit on the ${memCells.length} unboxed cell(s); ${cells.length - memCells.length} boxed or standalone cell(s) enter as measured fit/does-not-fit limits`,
    );
  const mf = distinct(memCells.map((c) => c.events)).length >= 2 ? fitMemory(memCells) : null;
  if (!mf) notes.push("memory per event not identified (needs successful cells at two scales)");
  const memory = mf ? { baseBytes: mf.coef[0]!, bytesPerEvent: mf.coef[1]! / M } : null;

  const startups = cells.map((c) => c.startupS).filter((v): v is number => v !== null);
  const startupS = startups.length ? startups.sort((a, b) => a - b)[startups.length >> 1]! : 0;

  const perEvent = time ? time.serialSPerEvent + time.parallelCoreSPerEvent : 0;
  const limits = measuredLimits(mine, memory);
  const gib = (b: number) => (b / 2 ** 30).toFixed(1);
  for (const b of limits)
    if (
      b.outcome === "oom" &&
      b.predictedBytes !== null &&
      b.predictedBytes <= b.memoryBytesPerNode
    )
      notes.push(
        `${b.cellId} was killed by its ${gib(b.memoryBytesPerNode)} GiB box although the memory fit predicts ${gib(b.predictedBytes)} GiB: the fit underestimates there, the measured limit is used`,
      );
  const beyond = limits.filter(
    (b) =>
      b.outcome === "fits" &&
      !b.standalone &&
      b.predictedBytes !== null &&
      b.predictedBytes > b.memoryBytesPerNode,
  );
  for (const b of beyond)
    notes.push(
      `${b.cellId} finished in a ${gib(b.memoryBytesPerNode)} GiB box where the memory fit predicts ${gib(b.predictedBytes!)} GiB (it spilled or went out of core): memory per event does not bound one box`,
    );

  // Bootstrap: resample the cells (when there are more cells than terms; with exactly as many,
  // every resample would refit the same line) and, for each cell drawn, one of its successful
  // repetitions, so the spread between repetitions (load on a shared host) is carried too.
  const rng = new SplitMix32(seed);
  const samples: EngineFit["samples"] = [];
  const resampleCells = tf !== null && cells.length > tf.terms.length;
  // With as many cells as terms and one repetition each, every refit is the same line: no range.
  const canResample = resampleCells || cells.some((c) => c.repetitionValues.length > 1);
  const memTerms = 2;
  for (let s = 0; s < bootstrap && tf && canResample; s++) {
    const pick = (resampleCells ? cells.map(() => cells[rng.below(cells.length)]!) : cells).map(
      (c) => {
        const r = c.repetitionValues[rng.below(c.repetitionValues.length)];
        return r ? { ...c, jobS: r.jobS, peakRssBytes: r.peakRssBytes } : c;
      },
    );
    const t = ols(
      pick.map((c) => timeRow(tf.terms, c)),
      pick.map((c) => c.jobS!),
    );
    const mp = pick.filter(
      (c) => memCells.some((m) => m.cellId === c.cellId) && c.peakRssBytes !== null,
    );
    const m = mf && distinct(mp.map((c) => c.events)).length >= memTerms ? fitMemory(mp) : null;
    samples.push({
      time: t && t.coef.every((v) => v >= 0) ? toTimeModel(tf.terms, t.coef) : null,
      memory: m ? { baseBytes: m.coef[0]!, bytesPerEvent: m.coef[1]! / M } : null,
      clusterFactor: cluster ? cluster.pairs[rng.below(cluster.pairs.length)]!.ratio : 1,
    });
  }
  if (tf && !resampleCells)
    notes.push(
      canResample
        ? `as many cells as fitted terms: the ranges come from the spread between repetitions only`
        : `as many cells as fitted terms, one repetition each: no range can be estimated`,
    );

  return {
    engine,
    inputs: { cellIds: cells.map((c) => c.cellId), events, cores },
    startupS,
    time,
    timeTerms: tf?.terms ?? [],
    timeQuality: tf
      ? quality(
          tf.fit,
          tf.terms,
          tf.terms.map((t) => (t === "intercept" ? 1 : M)),
        )
      : null,
    memory,
    memoryQuality: mf ? quality(mf, ["base", "perEvent"], [1, M]) : null,
    perCoreEventsPerS: perEvent > 0 ? 1 / perEvent : null,
    serialFraction:
      time && tf!.terms.includes("parallel") && perEvent > 0
        ? time.serialSPerEvent / perEvent
        : null,
    limits,
    memoryIsLimit: beyond.length === 0,
    cluster,
    notes,
    samples,
  };
}

/**
 * Standalone Spark against local mode: each standalone cell paired with the local-mode or
 * boxed cell of the same events and total cores (production-like job, CSV).
 */
function clusterOverhead(cells: MeasuredCell[]): ClusterOverhead | null {
  const ok = cells.filter((c) => c.succeeded > 0 && c.jobS !== null && c.variant === null);
  const pairs: ClusterOverhead["pairs"] = [];
  for (const s of ok.filter((c) => c.standalone)) {
    const local = ok
      .filter((c) => !c.standalone && c.events === s.events && c.cores === s.cores)
      .sort((a, b) => (a.box === null ? 0 : 1) - (b.box === null ? 0 : 1))[0];
    if (local)
      pairs.push({
        standaloneCellId: s.cellId,
        localCellId: local.cellId,
        events: s.events,
        cores: s.cores,
        workers: s.sparkWorkers!,
        standaloneJobS: s.jobS!,
        localJobS: local.jobS!,
        ratio: s.jobS! / local.jobS!,
      });
  }
  if (pairs.length === 0) return null;
  const r = pairs.map((p) => p.ratio).sort((a, b) => a - b);
  const mid = r.length >> 1;
  return { pairs, factor: r.length % 2 ? r[mid]! : (r[mid - 1]! + r[mid]!) / 2 };
}

/** Fit / does-not-fit evidence from the cells (failures by reason, successes in enforced boxes). */
function measuredLimits(cells: MeasuredCell[], memory: MemoryModel | null): MeasuredLimit[] {
  const out: MeasuredLimit[] = [];
  for (const c of cells) {
    // Polars' out-of-core path is what its auto plan runs where memory is short: its
    // outcomes say what fits; other variants are not the production-like job.
    if (c.variant !== null && c.variant !== OUT_OF_CORE) continue;
    // A cell that never succeeded does not fit (killed by its box, or out of time); one that
    // succeeded in an enforced box fits, whatever its other repetitions did.
    const outcome =
      c.succeeded > 0
        ? c.boxEnforced
          ? "fits"
          : null
        : c.failures.includes("oom")
          ? "oom"
          : c.failures.includes("timeout")
            ? "timeout"
            : null;
    if (outcome === null) continue;
    const nodes = c.standalone ? c.sparkWorkers! : 1;
    out.push({
      cellId: c.cellId,
      events: c.events,
      coresPerNode: c.cores / nodes,
      memoryBytesPerNode: nodeMemoryBytes(c),
      nodes,
      standalone: c.standalone,
      outcome,
      predictedBytes: memory ? peakBytes(memory, c.events, nodes) : null,
    });
  }
  return out;
}

/** A configuration asked about: `nodes` nodes of `cores` and `memoryBytes` each. */
export interface NodeShape {
  cluster: boolean;
  nodes: number;
  cores: number;
  memoryBytes: number;
}

/**
 * What the measured limits say about a configuration at `events`: false when a cell of the same
 * kind (single box or standalone cluster) at no more events, on at least as many nodes of at
 * least this memory (and, for a timeout, at least these cores) failed; true when a cell at no
 * fewer events succeeded on no more nodes with no more memory in an enforced box; null when the
 * cells say nothing.
 */
export function measuredFits(
  limits: MeasuredLimit[],
  events: number,
  s: NodeShape,
): boolean | null {
  const same = limits.filter((l) => (l.nodes > 1 || l.standalone) === s.cluster);
  const failed = same.some(
    (l) =>
      l.outcome !== "fits" &&
      l.events <= events &&
      l.nodes >= s.nodes &&
      l.memoryBytesPerNode >= s.memoryBytes &&
      (l.outcome === "oom" || l.coresPerNode >= s.cores),
  );
  if (failed) return false;
  const held = same.some(
    (l) =>
      l.outcome === "fits" &&
      l.events >= events &&
      l.nodes <= s.nodes &&
      l.memoryBytesPerNode <= s.memoryBytes,
  );
  return held ? true : null;
}

/** Job seconds predicted by a time model for `events` on `cores`. */
export function jobSeconds(t: TimeModel, events: number, cores: number): number {
  return t.interceptS + t.serialSPerEvent * events + (t.parallelCoreSPerEvent * events) / cores;
}

/** Peak bytes on one node holding events / nodes of the data. */
export function peakBytes(m: MemoryModel, events: number, nodes = 1): number {
  return m.baseBytes + (m.bytesPerEvent * events) / nodes;
}
