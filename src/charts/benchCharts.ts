import type { BenchRow } from "../bench/BenchRow.ts";
import type { Chart } from "./display.ts";
import { Plot, renderPlot } from "./renderPlot.ts";

/**
 * Charts of benchmark rows (src/bench/BenchRow.ts) for notebook 04 and the cost notebook:
 * each takes rows (failed ones are drawn as such or left out, as named) and returns a Chart.
 * Repetitions of a cell are reduced to their median.
 */

export const TARGET_ORDER = ["floor", "duckdb", "polars", "spark"] as const;

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

export interface CellMedian {
  cell_id: string;
  target: string;
  events: number;
  input_format: string;
  threads: number;
  box: string;
  spark_workers: number;
  runs: number;
  wall_s: number;
  startup_s: number | null;
  peak_rss_gib: number | null;
  cpu_seconds: number | null;
}

/** One row per cell_id of successful rows: medians over repetitions, in chart-friendly units. */
export function cellMedians(rows: BenchRow[]): CellMedian[] {
  const groups = new Map<string, BenchRow[]>();
  for (const r of rows) {
    if (!r.success || r.wall_ms === null) continue;
    groups.set(r.cell_id, [...(groups.get(r.cell_id) ?? []), r]);
  }
  const med = (rs: BenchRow[], f: (r: BenchRow) => number | null) => {
    const v = rs.map(f).filter((x): x is number => x !== null);
    return v.length ? median(v) : null;
  };
  return [...groups.entries()].map(([cell_id, rs]) => ({
    cell_id,
    target: rs[0]!.target,
    events: rs[0]!.events,
    input_format: rs[0]!.input_format,
    threads: rs[0]!.threads,
    box: rs[0]!.box ?? "host",
    spark_workers: rs[0]!.spark_workers ?? 0,
    runs: rs.length,
    wall_s: med(rs, (r) => r.wall_ms)! / 1000,
    startup_s: med(rs, (r) => (r.startup_ms === null ? null : r.startup_ms / 1000)),
    peak_rss_gib: med(rs, (r) => (r.peak_rss_bytes === null ? null : r.peak_rss_bytes / 2 ** 30)),
    cpu_seconds: med(rs, (r) => r.cpu_seconds),
  }));
}

type Measure = "wall_s" | "startup_s" | "peak_rss_gib" | "cpu_seconds";
const LABEL: Record<Measure, string> = {
  wall_s: "wall time (s)",
  startup_s: "start-up (s)",
  peak_rss_gib: "peak RSS of the process tree (GiB)",
  cpu_seconds: "CPU seconds (user + system)",
};

/** One measure per target, faceted by input scale (events) and format: medians as bars. */
export function benchMeasureChart(rows: BenchRow[], measure: Measure, note = ""): Chart {
  const data = cellMedians(rows).filter((c) => c[measure] !== null && c.box === "host");
  return {
    kind: "svg",
    svg: renderPlot({
      width: 720,
      height: 120 + 30 * new Set(data.map((d) => `${d.events} ${d.input_format}`)).size * 4,
      marginLeft: 70,
      marginRight: 70,
      ariaLabel: `${LABEL[measure]} by engine${note ? ` (${note})` : ""}`,
      x: { grid: true, label: `${LABEL[measure]}${note ? ` — ${note}` : ""}` },
      y: { domain: [...TARGET_ORDER], label: null },
      fy: { label: "events, format, threads" },
      marks: [
        Plot.barX(data, {
          fy: (d: CellMedian) =>
            `${d.events.toLocaleString("en-US")} ${d.input_format} t${d.threads}`,
          y: "target",
          x: measure,
          fill: "target",
        }),
        Plot.text(data, {
          fy: (d: CellMedian) =>
            `${d.events.toLocaleString("en-US")} ${d.input_format} t${d.threads}`,
          y: "target",
          x: measure,
          text: (d: CellMedian) => (d[measure] as number).toFixed(2),
          dx: 4,
          textAnchor: "start",
        }),
      ],
    }),
  };
}

/** Wall time against input scale per target, log-log (Plotly): how each engine scales. */
export function benchScalingChart(rows: BenchRow[], note = ""): Chart {
  const cells = cellMedians(rows).filter((c) => c.box === "host" && c.spark_workers === 0);
  const series = [...new Set(cells.map((c) => `${c.target} ${c.input_format} t${c.threads}`))].sort(
    (a, b) =>
      TARGET_ORDER.indexOf(a.split(" ")[0] as never) -
        TARGET_ORDER.indexOf(b.split(" ")[0] as never) || (a < b ? -1 : 1),
  );
  const data = series
    .map((name) => {
      const pts = cells
        .filter((c) => `${c.target} ${c.input_format} t${c.threads}` === name)
        .sort((a, b) => a.events - b.events);
      return {
        type: "scatter",
        mode: "lines+markers",
        name,
        x: pts.map((p) => p.events),
        y: pts.map((p) => p.wall_s),
        text: pts.map((p) => `${p.input_format}, ${p.threads} threads, ${p.runs} run(s)`),
      };
    })
    .filter((tr) => tr.x.length > 0);
  return {
    kind: "plotly",
    figure: {
      data,
      layout: {
        title: { text: `Scaling by events${note ? ` — ${note}` : ""}` },
        height: 380,
        xaxis: { type: "log", title: { text: "input events" } },
        yaxis: { type: "log", title: { text: "wall time (s), median" } },
      },
    },
  };
}

/** Wall time against threads (DuckDB, Polars, Spark local[N]) at each scale (Plotly). */
export function benchThreadsChart(rows: BenchRow[], note = ""): Chart {
  const cells = cellMedians(rows).filter((c) => c.box === "host" && c.spark_workers === 0);
  const keys = [...new Set(cells.map((c) => `${c.target} ${c.events} ${c.input_format}`))].sort();
  return {
    kind: "plotly",
    figure: {
      data: keys.map((k) => {
        const pts = cells
          .filter((c) => `${c.target} ${c.events} ${c.input_format}` === k)
          .sort((a, b) => a.threads - b.threads);
        return {
          type: "scatter",
          mode: "lines+markers",
          name: k,
          x: pts.map((p) => p.threads),
          y: pts.map((p) => p.wall_s),
        };
      }),
      layout: {
        title: { text: `Threads${note ? ` — ${note}` : ""}` },
        height: 380,
        xaxis: { title: { text: "threads" }, dtick: 1 },
        yaxis: { title: { text: "wall time (s), median" }, rangemode: "tozero" },
      },
    },
  };
}

/** Wall time per box (cgroup limits) and per Spark worker count, as grouped bars (Plotly). */
export function benchBoxesChart(rows: BenchRow[], note = ""): Chart {
  const cells = cellMedians(rows).filter((c) => c.box !== "host" || c.spark_workers > 0);
  const setting = (c: CellMedian) =>
    c.spark_workers > 0 ? `${c.box} · ${c.spark_workers} workers` : c.box;
  const settings = [...new Set(cells.map(setting))].sort();
  return {
    kind: "plotly",
    figure: {
      data: TARGET_ORDER.map((t) => ({
        type: "bar",
        name: t,
        x: settings,
        y: settings.map(
          (s) => cells.find((c) => c.target === t && setting(c) === s)?.wall_s ?? null,
        ),
      })),
      layout: {
        title: { text: `Boxes and Spark workers${note ? ` — ${note}` : ""}` },
        barmode: "group",
        height: 380,
        yaxis: { title: { text: "wall time (s), median" } },
      },
    },
  };
}

export interface FloorRatio {
  target: string;
  events: number;
  input_format: string;
  threads: number;
  ratio: number;
}

/** Each engine's median wall time over the copy floor's on the same events, format and threads. */
export function floorRatios(rows: BenchRow[]): FloorRatio[] {
  const cells = cellMedians(rows).filter((c) => c.box === "host" && c.spark_workers === 0);
  const out: FloorRatio[] = [];
  for (const c of cells) {
    if (c.target === "floor") continue;
    const floor = cells.find(
      (f) =>
        f.target === "floor" &&
        f.events === c.events &&
        f.input_format === c.input_format &&
        f.threads === c.threads,
    );
    if (floor) {
      out.push({
        target: c.target,
        events: c.events,
        input_format: c.input_format,
        threads: c.threads,
        ratio: c.wall_s / floor.wall_s,
      });
    }
  }
  return out;
}

export function benchFloorRatioChart(rows: BenchRow[], note = ""): Chart {
  const data = floorRatios(rows);
  return {
    kind: "svg",
    svg: renderPlot({
      width: 720,
      height: 320,
      marginLeft: 60,
      ariaLabel: `Wall time as a multiple of the copy floor${note ? ` (${note})` : ""}`,
      x: { label: null, domain: TARGET_ORDER.slice(1) },
      y: { grid: true, label: `× copy floor (wall time)${note ? ` — ${note}` : ""}`, type: "log" },
      fx: { label: "events, format, threads" },
      marks: [
        Plot.barY(data, {
          fx: (d: FloorRatio) =>
            `${d.events.toLocaleString("en-US")} ${d.input_format} t${d.threads}`,
          x: "target",
          y1: 1,
          y2: "ratio",
          fill: "target",
        }),
        Plot.text(data, {
          fx: (d: FloorRatio) =>
            `${d.events.toLocaleString("en-US")} ${d.input_format} t${d.threads}`,
          x: "target",
          y: "ratio",
          text: (d: FloorRatio) => `${d.ratio.toFixed(1)}×`,
          dy: -8,
        }),
        Plot.ruleY([1]),
      ],
    }),
  };
}
