import type { BenchRow } from "../bench/BenchRow.ts";

/**
 * One engine in the interference A/B (docs/benchmarks.md): the same cells run with the
 * idle-priority dev work frozen and running; medians of the successful rows.
 */
export interface InterferenceCheck {
  engine: string;
  frozenWallS: number;
  runningWallS: number;
  /** running / frozen median wall time. */
  ratio: number;
  pairs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function interferenceCheck(frozen: BenchRow[], running: BenchRow[]): InterferenceCheck[] {
  const walls = (rows: BenchRow[], engine: string) =>
    rows
      .filter((r) => r.target === engine && r.success && r.wall_ms !== null)
      .map((r) => r.wall_ms! / 1000);
  const engines = [...new Set(frozen.map((r) => r.target))].sort();
  const out: InterferenceCheck[] = [];
  for (const engine of engines) {
    const f = walls(frozen, engine);
    const r = walls(running, engine);
    if (f.length === 0 || r.length === 0) continue;
    out.push({
      engine,
      frozenWallS: median(f),
      runningWallS: median(r),
      ratio: median(r) / median(f),
      pairs: Math.min(f.length, r.length),
    });
  }
  return out;
}
