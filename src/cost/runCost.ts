import type { InstancePrice, PriceTable } from "./PriceTable.ts";

/** One group of identical nodes in a run: a single box is one group of count 1. */
export interface NodeGroup {
  instance: InstancePrice;
  count: number;
}

export interface RunTimes {
  provisioningS: number;
  startupS: number;
  jobS: number;
}

export interface RunCost {
  /** null when any node has no sourced price (the run is then not costed, never guessed). */
  usd: number | null;
  billedSecondsPerNode: number;
  unpriced: string[];
  emr: boolean;
}

/**
 * Cost of one run = sum over nodes of rate x billed seconds / 3600, where every node is billed
 * per second for provisioning + startup + job, with the table's minimum (60 s on EC2 Linux).
 * With `emr`, each node also pays its EMR per-instance fee: the table's sourced fee, else
 * `emrFeeInput` (a user input, COST_EMR_FEE_USD_PER_H); with neither the run is unpriced.
 */
export function runCost(
  table: PriceTable,
  nodes: NodeGroup[],
  t: RunTimes,
  emr = false,
  emrFeeInput: number | null = null,
): RunCost {
  for (const [k, v] of Object.entries(t))
    if (!(v >= 0) || !Number.isFinite(v))
      throw new Error(`runCost: ${k} must be a finite number of seconds >= 0, got ${v}`);
  const { granularity_seconds: step, minimum_seconds: min } = table.billing;
  const raw = t.provisioningS + t.startupS + t.jobS;
  const billed = Math.max(min, Math.ceil(raw / step) * step);
  const unpriced: string[] = [];
  let usd = 0;
  for (const g of nodes) {
    if (!(g.count >= 1) || !Number.isInteger(g.count))
      throw new Error(`runCost: node count must be a positive integer, got ${g.count}`);
    const rate = g.instance.price_usd_per_hour;
    if (rate === null) {
      unpriced.push(g.instance.instance_type);
      continue;
    }
    let hourly = rate;
    if (emr) {
      const fee = g.instance.emr_fee_usd_per_hour ?? emrFeeInput;
      if (fee == null) {
        unpriced.push(`${g.instance.instance_type} (EMR fee)`);
        continue;
      }
      hourly += fee;
    }
    usd += (g.count * hourly * billed) / 3600;
  }
  return { usd: unpriced.length ? null : usd, billedSecondsPerNode: billed, unpriced, emr };
}
