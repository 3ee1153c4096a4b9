import type { CostModel } from "../cost/buildCostModel.ts";
import { SEARCH_MAX_EVENTS, type Crossover } from "../cost/crossovers.ts";
import { jobSeconds } from "../cost/fitScaling.ts";
import { RANGE_LABEL } from "../cost/project.ts";
import {
  formatBytes,
  formatEvents,
  formatRange,
  formatRate,
  formatRatio,
  formatSeconds,
  formatUsd,
} from "../cost/format.ts";

/** Markdown pipe tables for the deck and the report, generated from the model (never typed). */
function table(head: string[], rows: (string | number)[][]): string {
  const esc = (x: string | number) => String(x).replace(/\|/g, "\\|").replace(/\n/g, " ");
  return (
    [
      `| ${head.map(esc).join(" | ")} |`,
      `|${head.map(() => "---").join("|")}|`,
      ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
    ].join("\n") + "\n"
  );
}

const link = (url: string) => `<${url}>`;

export function measuredTable(m: CostModel, compact = false): string {
  const cells = compact
    ? m.cells.filter(
        (c) =>
          c.inputFormat === "csv" &&
          c.box === null &&
          c.engine !== "floor" &&
          c.cores === Math.max(...m.cells.map((x) => x.cores)),
      )
    : m.cells;
  return table(
    compact
      ? ["engine", "events", "cores", "workers", "wall (median)", "peak RSS", "kind"]
      : [
          "cell",
          "engine",
          "events",
          "format",
          "threads/cores",
          "box",
          "workers",
          "ok/runs",
          "wall (median)",
          "startup",
          "peak RSS",
          "CPU s",
          "load before",
          "equal output",
          "kind",
        ],
    cells.map((c) =>
      compact
        ? [
            c.engine,
            formatEvents(c.events),
            c.cores,
            c.sparkWorkers ?? "-",
            c.succeeded ? formatSeconds(c.wallS) : `failed: ${c.failures.join(", ")}`,
            formatBytes(c.peakRssBytes),
            "measured",
          ]
        : [
            c.cellId,
            c.engine,
            formatEvents(c.events),
            c.inputFormat,
            `${c.threads}/${c.cores}`,
            c.box ? `${c.box}${c.boxEnforced ? "" : " (not enforced)"}` : "-",
            c.sparkWorkers ?? "-",
            `${c.succeeded}/${c.repetitions}${c.failures.length ? ` (${c.failures.join(", ")})` : ""}`,
            formatSeconds(c.wallS),
            formatSeconds(c.startupS),
            formatBytes(c.peakRssBytes),
            c.cpuSeconds === null ? "n/a" : c.cpuSeconds.toFixed(1),
            c.loadAvgBefore.toFixed(2),
            c.equivalent === null ? "-" : c.equivalent ? "yes" : "NO",
            "measured",
          ],
    ),
  );
}

/** The figures both fit tables print, formatted once. */
function fitFigures(f: CostModel["fits"][number]) {
  return {
    perCore: f.perCoreEventsPerS ? `${formatEvents(f.perCoreEventsPerS)}/s` : "n/a",
    serial:
      f.serialFraction === null ? "not identified" : `${(100 * f.serialFraction).toFixed(1)}%`,
    perEvent: f.memory ? `${f.memory.bytesPerEvent.toFixed(0)} B` : "n/a",
    maxErr: f.timeQuality ? `${(100 * f.timeQuality.maxRelResidual).toFixed(1)}%` : "n/a",
  };
}

export function fitTable(m: CostModel, compact = false): string {
  if (compact)
    return table(
      [
        "engine",
        "cells",
        "per-core throughput",
        "serial fraction",
        "memory per event",
        "time fit R² / max rel. error",
        "kind",
      ],
      m.fits.map((f) => {
        const x = fitFigures(f);
        return [
          f.engine,
          f.inputs.cellIds.length,
          x.perCore,
          x.serial,
          x.perEvent,
          f.timeQuality ? `${f.timeQuality.r2.toFixed(3)} / ${x.maxErr}` : "n/a",
          "fitted from measured",
        ];
      }),
    );
  return table(
    [
      "engine",
      "cells",
      "events",
      "cores",
      "per-core throughput",
      "serial fraction",
      "fixed (s)",
      "startup",
      "memory per event",
      "base memory",
      "time fit R² / RMSE / max rel. error",
      "memory fit R²",
      "notes",
    ],
    m.fits.map((f) => {
      const x = fitFigures(f);
      return [
        f.engine,
        f.inputs.cellIds.length,
        f.inputs.events.map(formatEvents).join(", "),
        f.inputs.cores.join(", "),
        x.perCore,
        x.serial,
        f.time ? f.time.interceptS.toFixed(2) : "n/a",
        formatSeconds(f.startupS),
        x.perEvent,
        f.memory ? formatBytes(f.memory.baseBytes) : "n/a",
        f.timeQuality
          ? `${f.timeQuality.r2.toFixed(4)} / ${formatSeconds(f.timeQuality.rmse)} / ${x.maxErr}`
          : "n/a",
        f.memoryQuality ? f.memoryQuality.r2.toFixed(4) : "n/a",
        f.notes.join("; ") || "-",
      ];
    }),
  );
}

export function priceTable(m: CostModel, compact = false): string {
  if (compact)
    return table(
      ["instance", "vCPU", "GiB", "on-demand", "region", "price read from"],
      m.prices.instances.map((i) => [
        i.instance_type,
        i.vcpu,
        i.memory_gib,
        i.price_usd_per_hour === null ? "not found" : formatRate(i.price_usd_per_hour),
        i.region,
        i.price_source ? `[${new URL(i.price_source.url).hostname}](${i.price_source.url})` : "-",
      ]),
    );
  return table(
    [
      "instance",
      "vCPU",
      "GiB",
      "on-demand $/h",
      "region",
      "price read from",
      "page date",
      "sizes read from",
    ],
    m.prices.instances.map((i) => [
      i.instance_type,
      i.vcpu,
      i.memory_gib,
      i.price_usd_per_hour === null ? "not found: not costed" : formatRate(i.price_usd_per_hour),
      i.region,
      i.price_source ? link(i.price_source.url) : "-",
      i.price_source ? (i.price_source.page_date ?? "not shown on the page") : "-",
      link(i.spec_source.url),
    ]),
  );
}

export function notFoundList(m: CostModel): string {
  return m.prices.not_found.map((n) => `- **${n.what}**: ${n.result}`).join("\n") + "\n";
}

/** Per engine: the measured box outcomes first, then each projected crossover with its uncertainty. */
export function crossoverTable(m: CostModel): string {
  const range = (c: Crossover) => formatRange(c.p5, c.p95, formatEvents);
  const proj = (c: Crossover) =>
    c.events === null
      ? `not found up to ${formatEvents(SEARCH_MAX_EVENTS)}${c.searchedBeyondMeasured ? `, ${formatRatio(c.searchedBeyondMeasured)} the largest measured scale` : ""} (found in ${(100 * c.foundShare).toFixed(0)}% of refits)`
      : `${formatEvents(c.events)} (${RANGE_LABEL}: ${range(c)}; found in ${(100 * c.foundShare).toFixed(0)}% of refits; ${c.confidence === "established" ? "projection" : "uncertain projection"}${c.eventsBeyondMeasured != null && c.eventsBeyondMeasured > 1 ? `; ${formatRatio(c.eventsBeyondMeasured)} the largest measured scale` : ""}${c.coresBeyondMeasured != null && c.coresBeyondMeasured > 1 ? `, ${formatRatio(c.coresBeyondMeasured)} the measured cores` : ""}${c.by ? `; ${c.by}` : ""}${c.winner ? `; ${c.winner}${c.loser ? ` vs ${c.loser}` : ""}` : ""})`;
  const gib = (g: number) => `${Number.isInteger(g) ? g : g.toFixed(1)} GiB`;
  return table(
    [
      "engine",
      "largest scale finished in one box (measured)",
      "smallest scale not finished in a box (measured)",
      "in-memory limit of the largest box (projected)",
      "cluster faster (projected)",
      "cluster cheaper (projected)",
    ],
    m.crossovers.map((c) => [
      c.engine,
      c.measured.largestFit
        ? `${formatEvents(c.measured.largestFit.events)} in ${c.measured.largestFit.cores}c / ${gib(c.measured.largestFit.boxGiB)} (${c.measured.largestFit.cellId})`
        : "no box cell finished",
      c.measured.smallestFail
        ? `${formatEvents(c.measured.smallestFail.events)} in ${gib(c.measured.smallestFail.boxGiB)}: ${c.measured.smallestFail.outcome} (${c.measured.smallestFail.cellId})`
        : "none failed",
      c.fitLimit.memoryIsLimit
        ? c.fitLimit.events === null
          ? c.fitLimit.reason
          : `${c.fitLimit.box}: ${proj(c.fitLimit)}`
        : "none: finished beyond its memory fit in a box (spills / out of core)",
      proj(c.clusterWinsTime),
      proj(c.clusterWinsCost),
    ]),
  );
}

/** Every cell run in an enforced box (machine shapes, Spark worker boxes): what finished and what did not. */
export function boxOutcomeTable(m: CostModel): string {
  const gib = (b: number | null) => (b === null ? "-" : `${Math.round(b / 2 ** 30)} GiB`);
  const cells = m.cells
    .filter((c) => c.box !== null && c.inputFormat === "csv" && c.engine !== "floor")
    .sort((a, b) => a.engine.localeCompare(b.engine) || a.events - b.events);
  return table(
    ["engine", "events", "box", "path", "outcome", "wall", "peak RSS", "kind"],
    cells.map((c) => [
      c.engine,
      formatEvents(c.events),
      `${c.box}${c.standalone ? ` (${c.sparkWorkers} worker boxes)` : ""}, ${c.cores} core(s), ${gib(c.boxMemoryBytes)}${c.boxEnforced ? "" : " (not enforced)"}`,
      c.engine === "polars" ? (c.variant ?? "in memory") : (c.variant ?? "-"),
      c.succeeded > 0
        ? `finished (${c.succeeded}/${c.repetitions})`
        : `did not finish: ${c.failures.includes("oom") ? "killed by the memory box" : c.failures.includes("timeout") ? "timed out" : (c.failureErrors[0] ?? c.failures.join(", "))}`,
      c.succeeded > 0 ? formatSeconds(c.wallS) : "-",
      formatBytes(c.peakRssBytes),
      "measured",
    ]),
  );
}

/** The cells each time fit used, with the measured and fitted job time: the fit's inputs and error. */
export function fitInputsTable(m: CostModel): string {
  const rows: (string | number)[][] = [];
  for (const f of m.fits) {
    if (!f.time || f.engine === "floor") continue;
    for (const id of f.inputs.cellIds) {
      const c = m.cells.find((x) => x.cellId === id);
      if (!c || c.jobS === null) continue;
      const fitted = jobSeconds(f.time, c.events, c.cores);
      rows.push([
        f.engine,
        id,
        formatEvents(c.events),
        c.cores,
        c.box ?? "host",
        `${c.succeeded}/${c.repetitions}`,
        formatSeconds(c.jobS),
        formatSeconds(fitted),
        `${(100 * ((fitted - c.jobS) / c.jobS)).toFixed(1)}%`,
        c.loadAvgBefore.toFixed(1),
      ]);
    }
  }
  return table(
    [
      "engine",
      "cell",
      "events",
      "cores",
      "box",
      "ok/runs",
      "job time (measured median)",
      "job time (fitted)",
      "fit error",
      "load before",
    ],
    rows,
  );
}

/** The projection table's rows: the powers of ten in the model's projection grid. */
export function projectionTable(
  m: CostModel,
  events = m.options.eventsGrid.filter((n) => Number.isInteger(Math.log10(n))),
): string {
  const rows = m.projections.filter((p) => events.includes(p.events));
  return table(
    [
      "configuration",
      "events",
      `runtime (${RANGE_LABEL})`,
      "peak per node",
      "fits",
      `cost per run (${RANGE_LABEL})`,
      "kind",
    ],
    rows.map((p) => [
      p.config,
      formatEvents(p.events),
      `${formatSeconds(p.runtimeS)} (${formatRange(p.runtimeP5S, p.runtimeP95S, formatSeconds)})`,
      formatBytes(p.peakBytesPerNode),
      p.fits === null ? "unknown" : p.fits ? "yes" : "no",
      p.costUsd === null
        ? "not priced"
        : `${formatUsd(p.costUsd)} (${formatRange(p.costP5Usd, p.costP95Usd, formatUsd)})`,
      "projected",
    ]),
  );
}

export function measuredCostTable(m: CostModel): string {
  return table(
    ["cell", "engine", "events", "wall", "priced as", "cost per run", "kind"],
    m.measuredCosts.map((c) => [
      c.cellId,
      c.engine,
      formatEvents(c.events),
      formatSeconds(c.wallS),
      c.pricedAs,
      formatUsd(c.costUsd),
      "measured time, priced",
    ]),
  );
}

export function missingList(m: CostModel): string {
  return m.missing.length
    ? m.missing.map((x) => `- ${x}`).join("\n") + "\n"
    : "- none: every planned reference cell has a row\n";
}
