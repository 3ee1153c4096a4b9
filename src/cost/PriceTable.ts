import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../config/settings.ts";

/** Where a figure was read: the page address and the date the page shows (null when it shows none). */
export interface Source {
  url: string;
  page_date: string | null;
  /** The day the figure was read from the page (ISO date). */
  read_on?: string;
  note: string;
}

export interface InstancePrice {
  instance_type: string;
  family: string;
  role: ("single-box" | "cluster-node" | "driver")[];
  vcpu: number;
  memory_gib: number;
  region: string;
  os: string;
  /** null when no stored page gave a price: the instance is projected but never costed. */
  price_usd_per_hour: number | null;
  price_source: Source | null;
  /** Managed-Spark (EMR) fee per instance-hour, added when the EMR option is on; null = not sourced. */
  emr_fee_usd_per_hour?: number | null;
  emr_fee_source?: Source | null;
  spec_source: Source;
  /** Other pages that state the same price (a cross-check, not the source). */
  cross_checks?: Source[];
}

export interface ProvisioningInput {
  value: number;
  kind: "assumption" | "measured" | "published";
  /** A few words on where the value comes from, for the deck (no figure: the value is printed). */
  basis?: string;
  note: string;
  /** The searches behind the figure (or behind an assumption: what found nothing). */
  searched?: string;
  source?: Source;
  cross_checks?: Source[];
}

export interface PriceTable {
  description: string;
  currency: string;
  billing: { granularity_seconds: number; minimum_seconds: number; source: Source };
  instances: InstancePrice[];
  not_found: { what: string; searched: string; result: string }[];
  provisioning: { single_box_seconds: ProvisioningInput; cluster_seconds: ProvisioningInput };
}

/** The committed table, found from the repository root (the compiled copy under dist/ has no JSON). */
export const defaultPriceTablePath = join(projectRoot, "src", "cost", "prices.json");

/** Reads and checks the price table; every error names the file and the entry. */
export function loadPriceTable(path = defaultPriceTablePath): PriceTable {
  let table: PriceTable;
  try {
    table = JSON.parse(readFileSync(path, "utf8")) as PriceTable;
  } catch (err) {
    throw new Error(`${path}: cannot read the price table: ${(err as Error).message}`);
  }
  checkPriceTable(table, path);
  return table;
}

export function checkPriceTable(table: PriceTable, where: string): void {
  const fail = (msg: string): never => {
    throw new Error(`${where}: ${msg}`);
  };
  if (!Array.isArray(table.instances) || table.instances.length === 0) fail("no instances");
  const seen = new Set<string>();
  for (const [i, p] of table.instances.entries()) {
    const at = `instances[${i}] (${p.instance_type ?? "?"})`;
    if (!p.instance_type) fail(`${at}: instance_type missing`);
    if (seen.has(p.instance_type)) fail(`${at}: listed twice`);
    seen.add(p.instance_type);
    if (!(p.vcpu > 0) || !(p.memory_gib > 0)) fail(`${at}: vcpu and memory_gib must be positive`);
    if (!p.spec_source?.url) fail(`${at}: spec_source.url missing (where were vCPU and GiB read?)`);
    if (p.price_usd_per_hour !== null) {
      if (!(p.price_usd_per_hour > 0)) fail(`${at}: price_usd_per_hour must be positive or null`);
      if (!p.price_source?.url)
        fail(`${at}: a price needs price_source.url (the page it was read from)`);
    }
    if (p.emr_fee_usd_per_hour != null && !p.emr_fee_source?.url)
      fail(`${at}: an EMR fee needs emr_fee_source.url`);
  }
  const prov = table.provisioning;
  for (const key of ["single_box_seconds", "cluster_seconds"] as const) {
    const v = prov?.[key];
    if (!v || !(v.value >= 0)) fail(`provisioning.${key}.value must be a number of seconds >= 0`);
    if (v.kind !== "assumption" && !v.source?.url)
      fail(`provisioning.${key}: kind "${v.kind}" needs a source.url (or say kind: "assumption")`);
  }
  if (!(table.billing?.minimum_seconds >= 0)) fail("billing.minimum_seconds missing");
}

export function findInstance(table: PriceTable, type: string): InstancePrice {
  const p = table.instances.find((i) => i.instance_type === type);
  if (!p) {
    const known = table.instances.map((i) => i.instance_type).join(", ");
    throw new Error(`instance type ${type} is not in the price table (known: ${known})`);
  }
  return p;
}
