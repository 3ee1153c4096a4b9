/** Number formats shared by the report text, the tables and the flowchart (one place, one style). */
export function formatEvents(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return "n/a";
  if (n >= 1e9) return `${trim(n / 1e9)}B`;
  if (n >= 1e6) return `${trim(n / 1e6)}M`;
  if (n >= 1e3) return `${trim(n / 1e3)}k`;
  return `${Math.round(n)}`;
}

function trim(x: number): string {
  return x >= 100
    ? x.toFixed(0)
    : x >= 10
      ? x.toFixed(1).replace(/\.0$/, "")
      : x.toFixed(2).replace(/\.?0+$/, "");
}

export function formatUsd(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "not priced";
  if (x < 0.01) return `$${x.toFixed(4)}`;
  if (x < 1) return `$${x.toFixed(3)}`;
  return `$${x.toFixed(2)}`;
}

export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return "n/a";
  if (s < 1) return `${(s * 1000).toFixed(0)} ms`;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function formatBytes(b: number | null): string {
  if (b === null || !Number.isFinite(b)) return "n/a";
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(1)} GiB`;
  return `${(b / 2 ** 20).toFixed(0)} MiB`;
}

export function formatRange(
  lo: number | null,
  hi: number | null,
  f: (x: number | null) => string,
): string {
  return lo === null || hi === null
    ? "range not estimated (too few refits)"
    : `${f(lo)} to ${f(hi)}`;
}

export function formatRatio(x: number | null): string {
  return x === null || !Number.isFinite(x) ? "n/a" : `${x.toFixed(x >= 10 ? 0 : 1)}x`;
}

/** An hourly rate as the price page prints it (up to 4 decimals). */
export function formatRate(x: number | null): string {
  return x === null ? "not priced" : `$${x.toFixed(4).replace(/0+$/, "").replace(/\.$/, "")}/h`;
}
