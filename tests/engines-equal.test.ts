import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultGeoDb } from "../src/config/settings.ts";
import { generateClickstream } from "../src/generator/generateClickstream.ts";
import { runPipeline } from "../src/harness/runPipeline.ts";
import { TABLES, type TableName } from "../src/lakehouse/tables.ts";
import { canonicalFromParquet } from "../src/verify/canonicalFromParquet.ts";

const EVENTS = 100_000;
const TABLE_NAMES: TableName[] = ["events", "sessions", "rejects"];
let work: string;
let input: string;
let parquetInput: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "etl-engines-equal-"));
  input = join(work, "clickstream-100k.csv");
  await generateClickstream({
    events: EVENTS,
    seed: 7,
    out: input,
    format: "csv",
    geoDbPath: defaultGeoDb,
    workers: 0,
  });
  parquetInput = join(work, "clickstream-100k.parquet");
  await generateClickstream({
    events: EVENTS,
    seed: 7,
    out: parquetInput,
    format: "parquet",
    geoDbPath: defaultGeoDb,
    workers: 0,
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function parquetFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return [];
  }
  return entries.filter((e) => e.endsWith(".parquet")).map((e) => join(dir, e));
}

async function fingerprints(
  engine: "duckdb" | "polars",
  file: string = input,
): Promise<Record<TableName, string>> {
  const summary = await runPipeline({
    engine,
    input: file,
    warehouse: join(work, `wh-${engine}-${file.endsWith(".parquet") ? "parquet" : "csv"}`),
    commit: false,
    threads: 2,
    memoryLimit: "1GB",
    log: () => {},
  });
  expect(summary.error, `${engine} run`).toBeNull();
  expect(summary.rows_in).toBe(EVENTS);
  expect(summary.events! + summary.rejects!).toBe(EVENTS);
  expect(summary.events).toBeGreaterThan(EVENTS * 0.9);
  expect(summary.sessions).toBeGreaterThan(1000);
  expect(summary.rejects).toBeGreaterThan(0);
  const out = {} as Record<TableName, string>;
  for (const table of TABLE_NAMES) {
    const text = await canonicalFromParquet(
      TABLES[table],
      parquetFiles(join(summary.staging_dir!, table)),
    );
    out[table] = createHash("sha256").update(text, "utf8").digest("hex");
  }
  return out;
}

describe("DuckDB and Polars on the same generated input", () => {
  it(`give equal fingerprints on every table (${EVENTS.toLocaleString("en-US")} events)`, async () => {
    const duck = await fingerprints("duckdb");
    const polars = await fingerprints("polars");
    expect(polars).toEqual(duck);
    // The same rows as Parquet (all columns text) give the same tables (§I4).
    const duckParquet = await fingerprints("duckdb", parquetInput);
    expect(duckParquet).toEqual(duck);
  }, 300_000);
});
