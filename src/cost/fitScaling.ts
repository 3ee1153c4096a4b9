import type { BenchTarget } from "../bench/BenchRow.ts";
import { SplitMix32 } from "../generator/SplitMix32.ts";
import { ols, type OlsFit } from "./leastSquares.ts";
import type { MeasuredCell } from "./measuredCells.ts";

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
  /** Cells killed by their memory box: the model must predict more than the box there. */
  oomBounds: { events: number; boxMemoryBytes: number; predictedBytes: number | null }[];
  notes: string[];
  /** Refits on resampled cells (pairs bootstrap), for the uncertainty of everything derived. */
  samples: { time: TimeModel | null; memory: MemoryModel | null }[];
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
  const cells = all.filter(
    (c) => c.engine === engine && c.inputFormat === "csv" && c.succeeded > 0 && c.jobS !== null,
  );
  if (cells.length === 0) return null;
  const notes: string[] = [];
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

  const memCells = cells.filter((c) => c.peakRssBytes !== null);
  const mf = distinct(memCells.map((c) => c.events)).length >= 2 ? fitMemory(memCells) : null;
  if (!mf) notes.push("memory per event not identified (needs successful cells at two scales)");
  const memory = mf ? { baseBytes: mf.coef[0]!, bytesPerEvent: mf.coef[1]! / M } : null;

  const startups = cells.map((c) => c.startupS).filter((v): v is number => v !== null);
  const startupS = startups.length ? startups.sort((a, b) => a - b)[startups.length >> 1]! : 0;

  const perEvent = time ? time.serialSPerEvent + time.parallelCoreSPerEvent : 0;
  const oomBounds = all
    .filter((c) => c.engine === engine && c.failures.includes("oom") && c.boxMemoryBytes !== null)
    .map((c) => ({
      events: c.events,
      boxMemoryBytes: c.boxMemoryBytes!,
      predictedBytes: memory ? memory.baseBytes + memory.bytesPerEvent * c.events : null,
    }));
  for (const b of oomBounds)
    if (b.predictedBytes !== null && b.predictedBytes <= b.boxMemoryBytes)
      notes.push(
        `a cell at ${b.events} events was killed by a ${(b.boxMemoryBytes / 2 ** 30).toFixed(0)} GiB box although the memory fit predicts ${(b.predictedBytes / 2 ** 30).toFixed(1)} GiB: the fit underestimates there`,
      );

  const rng = new SplitMix32(seed);
  const samples: EngineFit["samples"] = [];
  for (let s = 0; s < bootstrap && tf; s++) {
    const pick = cells.map(() => cells[rng.below(cells.length)]!);
    const t = ols(
      pick.map((c) => timeRow(tf.terms, c)),
      pick.map((c) => c.jobS!),
    );
    const mp = pick.filter((c) => c.peakRssBytes !== null);
    const m = mf && distinct(mp.map((c) => c.events)).length >= 2 ? fitMemory(mp) : null;
    samples.push({
      time: t && t.coef.every((v) => v >= 0) ? toTimeModel(tf.terms, t.coef) : null,
      memory: m ? { baseBytes: m.coef[0]!, bytesPerEvent: m.coef[1]! / M } : null,
    });
  }

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
    oomBounds,
    notes,
    samples,
  };
}

/** Job seconds predicted by a time model for `events` on `cores`. */
export function jobSeconds(t: TimeModel, events: number, cores: number): number {
  return t.interceptS + t.serialSPerEvent * events + (t.parallelCoreSPerEvent * events) / cores;
}

/** Peak bytes on one node holding events / nodes of the data. */
export function peakBytes(m: MemoryModel, events: number, nodes = 1): number {
  return m.baseBytes + (m.bytesPerEvent * events) / nodes;
}
