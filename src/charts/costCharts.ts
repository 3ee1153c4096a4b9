import type { CostModel } from "../cost/buildCostModel.ts";
import { formatEvents, formatUsd } from "../cost/format.ts";
import { SEARCH_MAX_EVENTS } from "../cost/crossovers.ts";
import { isPlainHostCell } from "../cost/measuredCells.ts";
import { RANGE_LABEL } from "../cost/project.ts";
import type { Chart } from "./display.ts";
import { Plot, renderPlot, type PlotOptions } from "./renderPlot.ts";

/**
 * Cost, scaling and crossover charts for notebook 05 and the report: the model in, a Chart
 * (Observable Plot SVG through renderPlot) out. Measured points are filled circles, projected
 * points are hollow squares on dashed lines: the two never share a marker. Series are labelled
 * at their ends (renderPlot refuses legends); each function's caption says what it shows.
 */
const COLORS: Record<string, string> = {
  duckdb: "#1f5f99",
  polars: "#2e8b57",
  spark: "#c0392b",
  floor: "#7f7f7f",
  "spark cluster": "#8e44ad",
};

/** A chart and the caption a document prints under it. */
export type CaptionedChart = Extract<Chart, { kind: "svg" }> & { caption: string };

const svgChart = (caption: string, options: PlotOptions): CaptionedChart => ({
  kind: "svg",
  svg: renderPlot(options),
  caption,
});

const colorScale = (domain: string[]) => ({
  domain,
  range: domain.map((d) => COLORS[d] ?? "#444"),
});

/** The series name at the right end of each series (last point by events). */
const endLabels = (rows: { series: string; events: number }[], y: string) =>
  Plot.text(
    rows,
    Plot.selectLast({
      x: "events",
      y,
      z: "series",
      text: "series",
      fill: "series",
      dx: 8,
      textAnchor: "start",
    }),
  );

const eventsAxis = {
  type: "log" as const,
  label: "events per run",
  tickFormat: (d: number) => formatEvents(d),
};

type Projected = CostModel["projections"][number];

/** A projected point as a chart row: its value and 5-95% refit range for the metric. */
const projectedRow = (series: string, p: Projected, metric: "runtimeS" | "costUsd") => ({
  series,
  events: p.events,
  value: p[metric]!,
  lo: metric === "runtimeS" ? p.runtimeP5S : p.costP5Usd,
  hi: metric === "runtimeS" ? p.runtimeP95S : p.costP95Usd,
  fits: p.fits,
});

/** Measured Spark standalone cells are the measured side of the cluster series. */
const seriesOf = (c: { engine: string; sparkWorkers: number | null }) =>
  (c.sparkWorkers ?? 0) > 0 ? "spark cluster" : c.engine;

/** The projected configuration each series follows: the largest single box, and the fastest cluster. */
function series(model: CostModel, metric: "runtimeS" | "costUsd") {
  const largest = [...model.prices.instances]
    .filter((i) => i.role.includes("single-box"))
    .sort((a, b) => b.memory_gib - a.memory_gib)[0]!.instance_type;
  const cheapestPriced = [...model.prices.instances]
    .filter((i) => i.role.includes("single-box") && i.price_usd_per_hour !== null)
    .sort((a, b) => a.price_usd_per_hour! - b.price_usd_per_hour!)[0]?.instance_type;
  const box = metric === "costUsd" ? cheapestPriced : largest;
  const out = model.projections
    .filter(
      (p) =>
        p.configKind === "single-box" &&
        p.instanceType === box &&
        p[metric] !== null &&
        p.fits !== false,
    )
    .map((p) => projectedRow(p.engine, p, metric));
  const byEvents = new Map<number, Projected>();
  for (const p of model.projections.filter(
    (p) => p.configKind === "cluster" && p.fits !== false && p[metric] !== null,
  )) {
    const cur = byEvents.get(p.events);
    if (!cur || p[metric]! < cur[metric]!) byEvents.set(p.events, p);
  }
  for (const p of byEvents.values()) out.push(projectedRow("spark cluster", p, metric));
  return { rows: out.sort((a, b) => a.series.localeCompare(b.series) || a.events - b.events), box };
}

/**
 * The marks every measured-against-projected chart shares: projected series as hollow squares
 * on dashed lines, measured points as filled circles, each series named at its right end.
 */
function seriesMarks(
  projected: { series: string; events: number }[],
  measured: { series: string; events: number }[],
  y: string,
) {
  return [
    Plot.line(projected, { x: "events", y, z: "series", stroke: "series", strokeDasharray: "5 4" }),
    Plot.dot(projected, {
      x: "events",
      y,
      stroke: "series",
      fill: "white",
      symbol: "square",
      r: 4,
      tip: true,
    }),
    Plot.dot(measured, { x: "events", y, fill: "series", symbol: "circle", r: 5, tip: true }),
    endLabels(
      [...projected, ...measured.filter((m) => !projected.some((r) => r.series === m.series))],
      y,
    ),
  ];
}

/** The layout measured-against-projected charts share: events on a log x axis, one colour per series. */
function seriesChart(
  caption: string,
  ariaLabel: string,
  y: PlotOptions["y"],
  domain: string[],
  marks: PlotOptions["marks"],
): CaptionedChart {
  return svgChart(caption, {
    ariaLabel,
    width: 860,
    height: 420,
    marginLeft: 70,
    marginRight: 110,
    x: eventsAxis,
    y,
    color: colorScale([...new Set(domain)].sort()),
    marks,
  });
}

/** Runtime-or-cost chart: projected series (hollow squares on dashed lines, 5-95% bars) and measured dots. */
function perRunChart(
  caption: string,
  ariaLabel: string,
  yLabel: string,
  yFormat: (d: number) => string,
  rows: ReturnType<typeof series>["rows"],
  measured: { series: string; events: number; value: number }[],
): CaptionedChart {
  return seriesChart(
    caption,
    ariaLabel,
    { type: "log", label: yLabel, grid: true, tickFormat: yFormat },
    [...rows, ...measured].map((r) => r.series),
    [
      Plot.ruleX(
        rows.filter((r) => r.lo !== null && r.hi !== null),
        { x: "events", y1: "lo", y2: "hi", stroke: "series", strokeOpacity: 0.5 },
      ),
      ...seriesMarks(rows, measured, "value"),
    ],
  );
}

export function scalingChart(model: CostModel): CaptionedChart {
  const { rows, box } = series(model, "runtimeS");
  const measured = model.cells
    .filter(
      (c) =>
        c.inputFormat === "csv" &&
        c.succeeded > 0 &&
        c.wallS !== null &&
        c.variant === null &&
        (isPlainHostCell(c) || c.standalone),
    )
    .map((c) => ({ series: seriesOf(c), events: c.events, value: c.wallS! }));
  return perRunChart(
    `Runtime per run: measured (filled circles) and projected (hollow squares, dashed). Projected single boxes: ${box}; cluster: the fastest node count that fits. Bars: ${RANGE_LABEL} of the bootstrap refits.`,
    "runtime per run, measured and projected",
    "runtime (s)",
    (d) => `${d}`,
    rows,
    measured,
  );
}

export function costChart(model: CostModel): CaptionedChart {
  const { rows, box } = series(model, "costUsd");
  const measured = model.measuredCosts
    .filter((m) => m.costUsd !== null)
    .map((m) => ({ series: seriesOf(m), events: m.events, value: m.costUsd! }));
  return perRunChart(
    `Cost per run (on-demand, provisioning included): measured time priced (filled circles) and projected (hollow squares, dashed). Single box: ${box ?? "no priced box"}; cluster: the cheapest node count that fits. Unpriced instances are left out.`,
    "cost per run, measured and projected",
    "USD per run",
    (d) => formatUsd(d),
    rows,
    measured,
  );
}

export function memoryChart(model: CostModel): CaptionedChart {
  // The cells the memory fit used: unboxed, one process tree on one host.
  const measured = model.cells
    .filter(
      (c) =>
        c.inputFormat === "csv" &&
        c.succeeded > 0 &&
        c.peakRssBytes !== null &&
        c.engine !== "floor" &&
        isPlainHostCell(c),
    )
    .map((c) => ({ series: c.engine, events: c.events, gib: c.peakRssBytes! / 2 ** 30 }));
  const projected: { series: string; events: number; gib: number }[] = [];
  for (const f of model.fits)
    if (f.memory && f.engine !== "floor")
      for (const events of model.options.eventsGrid)
        projected.push({
          series: f.engine,
          events,
          gib: (f.memory.baseBytes + f.memory.bytesPerEvent * events) / 2 ** 30,
        });
  // One grey line per memory size; instances of the same size share it.
  const byGiB = new Map<number, string[]>();
  for (const i of model.prices.instances.filter((i) => i.role.includes("single-box")))
    byGiB.set(i.memory_gib, [...(byGiB.get(i.memory_gib) ?? []), i.instance_type]);
  const u = model.options.usableMemoryFraction;
  const boxes = [...byGiB].map(([gib, types]) => ({
    gib: gib * u,
    label: `${types.join(", ")}: ${u} x ${gib} GiB`,
  }));
  return seriesChart(
    "Peak memory of one box: measured (filled circles) and projected (hollow squares, dashed); grey lines: the usable memory of each single-box size in the price table.",
    "peak memory, measured and projected, against box memory",
    { type: "log", label: "peak resident memory (GiB)", grid: true },
    [...measured, ...projected].map((r) => r.series),
    [
      Plot.ruleY(boxes, { y: "gib", stroke: "#999", strokeDasharray: "2 3" }),
      Plot.text(boxes, {
        y: "gib",
        x: model.options.eventsGrid[0],
        text: "label",
        textAnchor: "start",
        dy: -6,
        fill: "#555",
      }),
      ...seriesMarks(projected, measured, "gib"),
    ],
  );
}

/**
 * Per engine: the measured box outcomes (filled circle: largest scale finished in one box;
 * cross: smallest scale not finished) and the projected crossovers (hollow squares, 5-95%
 * bars of the bootstrap refits).
 */
export function crossoverChart(model: CostModel): CaptionedChart {
  const rows: {
    label: string;
    crossover: string;
    events: number;
    lo: number | null;
    hi: number | null;
  }[] = [];
  const measured: { label: string; what: string; events: number }[] = [];
  for (const c of model.crossovers) {
    if (c.measured.largestFit)
      measured.push({
        label: `${c.engine}: measured in one box`,
        what: "finished",
        events: c.measured.largestFit.events,
      });
    if (c.measured.smallestFail)
      measured.push({
        label: `${c.engine}: measured in one box`,
        what: "not finished",
        events: c.measured.smallestFail.events,
      });
    for (const [name, x] of [
      ["no longer fits the largest box", c.fitLimit],
      ["cluster wins on time", c.clusterWinsTime],
      ["cluster wins on cost", c.clusterWinsCost],
    ] as const)
      if (x.events !== null && x.events > 0)
        rows.push({
          label: `${c.engine}: ${name} (projected)`,
          crossover: name,
          events: x.events,
          lo: x.p5,
          hi: x.p95,
        });
  }
  const labels = [...new Set([...measured, ...rows].map((r) => r.label))];
  return svgChart(
    `Measured box outcomes per engine (filled circle: the largest scale finished in one box; cross: the smallest scale not finished) and projected crossovers (hollow squares, central fit; bars: ${RANGE_LABEL} of the bootstrap refits). A crossover not found up to ${formatEvents(SEARCH_MAX_EVENTS)} events is not drawn.`,
    {
      ariaLabel: "measured box outcomes and projected crossovers with their bootstrap ranges",
      width: 860,
      height: 70 + 28 * Math.max(1, labels.length),
      marginLeft: 300,
      x: { ...eventsAxis, grid: true },
      y: { label: null, domain: labels },
      color: {
        domain: [
          "finished",
          "not finished",
          "no longer fits the largest box",
          "cluster wins on time",
          "cluster wins on cost",
        ],
        range: ["#1f5f99", "#c0392b", "#555", "#c0392b", "#8e44ad"],
      },
      marks: [
        Plot.ruleY(
          rows.filter((r) => r.lo !== null && r.hi !== null),
          {
            y: "label",
            x1: "lo",
            x2: "hi",
            stroke: "crossover",
            strokeWidth: 3,
            strokeOpacity: 0.5,
          },
        ),
        Plot.dot(rows, {
          y: "label",
          x: "events",
          stroke: "crossover",
          fill: "white",
          symbol: "square",
          r: 5,
          tip: true,
        }),
        Plot.dot(
          measured.filter((r) => r.what === "finished"),
          { y: "label", x: "events", fill: "what", symbol: "circle", r: 6, tip: true },
        ),
        Plot.dot(
          measured.filter((r) => r.what === "not finished"),
          {
            y: "label",
            x: "events",
            stroke: "what",
            symbol: "times",
            r: 6,
            strokeWidth: 2,
            tip: true,
          },
        ),
      ],
    },
  );
}
