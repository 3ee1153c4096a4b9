import type { Phase, PhaseTimer } from "../engines/Engine.ts";

/** One phase starting or ending, for progress lines. */
export interface PhaseEvent {
  phase: Phase;
  state: "start" | "end";
  ms?: number;
}

/** The harness's PhaseTimer plus what it recorded. */
export interface PhaseRecorder extends PhaseTimer {
  /** Wall time per phase that ended, in the order the phases ended. */
  readonly ms: Map<Phase, number>;
  /** The phase that started last (the failed one when a run throws). */
  readonly current: Phase | null;
}

/**
 * The one per-phase timer of every run: engines call time() (or started()/ended() for a phase
 * measured in another process) and never keep timings of their own.
 */
export function recordPhases(onEvent: (event: PhaseEvent) => void = () => {}): PhaseRecorder {
  const ms = new Map<Phase, number>();
  let current: Phase | null = null;
  const started = (phase: Phase): void => {
    current = phase;
    onEvent({ phase, state: "start" });
  };
  const ended = (phase: Phase, took: number): void => {
    ms.set(phase, took);
    onEvent({ phase, state: "end", ms: took });
  };
  return {
    ms,
    get current() {
      return current;
    },
    started,
    ended,
    async time<T>(phase: Phase, fn: () => Promise<T> | T): Promise<T> {
      started(phase);
      const t0 = performance.now();
      const out = await fn();
      ended(phase, performance.now() - t0);
      return out;
    },
  };
}

/** Spec §R1 (nothing is lost): every row read is an event or a reject, for every engine. */
export function checkRowBalance(
  engine: string,
  input: string,
  counts: { rowsIn: number; events: number; rejects: number },
): void {
  if (counts.rowsIn !== counts.events + counts.rejects) {
    throw new Error(
      `${engine}: ${input}: ${counts.rowsIn} rows in but ${counts.events} events + ` +
        `${counts.rejects} rejects (spec §R1: nothing is lost); this is a bug in ` +
        `the ${engine} engine, nothing was committed: please report it with the input`,
    );
  }
}
