import type { AnswerCell, ColumnSpec, QueryAnswer } from "./NamedQuery.ts";

/** Relative tolerance for `double` columns (summation order differs between engines). */
export const DOUBLE_RELATIVE_TOLERANCE = 1e-9;

/** A decimal text as an integer count of 10^-scale units, for an exact comparison. */
function scaled(text: string, scale: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = (m[3] ?? "").padEnd(scale, "0");
  if (frac.length > scale) throw new Error(`decimal ${text} has more than ${scale} places`);
  const v = BigInt(m[2]! + frac);
  return m[1] ? -v : v;
}

function places(text: string): number {
  return text.split(".")[1]?.length ?? 0;
}

function sameCell(a: AnswerCell, b: AnswerCell, col: ColumnSpec): boolean {
  if (a === null || b === null) return a === b;
  switch (col.kind) {
    case "int":
      return BigInt(a) === BigInt(b);
    case "decimal": {
      const scale = Math.max(places(String(a)), places(String(b)));
      return scaled(String(a), scale) === scaled(String(b), scale);
    }
    case "double": {
      const x = Number(a);
      const y = Number(b);
      if (x === y) return true;
      return Math.abs(x - y) <= DOUBLE_RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
    }
    case "date":
    case "text":
      return String(a) === String(b);
  }
}

/**
 * Null when two answers to the same question agree (same columns, same rows in the same
 * order; integers and decimals exact, doubles to DOUBLE_RELATIVE_TOLERANCE), else the first
 * difference in words.
 */
export function diffAnswers(expected: QueryAnswer, actual: QueryAnswer): string | null {
  const en = expected.columns.map((c) => c.name).join(",");
  const an = actual.columns.map((c) => c.name).join(",");
  if (en !== an) return `${expected.name}: columns ${an} instead of ${en}`;
  if (expected.rows.length !== actual.rows.length) {
    return `${expected.name}: ${actual.rows.length} rows instead of ${expected.rows.length}`;
  }
  for (const [r, row] of expected.rows.entries()) {
    for (const [c, col] of expected.columns.entries()) {
      const a = row[c] ?? null;
      const b = actual.rows[r]![c] ?? null;
      if (!sameCell(a, b, col)) {
        return `${expected.name}: row ${r + 1} column ${col.name}: ${JSON.stringify(b)} instead of ${JSON.stringify(a)}`;
      }
    }
  }
  return null;
}
