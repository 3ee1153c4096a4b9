import { SEARCH_MAX_EVENTS, type Crossover, type EngineCrossovers } from "./crossovers.ts";
import { formatEvents, formatRatio } from "./format.ts";

export interface FlowchartInputs {
  /** The single-box engine the measurements favour, and its crossovers. */
  best: EngineCrossovers;
  /** Measured Spark / best-engine wall-time ratio at the largest scale both ran (null if none). */
  sparkRatio: { events: number; ratio: number } | null;
  usableMemoryFraction: number;
}

const q = (s: string) => `"${s.replace(/"/g, "'")}"`;

function scale(c: Crossover, label: string): string {
  if (c.events === null) return `${label}: not within ${formatEvents(SEARCH_MAX_EVENTS)} events`;
  const range =
    c.p5 !== null && c.p95 !== null ? ` (${formatEvents(c.p5)}-${formatEvents(c.p95)})` : "";
  const sure = c.confidence === "uncertain" ? ", uncertain" : "";
  return `${label}: ${formatEvents(c.events)}${range} events/run${sure}`;
}

/**
 * The decision flowchart as Mermaid source. Every threshold is read from the model's
 * crossovers; the shape starts from the common heuristic (one box until the data no longer
 * fits, then distributed) and marks what the measurements changed.
 */
export function decisionFlowchart(i: FlowchartInputs): string {
  const e = i.best.engine;
  const fit = i.best.fitLimit;
  const time = i.best.clusterWinsTime;
  const cost = i.best.clusterWinsCost;
  const held = i.best.measured.largestFit;
  const measuredFit = held
    ? `measured: ${e} finished ${formatEvents(held.events)} in a ${held.cores}-core / ${Math.round(held.boxGiB)} GiB box`
    : `no ${e} box cell finished`;
  const limitText = fit.memoryIsLimit
    ? scale(fit, `projected: ${e} fits ${fit.box} up to`)
    : `projected: no memory limit (${e} spills)`;
  // The growth question asks about the limit that is known: the projected one, else the measured scale.
  const growthAt = fit.memoryIsLimit && fit.events !== null ? fit.events : (held?.events ?? null);
  const ratio = i.sparkRatio
    ? `measured: Spark ${formatRatio(i.sparkRatio.ratio)} the wall time of ${e} at ${formatEvents(i.sparkRatio.events)} events`
    : "no same-scale Spark cell measured";
  const lines = [
    "flowchart LR",
    `  start([${q("Batch ETL run: N events")}])`,
    `  estate{${q("Existing Spark estate and skills,<br/>streaming or sub-minute latency,<br/>or many concurrent jobs?")}}`,
    `  heur{${q(`Heuristic: does one box hold the run?<br/>${measuredFit}<br/>${limitText}`)}}`,
    `  growth{${q(`Data growth: will N pass<br/>${growthAt === null ? "the measured scales" : formatEvents(growthAt)} in the planning horizon?`)}}`,
    `  timeq{${q(`Is N above the time crossover?<br/>${scale(time, "projected")}`)}}`,
    `  costq{${q(`Is N above the cost crossover?<br/>${scale(cost, "projected")}`)}}`,
    `  box[${q(`Single box: ${e}<br/>${ratio}`)}]`,
    `  cluster[${q("Spark cluster")}]`,
    `  keep[${q("Spark: keep the estate")}]`,
    `  gov[${q("Governance either way: Iceberg tables in one catalog,<br/>equal output proven across engines, engine can change later")}]`,
    `  changed>${q(`Measurements changed: ${fit.memoryIsLimit ? "the heuristic switches at the memory limit" : `${e} spills, so memory does not set the switch`};<br/>projected: ${time.events === null ? `the cluster is not faster below ${formatEvents(SEARCH_MAX_EVENTS)}` : `the cluster is faster only from ${formatEvents(time.events)}`} and ${cost.events === null ? `not cheaper below ${formatEvents(SEARCH_MAX_EVENTS)}` : `cheaper only from ${formatEvents(cost.events)}`}`)}]`,
    "  start --> estate",
    `  estate -- ${q("yes")} --> keep`,
    `  estate -- ${q("no")} --> heur`,
    `  heur -- ${q(fit.memoryIsLimit && fit.events !== null ? `no: N above ${formatEvents(fit.events)}` : "no")} --> cluster`,
    `  heur -- ${q("yes")} --> growth`,
    `  growth -- ${q("no")} --> box`,
    `  growth -- ${q("yes")} --> timeq`,
    `  timeq -- ${q("no")} --> box`,
    `  timeq -- ${q("yes: time matters more")} --> cluster`,
    `  timeq -- ${q("yes: cost matters more")} --> costq`,
    `  costq -- ${q("no")} --> box`,
    `  costq -- ${q("yes")} --> cluster`,
    "  box -.-> gov",
    "  cluster -.-> gov",
    "  heur -.-> changed",
    "  classDef measured fill:#e8f1fb,stroke:#1f5f99",
    "  classDef projected fill:#fdf1e3,stroke:#b35900,stroke-dasharray: 4 3",
    "  class box measured",
    "  class heur,timeq,costq,growth projected",
  ];
  return lines.join("\n") + "\n";
}
