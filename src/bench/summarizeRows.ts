import type { BenchRow } from "./BenchRow.ts";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Per cell over its repetitions: wall median/min/max, peak RSS and CPU medians, failures. */
export interface CellStats {
  cell_id: string;
  runs: number;
  ok: number;
  wall_median_ms: number | null;
  wall_min_ms: number | null;
  wall_max_ms: number | null;
  rss_median_bytes: number | null;
  cpu_median_s: number | null;
  startup_median_ms: number | null;
  equivalent: "yes" | "NO" | "-";
  failures: string[];
}

export function cellStats(rows: readonly BenchRow[], order: readonly string[]): CellStats[] {
  const ids = [...new Set(order)];
  return ids
    .map((id) => {
      const rs = rows.filter((r) => r.cell_id === id);
      const ok = rs.filter((r) => r.success);
      const walls = ok.map((r) => r.wall_ms!);
      const pick = (f: (r: BenchRow) => number | null) => {
        const v = ok.map(f).filter((x): x is number => x !== null);
        return v.length ? median(v) : null;
      };
      return {
        cell_id: id,
        runs: rs.length,
        ok: ok.length,
        wall_median_ms: walls.length ? median(walls) : null,
        wall_min_ms: walls.length ? Math.min(...walls) : null,
        wall_max_ms: walls.length ? Math.max(...walls) : null,
        rss_median_bytes: pick((r) => r.peak_rss_bytes),
        cpu_median_s: pick((r) => r.cpu_seconds),
        startup_median_ms: pick((r) => r.startup_ms),
        equivalent: ok.some((r) => r.equivalent === false)
          ? "NO"
          : ok.some((r) => r.equivalent === true)
            ? "yes"
            : "-",
        failures: rs.filter((r) => !r.success).map((r) => `${r.failure_reason}`),
      } satisfies CellStats;
    })
    .filter((s) => s.runs > 0);
}

export function formatSummary(rows: readonly BenchRow[], order: readonly string[]): string {
  const stats = cellStats(rows, order);
  const s = (ms: number | null) => (ms === null ? "-" : (ms / 1000).toFixed(2));
  const header = [
    "cell".padEnd(44),
    "ok/n".padStart(5),
    "wall med s".padStart(10),
    "min".padStart(7),
    "max".padStart(7),
    "RSS MB".padStart(7),
    "CPU s".padStart(7),
    "start s".padStart(7),
    " equiv",
  ].join(" ");
  const lines = stats.map((c) =>
    [
      c.cell_id.padEnd(44),
      `${c.ok}/${c.runs}`.padStart(5),
      s(c.wall_median_ms).padStart(10),
      s(c.wall_min_ms).padStart(7),
      s(c.wall_max_ms).padStart(7),
      (c.rss_median_bytes === null
        ? "-"
        : String(Math.round(c.rss_median_bytes / 2 ** 20))
      ).padStart(7),
      (c.cpu_median_s === null ? "-" : c.cpu_median_s.toFixed(1)).padStart(7),
      s(c.startup_median_ms).padStart(7),
      ` ${c.equivalent}${c.failures.length ? `  failed: ${c.failures.join(",")}` : ""}`,
    ].join(" "),
  );
  return [header, ...lines].join("\n");
}

/**
 * The ratios the project's decision rests on, per input (scale + format) on the bare host
 * with threads = all cores: medians of successful rows only, from rows of one results file.
 * Wall ratios and CPU-second ratios (steadier on a shared machine).
 */
export function formatRatios(rows: readonly BenchRow[]): string {
  const bare = rows.filter(
    (r) =>
      r.success &&
      r.box === null &&
      (r.spark_master === null || r.spark_master.startsWith("local")) &&
      (r.spark_mode ?? "fair") === "fair" &&
      Object.keys(r.spark_settings ?? {}).length === 0 &&
      r.threads === r.host.logical_cores,
  );
  const inputs = [...new Set(bare.map((r) => `${r.events}|${r.input_format}`))].sort(
    (a, b) => Number(a.split("|")[0]) - Number(b.split("|")[0]),
  );
  const med = (target: string, key: string, f: (r: BenchRow) => number | null) => {
    const v = bare
      .filter((r) => r.target === target && `${r.events}|${r.input_format}` === key)
      .map(f)
      .filter((x): x is number => x !== null);
    return v.length ? median(v) : null;
  };
  const ratio = (a: number | null, b: number | null) =>
    a === null || b === null || b === 0 ? "-" : (a / b).toFixed(2);
  const out = [
    "input            n(f/d/p/s)  Spark/DuckDB wall (CPU)  Polars/DuckDB wall (CPU)  DuckDB/floor wall (CPU)",
  ];
  for (const key of inputs) {
    const [ev, fmt] = key.split("|");
    const n = ["floor", "duckdb", "polars", "spark"]
      .map(
        (t) => bare.filter((r) => r.target === t && `${r.events}|${r.input_format}` === key).length,
      )
      .join("/");
    const w = (t: string) => med(t, key, (r) => r.wall_ms);
    const c = (t: string) => med(t, key, (r) => r.cpu_seconds);
    out.push(
      [
        `${ev} ${fmt}`.padEnd(16),
        n.padStart(11),
        `${ratio(w("spark"), w("duckdb"))} (${ratio(c("spark"), c("duckdb"))})`.padStart(24),
        `${ratio(w("polars"), w("duckdb"))} (${ratio(c("polars"), c("duckdb"))})`.padStart(25),
        `${ratio(w("duckdb"), w("floor"))} (${ratio(c("duckdb"), c("floor"))})`.padStart(24),
      ].join(" "),
    );
  }
  return out.join("\n");
}
