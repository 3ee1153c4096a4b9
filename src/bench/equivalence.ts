import type { BenchRow } from "./BenchRow.ts";

/** Rows on the same input file are compared: same scale and format (seed 42 throughout). */
export function inputKey(row: Pick<BenchRow, "events" | "input_format">): string {
  return `${row.events}-${row.input_format}`;
}

const comparable = (r: BenchRow) => r.success && r.fingerprints !== null;

function sameFingerprints(a: BenchRow, b: BenchRow): boolean {
  const fa = a.fingerprints!;
  const fb = b.fingerprints!;
  return fa.events === fb.events && fa.sessions === fb.sessions && fa.rejects === fb.rejects;
}

/**
 * Sets `equivalent` / `equivalent_to` of a new row against the earliest comparable row on
 * the same input (from this run or an earlier one in the same results file).
 */
export function markEquivalence(row: BenchRow, earlier: readonly BenchRow[]): void {
  if (!comparable(row)) return;
  const base = earlier.find((r) => comparable(r) && inputKey(r) === inputKey(row) && r !== row);
  if (base === undefined) return;
  row.equivalent = sameFingerprints(row, base);
  row.equivalent_to = `${base.cell_id}#${base.repetition}`;
}

export interface Mismatch {
  input: string;
  /** One entry per distinct fingerprint triple: the rows that produced it. */
  groups: { fingerprints: BenchRow["fingerprints"]; rows: string[] }[];
}

/** Every input on which the successful rows do not all agree (the end-of-run check). */
export function findMismatches(rows: readonly BenchRow[]): Mismatch[] {
  const byInput = new Map<string, Map<string, { fp: BenchRow["fingerprints"]; rows: string[] }>>();
  for (const r of rows) {
    if (!comparable(r)) continue;
    const key = inputKey(r);
    const fp = JSON.stringify(r.fingerprints);
    const groups = byInput.get(key) ?? new Map();
    byInput.set(key, groups);
    const g = groups.get(fp) ?? { fp: r.fingerprints, rows: [] };
    groups.set(fp, g);
    g.rows.push(`${r.cell_id}#${r.repetition}`);
  }
  const out: Mismatch[] = [];
  for (const [input, groups] of byInput) {
    if (groups.size > 1) {
      out.push({
        input,
        groups: [...groups.values()].map((g) => ({ fingerprints: g.fp, rows: g.rows })),
      });
    }
  }
  return out;
}
