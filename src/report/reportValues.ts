import type { CostModel } from "../cost/buildCostModel.ts";
import type { Crossover } from "../cost/crossovers.ts";
import { RANGE_P } from "../cost/project.ts";
import {
  formatBytes,
  formatEvents,
  formatRange,
  formatRatio,
  formatRate,
  formatSeconds,
} from "../cost/format.ts";

/**
 * Every number the deck and the report print, as text computed from the model: the .qmd
 * sources read them with Quarto's `{{< var key >}}`, never typing a figure.
 */
export function reportValues(model: CostModel): Record<string, string> {
  const v: Record<string, string> = {};
  const cells = model.cells;
  const ok = cells.filter((c) => c.succeeded > 0);
  v.source_label = model.source.label;
  v.source_kind = model.source.isFixture
    ? "TEST FIXTURE: synthetic rows, not measurements"
    : "measured reference results";
  v.rows = String(model.source.rows);
  v.cells = String(cells.length);
  v.cells_ok = String(ok.length);
  v.cells_failed = String(cells.filter((c) => c.failures.length > 0).length);
  v.cells_oom = String(cells.filter((c) => c.failures.includes("oom")).length);
  v.engines_measured = [...new Set(ok.map((c) => c.engine))].join(", ") || "none";
  v.events_measured =
    [...new Set(ok.map((c) => c.events))]
      .sort((a, b) => a - b)
      .map(formatEvents)
      .join(", ") || "none";
  const k = model.conditions;
  v.host = k.hosts.join("; ") || "n/a";
  v.host_cores = String(k.logicalCores);
  v.load_range = `${k.loadMin.toFixed(2)} to ${k.loadMax.toFixed(2)}`;
  v.load_median = k.loadMedian.toFixed(2);
  v.load_above_cores = `${k.rowsLoadAboveCores} of ${model.source.rows}`;
  v.runs = String(k.runs);
  v.code_versions = `${k.codeVersions.length} (${k.codeVersions.join(", ")})`;
  v.superseded_rows = String(k.supersededRows);
  v.bootstrap_refits = String(Math.max(0, ...model.fits.map((f) => f.samples.length)));
  v.range_pct = `${100 * RANGE_P[0]}th to ${100 * RANGE_P[1]}th percentile`;
  v.largest_measured =
    k.largestMeasuredEvents === null
      ? "nothing measured"
      : `${formatEvents(k.largestMeasuredEvents)} events, ${k.largestMeasuredCores} core(s)`;
  v.largest_projected = `${formatEvents(Math.max(...model.options.eventsGrid))} events, ${k.largestProjectedCores} vCPU`;
  v.threat_load = `The ${model.source.rows} rows were measured on a shared ${k.logicalCores}-core host (${v.host}); the 1-minute load average before a row had a median of ${v.load_median} (range ${v.load_range}), and ${v.load_above_cores} rows started with more runnable work than cores. Load above the core count means other processes competed for the cores during the cell (on a shared machine, for example development work run at idle priority beside the benchmark): absolute times are upper bounds, and ratios between engines of the same run are the steadier figure.`;
  const ab = model.interference ?? [];
  v.threat_interference = ab.length
    ? `An A/B check ran the same cells with the idle-priority dev work frozen and running (results/reference/interference/, medians): ${ab
        .map(
          (x) =>
            `${x.engine} ${formatSeconds(x.frozenWallS)} frozen against ${formatSeconds(x.runningWallS)} running (x${x.ratio.toFixed(2)}, ${x.pairs} pair(s))`,
        )
        .join("; ")}.`
    : "No A/B check of the benchmark against the dev work beside it (frozen against running) is in these results.";
  v.threat_cluster =
    k.standaloneCells > 0
      ? `${k.standaloneCells} standalone Spark cell(s) were measured, their workers on the same ${k.logicalCores}-core host as the driver: they add processes, not machines, and no network shuffle between nodes is measured.`
      : `No standalone Spark cell is in these rows yet: the cluster projections rest on the local-mode Spark fit alone, and no network shuffle between nodes is measured.`;
  v.threat_extrapolation = `Largest measured cell: ${v.largest_measured}; the projections reach ${v.largest_projected}, taking one vCPU as one core of this host.`;
  v.threat_rows = `Rows from ${v.runs} matrix run(s) and ${v.code_versions} code version(s); ${v.superseded_rows} rows of an older version of a re-measured cell left out; ${k.variantCells} Spark variant cell(s) (for example cache-stages) shown but kept out of the fits; ${k.boxedCellsNotEnforced} boxed cell(s) whose box was not enforced.`;
  const compared = ok.filter((c) => c.equivalent !== null);
  v.equiv_compared = String(compared.length);
  v.equiv_equal = String(compared.filter((c) => c.equivalent).length);
  v.equiv_mismatch = String(compared.filter((c) => c.equivalent === false).length);
  v.best_engine = model.bestEngine ?? "none";
  v.missing_count = String(model.missing.length);
  v.projected_points = String(model.projections.length);
  v.measured_priced = String(model.measuredCosts.filter((m) => m.costUsd !== null).length);

  const best = model.sparkRatios
    .filter((r) => r.engine === model.bestEngine)
    .sort((a, b) => b.events - a.events || b.cores - a.cores);
  v.spark_ratio_sentence = best.length
    ? best
        .filter((r, i, all) => all.findIndex((x) => x.events === r.events) === i)
        .map(
          (r) =>
            `${formatRatio(r.ratio)} at ${formatEvents(r.events)} events (${r.cores} core${r.cores > 1 ? "s" : ""})`,
        )
        .join(", ")
    : "no Spark cell at the same scale and cores as the best engine";

  const fit = (e: string) => model.fits.find((f) => f.engine === e);
  for (const e of ["floor", "duckdb", "polars", "spark"]) {
    for (const k of ["percore", "serial", "bpe", "startup"]) v[`fit_${e}_${k}`] = "n/a (no cells)";
    for (const k of [
      "fit",
      "fit_range",
      "fit_box",
      "time",
      "time_range",
      "time_by",
      "cost",
      "cost_range",
      "cost_by",
    ])
      v[`cross_${e}_${k}`] = "n/a (no fit)";
  }
  for (const f of model.fits) {
    v[`fit_${f.engine}_percore`] = f.perCoreEventsPerS
      ? `${formatEvents(f.perCoreEventsPerS)} events/s`
      : "n/a";
    v[`fit_${f.engine}_serial`] =
      f.serialFraction === null ? "not identified" : `${(100 * f.serialFraction).toFixed(0)}%`;
    v[`fit_${f.engine}_bpe`] = f.memory
      ? `${f.memory.bytesPerEvent.toFixed(0)} B/event`
      : "not identified";
    v[`fit_${f.engine}_startup`] = formatSeconds(f.startupS);
  }
  const b = model.bestEngine ? fit(model.bestEngine) : undefined;
  v.best_percore = b?.perCoreEventsPerS ? `${formatEvents(b.perCoreEventsPerS)} events/s` : "n/a";
  v.best_serial =
    b?.serialFraction != null ? `${(100 * b.serialFraction).toFixed(0)}%` : "not identified";
  v.best_bpe = b?.memory ? `${b.memory.bytesPerEvent.toFixed(0)} B/event` : "not identified";

  const xs = (c: Crossover) => formatEvents(c.events);
  const xr = (c: Crossover) => formatRange(c.p5, c.p95, formatEvents);
  for (const c of model.crossovers) {
    v[`cross_${c.engine}_fit`] = xs(c.fitLimit);
    v[`cross_${c.engine}_fit_range`] = xr(c.fitLimit);
    v[`cross_${c.engine}_fit_box`] = `${c.fitLimit.box} (${c.fitLimit.boxGiB} GiB)`;
    v[`cross_${c.engine}_time`] =
      c.clusterWinsTime.events === null ? "not below 10B events" : xs(c.clusterWinsTime);
    v[`cross_${c.engine}_time_range`] = xr(c.clusterWinsTime);
    v[`cross_${c.engine}_time_by`] = c.clusterWinsTime.by ?? "n/a";
    v[`cross_${c.engine}_cost`] =
      c.clusterWinsCost.events === null ? "not below 10B events" : xs(c.clusterWinsCost);
    v[`cross_${c.engine}_cost_range`] = xr(c.clusterWinsCost);
    v[`cross_${c.engine}_cost_by`] = c.clusterWinsCost.by ?? "n/a";
  }
  const bx = model.crossovers.find((c) => c.engine === model.bestEngine);

  v.unpriced_instances =
    model.prices.instances
      .filter((i) => i.price_usd_per_hour === null)
      .map((i) => i.instance_type)
      .join(", ") || "none";
  v.not_found = model.prices.not_found.map((n) => n.what).join("; ");
  v.not_found_short = model.prices.not_found.map((n) => n.what.split(/[:(]/)[0]!.trim()).join("; ");
  v.provisioning_box = formatSeconds(model.options.provisioningBoxS);
  v.provisioning_cluster = formatSeconds(model.options.provisioningClusterS);
  v.provisioning_kind = `${model.prices.provisioning.single_box_seconds.kind} / ${model.prices.provisioning.cluster_seconds.kind}`;
  v.usable_memory = `${Math.round(100 * model.options.usableMemoryFraction)}%`;
  v.cluster_nodes = model.options.clusterNodes.join(", ");
  v.cluster_node_type = model.options.clusterNodeType;
  v.emr = model.options.emr ? "included" : "not included (no sourced m7i EMR fee)";
  v.billing_min = `${model.prices.billing.minimum_seconds} s`;

  const priced = model.prices.instances.filter((i) => i.price_usd_per_hour !== null);
  v.priced_instances =
    priced
      .map((i) => `${i.instance_type} ${formatRate(i.price_usd_per_hour)} (${i.region})`)
      .join(", ") || "none";
  const families = [...new Set(priced.map((i) => i.family))];
  v.priced_instances_short = priced.length
    ? `${priced.length} instance types priced (${families.join(", ")}; ${[...new Set(priced.map((i) => i.region))].join(", ")})`
    : "none priced";
  v.recommendation = bx
    ? [
        bx.fitLimit.events === null
          ? `Run the pipeline on a single box with ${bx.engine}. How far one box holds a run is unknown: memory per event could not be fitted from these results (it needs successful cells at two scales), so the crossovers below assume every box fits.`
          : `Run the pipeline on a single box with ${bx.engine} up to ${xs(bx.fitLimit)} events per run on ${bx.fitLimit.box} (projected, ${xr(bx.fitLimit)}).`,
        bx.clusterWinsTime.events === null
          ? "No Spark cluster in the model is faster within 10B events per run."
          : `A Spark cluster is faster from ${xs(bx.clusterWinsTime)} events per run (${xr(bx.clusterWinsTime)}; ${bx.clusterWinsTime.by}).`,
        bx.clusterWinsCost.events === null
          ? "No priced Spark cluster is cheaper within 10B events per run."
          : bx.clusterWinsCost.by === "single box no longer fits"
            ? `Among priced configurations a Spark cluster is cheaper from ${xs(bx.clusterWinsCost)} events per run (${xr(bx.clusterWinsCost)}), where no priced single box (the largest: ${bx.fitLimit.box}, ${bx.fitLimit.boxGiB} GiB) holds the run any more.`
            : `A Spark cluster is cheaper from ${xs(bx.clusterWinsCost)} events per run (${xr(bx.clusterWinsCost)}).`,
        "Below these scales, choose Spark only for the non-speed reasons on the flowchart.",
        ...(() => {
          const flat = model.fits.filter(
            (f) => ["spark", bx.engine].includes(f.engine) && f.serialFraction === null,
          );
          const sparkMem = model.fits.find((f) => f.engine === "spark");
          const noMem =
            sparkMem && !sparkMem.memory
              ? [
                  "Spark's memory per event is not identified from these cells, so every cluster is taken to hold the run.",
                ]
              : [];
          return flat.length
            ? [
                ...noMem,
                `Caveat: the cells of ${flat.map((f) => f.engine).join(" and ")} did not vary the cores (${[...new Set(flat.flatMap((f) => f.inputs.cores))].join(", ")}), so no speed-up from more cores or nodes is credited; the time crossover needs the 1-thread, box and standalone cells.`,
              ]
            : noMem;
        })(),
        `These figures rest on ${model.source.rows} rows measured on a shared ${k.logicalCores}-core host (load median ${v.load_median}, up to ${k.loadMax.toFixed(2)}), with ${model.missing.length} reference cell(s) not yet measured; ranges are the ${v.range_pct} of ${v.bootstrap_refits} refits.`,
      ].join(" ")
    : "No recommendation: no single-box engine could be fitted from these results.";
  v.changed = bx
    ? `The heuristic says: go distributed once one box no longer holds the run. With these results, ${bx.engine}'s memory limit on the largest box is ${bx.fitLimit.events === null ? "not identified" : `${xs(bx.fitLimit)} events`}; the cluster is ${bx.clusterWinsTime.events === null ? "never faster below 10B events" : `faster only from ${xs(bx.clusterWinsTime)}`} and ${bx.clusterWinsCost.events === null ? "never cheaper among priced configurations" : `cheaper only from ${xs(bx.clusterWinsCost)}`}; Spark's measured wall time was ${v.spark_ratio_sentence} that of ${bx.engine}.`
    : "n/a";
  v.peak_best_measured = (() => {
    const c = ok
      .filter((x) => x.engine === model.bestEngine && x.peakRssBytes !== null)
      .sort((a, b) => b.events - a.events)[0];
    return c ? `${formatBytes(c.peakRssBytes)} at ${formatEvents(c.events)} events` : "n/a";
  })();
  return v;
}
