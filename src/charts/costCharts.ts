import * as Plot from "@observablehq/plot";
import { JSDOM } from "jsdom";
import type { CostModel } from "../cost/buildCostModel.ts";
import { formatEvents } from "../cost/format.ts";

/**
 * Cost, scaling and crossover charts for notebook 05 and the report: the model in, an SVG
 * string out (Observable Plot rendered in jsdom). Measured points are filled circles,
 * projected points are hollow squares on dashed lines: the two never share a marker.
 */
const COLORS: Record<string, string> = {
  duckdb: "#1f5f99",
  polars: "#2e8b57",
  spark: "#c0392b",
  floor: "#7f7f7f",
  "spark cluster": "#8e44ad",
};

function render(options: Plot.PlotOptions): string {
  const { document } = new JSDOM("<!doctype html><html><body></body></html>").window;
  const node = Plot.plot({ ...options, document }) as unknown as { outerHTML: string };
  return node.outerHTML;
}

const colorScale = (domain: string[]) => ({
  domain,
  range: domain.map((d) => COLORS[d] ?? "#444"),
  legend: true,
});

const eventsAxis = {
  type: "log" as const,
  label: "events per run",
  tickFormat: (d: number) => formatEvents(d),
};

/** The projected configuration each series follows: the largest single box, and the fastest cluster. */
function series(model: CostModel, metric: "runtimeS" | "costUsd") {
  const largest = [...model.prices.instances]
    .filter((i) => i.role.includes("single-box"))
    .sort((a, b) => b.memory_gib - a.memory_gib)[0]!.instance_type;
  const cheapestPriced = [...model.prices.instances]
    .filter((i) => i.role.includes("single-box") && i.price_usd_per_hour !== null)
    .sort((a, b) => a.price_usd_per_hour! - b.price_usd_per_hour!)[0]?.instance_type;
  const box = metric === "costUsd" ? cheapestPriced : largest;
  const out: {
    series: string;
    events: number;
    value: number;
    lo: number | null;
    hi: number | null;
    fits: boolean | null;
  }[] = [];
  for (const p of model.projections.filter(
    (p) => p.configKind === "single-box" && p.instanceType === box,
  )) {
    const v = p[metric];
    if (v !== null && p.fits !== false)
      out.push({
        series: p.engine,
        events: p.events,
        value: v,
        lo: metric === "runtimeS" ? p.runtimeP5S : p.costP5Usd,
        hi: metric === "runtimeS" ? p.runtimeP95S : p.costP95Usd,
        fits: p.fits,
      });
  }
  const byEvents = new Map<number, (typeof model.projections)[number]>();
  for (const p of model.projections.filter(
    (p) => p.configKind === "cluster" && p.fits !== false && p[metric] !== null,
  )) {
    const cur = byEvents.get(p.events);
    if (!cur || p[metric]! < cur[metric]!) byEvents.set(p.events, p);
  }
  for (const [events, p] of byEvents)
    out.push({
      series: "spark cluster",
      events,
      value: p[metric]!,
      lo: metric === "runtimeS" ? p.runtimeP5S : p.costP5Usd,
      hi: metric === "runtimeS" ? p.runtimeP95S : p.costP95Usd,
      fits: p.fits,
    });
  return { rows: out.sort((a, b) => a.series.localeCompare(b.series) || a.events - b.events), box };
}

export function scalingChart(model: CostModel): string {
  const { rows, box } = series(model, "runtimeS");
  const measured = model.cells
    .filter((c) => c.inputFormat === "csv" && c.succeeded > 0 && c.wallS !== null && c.box === null)
    .map((c) => ({
      series: (c.sparkWorkers ?? 0) > 0 ? "spark cluster" : c.engine,
      events: c.events,
      value: c.wallS!,
    }));
  const domain = [
    ...new Set([...rows.map((r) => r.series), ...measured.map((m) => m.series)]),
  ].sort();
  return render({
    title: "Runtime per run: measured (filled circles) and projected (hollow squares, dashed)",
    subtitle: `Projected single boxes: ${box}; cluster: fastest node count that fits. Bars: 5-95% of the bootstrap refits.`,
    width: 860,
    height: 420,
    marginLeft: 60,
    x: eventsAxis,
    y: { type: "log", label: "runtime (s)", grid: true },
    color: colorScale(domain),
    marks: [
      Plot.ruleX(
        rows.filter((r) => r.lo !== null && r.hi !== null),
        { x: "events", y1: "lo", y2: "hi", stroke: "series", strokeOpacity: 0.5 },
      ),
      Plot.line(rows, {
        x: "events",
        y: "value",
        z: "series",
        stroke: "series",
        strokeDasharray: "5 4",
      }),
      Plot.dot(rows, {
        x: "events",
        y: "value",
        stroke: "series",
        fill: "white",
        symbol: "square",
        r: 4,
        tip: true,
      }),
      Plot.dot(measured, {
        x: "events",
        y: "value",
        fill: "series",
        symbol: "circle",
        r: 5,
        tip: true,
      }),
    ],
  });
}

export function costChart(model: CostModel): string {
  const { rows, box } = series(model, "costUsd");
  const measured = model.measuredCosts
    .filter((m) => m.costUsd !== null)
    .map((m) => ({
      series: (m.sparkWorkers ?? 0) > 0 ? "spark cluster" : m.engine,
      events: m.events,
      value: m.costUsd!,
    }));
  const domain = [
    ...new Set([...rows.map((r) => r.series), ...measured.map((m) => m.series)]),
  ].sort();
  return render({
    title:
      "Cost per run (on-demand, incl. provisioning): measured time priced (filled circles) and projected (hollow squares)",
    subtitle: `Single box: ${box ?? "no priced box"}; cluster: cheapest node count that fits. Unpriced instances are left out.`,
    width: 860,
    height: 420,
    marginLeft: 70,
    x: eventsAxis,
    y: { type: "log", label: "USD per run", grid: true },
    color: colorScale(domain),
    marks: [
      Plot.ruleX(
        rows.filter((r) => r.lo !== null && r.hi !== null),
        { x: "events", y1: "lo", y2: "hi", stroke: "series", strokeOpacity: 0.5 },
      ),
      Plot.line(rows, {
        x: "events",
        y: "value",
        z: "series",
        stroke: "series",
        strokeDasharray: "5 4",
      }),
      Plot.dot(rows, {
        x: "events",
        y: "value",
        stroke: "series",
        fill: "white",
        symbol: "square",
        r: 4,
        tip: true,
      }),
      Plot.dot(measured, {
        x: "events",
        y: "value",
        fill: "series",
        symbol: "circle",
        r: 5,
        tip: true,
      }),
    ],
  });
}

export function memoryChart(model: CostModel): string {
  const measured = model.cells
    .filter(
      (c) =>
        c.inputFormat === "csv" &&
        c.succeeded > 0 &&
        c.peakRssBytes !== null &&
        c.engine !== "floor",
    )
    .map((c) => ({
      series: (c.sparkWorkers ?? 0) > 0 ? "spark cluster" : c.engine,
      events: c.events,
      gib: c.peakRssBytes! / 2 ** 30,
    }));
  const projected: { series: string; events: number; gib: number }[] = [];
  for (const f of model.fits)
    if (f.memory && f.engine !== "floor")
      for (const events of model.options.eventsGrid)
        projected.push({
          series: f.engine,
          events,
          gib: (f.memory.baseBytes + f.memory.bytesPerEvent * events) / 2 ** 30,
        });
  const boxes = model.prices.instances
    .filter((i) => i.role.includes("single-box"))
    .map((i) => ({
      gib: i.memory_gib * model.options.usableMemoryFraction,
      label: `${i.instance_type}: ${model.options.usableMemoryFraction} x ${i.memory_gib} GiB`,
    }));
  const domain = [
    ...new Set([...measured.map((m) => m.series), ...projected.map((p) => p.series)]),
  ].sort();
  return render({
    title:
      "Peak memory of one box: measured (filled circles) and projected (hollow squares); grey lines: usable memory per box",
    width: 860,
    height: 420,
    marginLeft: 60,
    x: eventsAxis,
    y: { type: "log", label: "peak resident memory (GiB)", grid: true },
    color: colorScale(domain),
    marks: [
      Plot.ruleY(boxes, { y: "gib", stroke: "#999", strokeDasharray: "2 3" }),
      Plot.text(boxes, {
        y: "gib",
        x: model.options.eventsGrid[0],
        text: "label",
        textAnchor: "start",
        dy: -6,
        fill: "#555",
      }),
      Plot.line(projected, {
        x: "events",
        y: "gib",
        z: "series",
        stroke: "series",
        strokeDasharray: "5 4",
      }),
      Plot.dot(projected, {
        x: "events",
        y: "gib",
        stroke: "series",
        fill: "white",
        symbol: "square",
        r: 4,
        tip: true,
      }),
      Plot.dot(measured, {
        x: "events",
        y: "gib",
        fill: "series",
        symbol: "circle",
        r: 5,
        tip: true,
      }),
    ],
  });
}

/** The three crossovers per engine with their 5-95% bootstrap range (all projected). */
export function crossoverChart(model: CostModel): string {
  const rows: {
    engine: string;
    crossover: string;
    events: number;
    lo: number | null;
    hi: number | null;
  }[] = [];
  for (const c of model.crossovers)
    for (const [name, x] of [
      ["no longer fits the largest box", c.fitLimit],
      ["cluster wins on time", c.clusterWinsTime],
      ["cluster wins on cost", c.clusterWinsCost],
    ] as const)
      if (x.events !== null && x.events > 0)
        rows.push({ engine: c.engine, crossover: name, events: x.events, lo: x.p5, hi: x.p95 });
  return render({
    title:
      "Crossovers (projected): where a single box stops fitting, and where a Spark cluster wins",
    subtitle:
      "Squares: central fit; bars: 5-95% of the bootstrap refits. A crossover beyond 10B events is not drawn.",
    width: 860,
    height: 80 + 60 * Math.max(1, new Set(rows.map((r) => r.engine)).size),
    marginLeft: 220,
    x: { ...eventsAxis, grid: true },
    fy: { label: null },
    y: { label: null },
    color: {
      legend: true,
      domain: ["no longer fits the largest box", "cluster wins on time", "cluster wins on cost"],
      range: ["#555", "#c0392b", "#8e44ad"],
    },
    marks: [
      Plot.ruleY(
        rows.filter((r) => r.lo !== null && r.hi !== null),
        {
          y: (r: (typeof rows)[number]) => `${r.engine}: ${r.crossover}`,
          x1: "lo",
          x2: "hi",
          stroke: "crossover",
          strokeWidth: 3,
          strokeOpacity: 0.5,
        },
      ),
      Plot.dot(rows, {
        y: (r: (typeof rows)[number]) => `${r.engine}: ${r.crossover}`,
        x: "events",
        stroke: "crossover",
        fill: "white",
        symbol: "square",
        r: 5,
        tip: true,
      }),
    ],
  });
}
