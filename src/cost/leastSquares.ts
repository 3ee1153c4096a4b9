/** Ordinary least squares y ~ X b, with standard errors and fit quality. */
export interface OlsFit {
  coef: number[];
  stdErr: number[];
  r2: number;
  /** Root mean square of the residuals, in y's unit. */
  rmse: number;
  /** Largest |residual| / y over the points (y > 0). */
  maxRelResidual: number;
  n: number;
}

/** Solves the normal equations by Gauss-Jordan with partial pivoting; null when singular. */
function invert(a: number[][]): number[][] | null {
  const k = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    const scale = Math.max(...a.map((row) => Math.abs(row[c]!)), 1e-300);
    if (Math.abs(m[p]![c]!) < 1e-10 * scale) return null;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const piv = m[c]![c]!;
    for (let j = 0; j < 2 * k; j++) m[c]![j]! /= piv;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      if (f !== 0) for (let j = 0; j < 2 * k; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return m.map((row) => row.slice(k));
}

export function ols(x: number[][], y: number[]): OlsFit | null {
  const n = y.length;
  const k = x[0]?.length ?? 0;
  if (n < k || k === 0) return null;
  const xtx = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => x.reduce((s, row) => s + row[i]! * row[j]!, 0)),
  );
  const inv = invert(xtx);
  if (!inv) return null;
  const xty = Array.from({ length: k }, (_, i) => x.reduce((s, row, r) => s + row[i]! * y[r]!, 0));
  const coef = inv.map((row) => row.reduce((s, v, j) => s + v * xty[j]!, 0));
  const fitted = x.map((row) => row.reduce((s, v, j) => s + v * coef[j]!, 0));
  const resid = y.map((v, i) => v - fitted[i]!);
  const sse = resid.reduce((s, r) => s + r * r, 0);
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const sst = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  const dof = n - k;
  const sigma2 = dof > 0 ? sse / dof : NaN;
  return {
    coef,
    stdErr: inv.map((row, i) => Math.sqrt(Math.max(0, sigma2 * row[i]!))),
    r2: sst > 0 ? 1 - sse / sst : 1,
    rmse: Math.sqrt(sse / n),
    maxRelResidual: Math.max(0, ...resid.map((r, i) => (y[i]! > 0 ? Math.abs(r) / y[i]! : 0))),
    n,
  };
}
