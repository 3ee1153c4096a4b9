import type { CostModel } from "../cost/buildCostModel.ts";
import {
  ESTABLISHED,
  SEARCH_MAX_EVENTS,
  type Crossover,
  type EngineCrossovers,
} from "../cost/crossovers.ts";
import { RANGE_LABEL, RANGE_P } from "../cost/project.ts";
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
  v.range_label = RANGE_LABEL;
  v.search_max = `${formatEvents(SEARCH_MAX_EVENTS)} events`;
  v.established_share = `${100 * ESTABLISHED.foundShare}%`;
  v.established_range = formatRatio(ESTABLISHED.rangeRatio);
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
    v[`cross_${c.engine}_fit`] = c.fitLimit.memoryIsLimit ? xs(c.fitLimit) : "no limit (spills)";
    v[`cross_${c.engine}_fit_range`] = xr(c.fitLimit);
    v[`cross_${c.engine}_fit_box`] = `${c.fitLimit.box} (${c.fitLimit.boxGiB} GiB)`;
    v[`cross_${c.engine}_measured`] = measuredBoxSentence(c);
    v[`cross_${c.engine}_time`] =
      c.clusterWinsTime.events === null ? `not below ${v.search_max}` : xs(c.clusterWinsTime);
    v[`cross_${c.engine}_time_range`] = xr(c.clusterWinsTime);
    v[`cross_${c.engine}_time_by`] = c.clusterWinsTime.by ?? "n/a";
    v[`cross_${c.engine}_cost`] =
      c.clusterWinsCost.events === null ? `not below ${v.search_max}` : xs(c.clusterWinsCost);
    v[`cross_${c.engine}_cost_range`] = xr(c.clusterWinsCost);
    v[`cross_${c.engine}_cost_by`] = c.clusterWinsCost.by ?? "n/a";
  }
  const sparkFit = fit("spark");
  v.cluster_overhead = sparkFit?.cluster
    ? `measured: a standalone cluster took ${sparkFit.cluster.pairs
        .map(
          (p) =>
            `${formatRatio(p.ratio)} the job time of local mode with ${p.cores} core(s) at ${formatEvents(p.events)} events (${p.workers} worker(s), ${formatSeconds(p.standaloneJobS)} against ${formatSeconds(p.localJobS)})`,
        )
        .join(
          "; ",
        )}; cluster projections multiply the local-mode fit by the median, ${formatRatio(sparkFit.cluster.factor)}, and the bootstrap draws one pair per refit. The workers shared one host: no network between nodes was measured`
    : "not measured (no standalone cell has a local-mode cell of the same events and cores): the cluster is projected as efficient as local mode, which favours the cluster";
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
  v.emr = !model.options.emr
    ? "not included: no public page found states the m7i EMR fee (set COST_EMR=1 and COST_EMR_FEE_USD_PER_H to add it as a user input)"
    : model.options.emrFeeInput !== null
      ? `included as a user input of ${formatRate(model.options.emrFeeInput)} per instance (COST_EMR_FEE_USD_PER_H, not a sourced price)`
      : "asked for (COST_EMR=1) but no fee is sourced or given: clusters are not priced";
  const prov = model.prices.provisioning;
  const provText = (p: typeof prov.single_box_seconds, s: number) =>
    `${formatSeconds(s)} (${s === p.value ? p.kind : "user setting"}${p.source && s === p.value ? `, ${p.source.url}, read ${p.source.read_on ?? "n/a"}` : ""})`;
  const basis = (p: typeof prov.single_box_seconds, s: number) =>
    s !== p.value ? "user setting" : p.basis ? `${p.kind}: ${p.basis}` : p.kind;
  v.provisioning_box_basis = basis(prov.single_box_seconds, model.options.provisioningBoxS);
  v.provisioning_cluster_basis = basis(prov.cluster_seconds, model.options.provisioningClusterS);
  v.provisioning_box_sourced = provText(prov.single_box_seconds, model.options.provisioningBoxS);
  v.provisioning_cluster_sourced = provText(
    prov.cluster_seconds,
    model.options.provisioningClusterS,
  );
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
  v.recommendation = recommendation(model, v, bx);
  v.recommendation_short = shortRecommendation(model, v, bx);
  v.changed = bx
    ? `The heuristic says: go distributed once one box no longer holds the run. Measured: ${measuredBoxSentence(bx)} Projected: ${crossSentence(bx.fitLimit, `the in-memory limit of ${bx.fitLimit.box}`, bx.fitLimit.memoryIsLimit ? null : "none: the engine spills, so memory per event does not bound one box")}; ${crossSentence(bx.clusterWinsTime, "a Spark cluster faster")}; ${crossSentence(bx.clusterWinsCost, "a Spark cluster cheaper")}. Spark's measured wall time was ${v.spark_ratio_sentence} that of ${bx.engine}.`
    : "n/a";
  v.peak_best_measured = (() => {
    const c = ok
      .filter((x) => x.engine === model.bestEngine && x.peakRssBytes !== null)
      .sort((a, b) => b.events - a.events)[0];
    return c ? `${formatBytes(c.peakRssBytes)} at ${formatEvents(c.events)} events` : "n/a";
  })();
  return v;
}

const gibText = (g: number) => `${Number.isInteger(g) ? g : g.toFixed(1)} GiB`;

/** What the measured box cells say, with no fit: the largest scale finished in a box, the smallest not. */
export function measuredBoxSentence(c: EngineCrossovers): string {
  const m = c.measured;
  const fit = m.largestFit
    ? `${c.engine} finished ${formatEvents(m.largestFit.events)} events in a ${m.largestFit.cores}-core / ${gibText(m.largestFit.boxGiB)} box (${m.largestFit.cellId}, ${formatSeconds(m.largestFit.wallS)})`
    : `${c.engine} has no successful cell in an enforced box`;
  const fail = m.smallestFail
    ? `; the smallest scale it did not finish in a box: ${formatEvents(m.smallestFail.events)} in ${gibText(m.smallestFail.boxGiB)} (${m.smallestFail.cellId}, ${m.smallestFail.outcome})`
    : "; no box cell of it failed";
  return `${fit}${fail}.`;
}

/**
 * One projected crossover as a sentence that is only as strong as the refits: the central
 * value, the RANGE_LABEL range, the share of refits that found it, how far it extrapolates, and the
 * configurations it compares.
 */
export function crossSentence(c: Crossover, what: string, instead: string | null = null): string {
  if (instead !== null) return `${what}: ${instead}`;
  if (c.events === null)
    return `${what}: not found up to ${formatEvents(SEARCH_MAX_EVENTS)} events (projection, searched up to ${formatRatio(c.searchedBeyondMeasured ?? null)} the largest measured scale; found in ${(100 * c.foundShare).toFixed(0)}% of the refits)`;
  const range =
    c.p5 !== null && c.p95 !== null
      ? `${formatEvents(c.p5)} to ${formatEvents(c.p95)}`
      : "range not estimated";
  const far = [
    c.eventsBeyondMeasured != null && c.eventsBeyondMeasured > 1
      ? `${formatRatio(c.eventsBeyondMeasured)} the largest measured scale`
      : null,
    c.coresBeyondMeasured != null && c.coresBeyondMeasured > 1
      ? `${formatRatio(c.coresBeyondMeasured)} the measured cores`
      : null,
  ].filter((x) => x !== null);
  const label = c.confidence === "established" ? "projection" : "uncertain projection";
  const cmp = c.winner ? `; ${c.winner}${c.loser ? ` against ${c.loser}` : ""}` : "";
  return `${what} from ${formatEvents(c.events)} events (${label}: ${RANGE_LABEL} ${range}, found in ${(100 * c.foundShare).toFixed(0)}% of the refits${far.length ? `, extrapolated to ${far.join(" and ")}` : ""}${c.by ? `, ${c.by}` : ""}${cmp})`;
}

function recommendation(
  model: CostModel,
  v: Record<string, string>,
  bx: EngineCrossovers | undefined,
): string {
  if (!bx) return "No recommendation: no single-box engine could be fitted from these results.";
  const k = model.conditions;
  const fits = model.fits.filter((f) => ["spark", bx.engine].includes(f.engine));
  const flat = fits.filter((f) => f.serialFraction === null);
  const m = bx.measured;
  const upTo = m.largestFit
    ? `at least up to ${formatEvents(m.largestFit.events)} events per run, the largest scale it was measured to finish in one box (${m.largestFit.cores}-core / ${gibText(m.largestFit.boxGiB)} box)`
    : m.largestMeasuredEvents
      ? `at least up to ${formatEvents(m.largestMeasuredEvents)} events per run, the largest scale it was measured at`
      : "";
  return [
    `Run the pipeline on a single box with ${bx.engine} ${upTo}: measured, Spark took ${v.spark_ratio_sentence} its wall time at the same scale and cores.`,
    `Beyond the measured scales the figures are projections from fits on at most ${k.largestMeasuredCores ?? "?"} core(s) and ${formatEvents(k.largestMeasuredEvents)} events:`,
    `${crossSentence(bx.fitLimit, `one box (${bx.fitLimit.box}) stops holding the run in memory`, bx.fitLimit.memoryIsLimit ? null : "no limit projected, the engine finished beyond its memory fit in a box (it spills or goes out of core)")};`,
    `${crossSentence(bx.clusterWinsTime, "a Spark cluster is faster")};`,
    `${crossSentence(bx.clusterWinsCost, "a Spark cluster is cheaper")}.`,
    "Below these scales, choose Spark only for the non-speed reasons on the flowchart.",
    ...fits
      .filter((f) => f.serialFraction !== null)
      .map(
        (f) =>
          `The speed-up of ${f.engine} from more cores comes from cells at ${f.inputs.cores.join(" and ")} core(s) (serial fraction ${(100 * f.serialFraction!).toFixed(0)}%); projections run it on up to ${Math.max(...model.prices.instances.filter((i) => i.role.includes("single-box")).map((i) => i.vcpu))} vCPU with that fraction, an extrapolation the cells do not test.`,
      ),
    ...(flat.length
      ? [
          `Caveat: the cells of ${flat.map((f) => f.engine).join(" and ")} did not vary the cores (${[...new Set(flat.flatMap((f) => f.inputs.cores))].join(", ")}), so no speed-up from more cores or nodes is credited to ${flat.length > 1 ? "them" : "it"}.`,
        ]
      : []),
    `Cluster overhead: ${v.cluster_overhead}.`,
    `These figures rest on ${model.source.rows} rows measured on a shared ${k.logicalCores}-core host (load median ${v.load_median}, up to ${k.loadMax.toFixed(2)}), with ${model.missing.length} reference cell(s) not yet measured; ranges are the ${v.range_pct} of ${v.bootstrap_refits} refits, which carry the spread between cells and repetitions but not the error of extrapolating the form of the model.`,
  ].join(" ");
}

/** The deck's version: the measured basis, each projection with its range, and where the caveats are. */
function shortRecommendation(
  model: CostModel,
  v: Record<string, string>,
  bx: EngineCrossovers | undefined,
): string {
  if (!bx) return "No recommendation: no single-box engine could be fitted from these results.";
  const k = model.conditions;
  const m = bx.measured;
  const short = (c: Crossover) =>
    c.events === null
      ? `at no scale up to ${formatEvents(SEARCH_MAX_EVENTS)} events`
      : `from ${formatEvents(c.events)} (${RANGE_LABEL}: ${formatRange(c.p5, c.p95, formatEvents)}${c.confidence === "established" ? "" : ", uncertain"})`;
  return [
    `Single box with ${bx.engine}, measured to finish ${m.largestFit ? `${formatEvents(m.largestFit.events)} events in a ${m.largestFit.cores}-core / ${gibText(m.largestFit.boxGiB)} box` : `${formatEvents(m.largestMeasuredEvents)} events`}; Spark took ${v.spark_ratio_sentence} its wall time.`,
    `Projected from fits on at most ${k.largestMeasuredCores ?? "?"} core(s) and ${formatEvents(k.largestMeasuredEvents)} events: one box stops holding the run ${bx.fitLimit.memoryIsLimit ? short(bx.fitLimit) : "at no projected scale (it spills)"}; a Spark cluster is faster ${short(bx.clusterWinsTime)} and cheaper ${short(bx.clusterWinsCost)}.`,
    "The report gives the fit inputs, their error and every caveat (cores not varied, one host, extrapolation).",
  ].join(" ");
}
