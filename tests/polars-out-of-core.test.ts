import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { defaultGeoDb } from "../src/config/settings.ts";
import { chooseOutOfCorePlan } from "../src/engines/polars/outOfCorePlan.ts";
import { generateClickstream } from "../src/generator/generateClickstream.ts";
import { compareEngineToReference } from "../src/harness/compareEngineToReference.ts";
import { runPipeline } from "../src/harness/runPipeline.ts";
import { scanCsv } from "../src/input/checkCsv.ts";
import { TABLES, type TableName } from "../src/lakehouse/tables.ts";
import { canonicalFromParquet } from "../src/verify/canonicalFromParquet.ts";
import { writeAdversarialCsv } from "../src/verify/writeAdversarialCsv.ts";

// The out-of-core Polars path (src/engines/polars/outOfCore.ts) forced on small inputs with
// a few buckets, so chunk cuts, bucket spills and the per-bucket passes all run, and proven
// equal to the in-memory path and to the reference pipeline.

const SETTING = "ETL_POLARS_OUT_OF_CORE";
const saved = process.env[SETTING];
afterEach(() => {
  if (saved === undefined) delete process.env[SETTING];
  else process.env[SETTING] = saved;
});

const work = mkdtempSync(join(tmpdir(), "polars-ooc-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("scanCsv cuts", () => {
  it("start at records, never inside a quoted line break", () => {
    const file = join(work, "cuts.csv");
    writeFileSync(file, 'a,b\r\n1,"x\ny"\r\n2,z\n3,"\n"\n4,w');
    const { problem, cuts } = scanCsv(file, 4, 1);
    expect(problem).toBeNull();
    // Header, then one cut per record (cutBytes 1); the quoted LFs are not record starts.
    expect(cuts).toEqual([
      { offset: 5, row: 0 },
      { offset: 14, row: 1 },
      { offset: 18, row: 2 },
      { offset: 24, row: 3 },
    ]);
    expect(scanCsv(file).cuts).toEqual([]);
  });
});

describe("chooseOutOfCorePlan", () => {
  const file = join(work, "plan.csv");
  beforeAll(() => writeFileSync(file, "x".repeat(1000)));

  it("stays in memory while 7x the input fits in half the budget", () => {
    expect(chooseOutOfCorePlan(file, undefined, 14_000)).toBeNull();
    expect(chooseOutOfCorePlan(file, "auto", 13_999)).toEqual({
      buckets: 2,
      chunkBytes: 16 << 20,
    });
  });

  it("sizes chunks from the budget and buckets from the input", () => {
    const gb = 2 ** 30;
    // 1000 bytes: the smallest chunk, two buckets.
    expect(chooseOutOfCorePlan(file, "on", 4 * gb)).toEqual({
      buckets: 2,
      chunkBytes: Math.floor((4 * gb) / 24),
    });
    expect(chooseOutOfCorePlan(file, "on", 64 * gb)!.chunkBytes).toBe(256 << 20);
  });

  it("takes a forced bucket count, off, and refuses anything else", () => {
    expect(chooseOutOfCorePlan(file, "4", 1)).toEqual({ buckets: 4, chunkBytes: 250 });
    expect(chooseOutOfCorePlan(file, "off", 1)).toBeNull();
    expect(() => chooseOutOfCorePlan(file, "yes", 1)).toThrow(/ETL_POLARS_OUT_OF_CORE="yes"/);
  });
});

function parquetFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((e) => e.endsWith(".parquet"))
    .map((e) => join(dir, e));
}

async function polarsRun(input: string, setting: string, tag: string) {
  process.env[SETTING] = setting;
  const summary = await runPipeline({
    engine: "polars",
    input,
    warehouse: join(work, `wh-${tag}`),
    commit: false,
    threads: 2,
    log: () => {},
  });
  expect(summary.error, `${tag} run`).toBeNull();
  const fingerprints = {} as Record<TableName, string>;
  for (const table of ["events", "sessions", "rejects"] as const) {
    const text = await canonicalFromParquet(
      TABLES[table],
      parquetFiles(join(summary.staging_dir!, table)),
    );
    fingerprints[table] = createHash("sha256").update(text, "utf8").digest("hex");
  }
  return { summary, fingerprints };
}

describe("Polars out of core equals Polars in memory", () => {
  const EVENTS = 20_000;
  for (const format of ["csv", "parquet"] as const) {
    it(`on ${EVENTS.toLocaleString("en-US")} generated events (${format}, 5 buckets)`, async () => {
      const input = join(work, `gen.${format}`);
      await generateClickstream({
        events: EVENTS,
        seed: 3,
        out: input,
        format,
        geoDbPath: defaultGeoDb,
        workers: 0,
      });
      const mem = await polarsRun(input, "off", `${format}-mem`);
      const ooc = await polarsRun(input, "5", `${format}-ooc`);
      expect(ooc.summary.rows_in).toBe(EVENTS);
      for (const k of ["rows_in", "events", "sessions", "rejects"] as const)
        expect(ooc.summary[k], k).toBe(mem.summary[k]);
      expect(ooc.fingerprints).toEqual(mem.fingerprints);
      // More than one staged file per day: the buckets really ran.
      const days = parquetFiles(join(ooc.summary.staging_dir!, "events"));
      expect(days.some((f) => f.endsWith("part-4.parquet"))).toBe(true);
    }, 300_000);
  }
});

describe("Polars out of core equals the reference pipeline", () => {
  it("on an adversarial CSV of 2000 rows (duplicates, ties, 30-minute edges), 3 buckets", async () => {
    const input = join(work, "adversarial.csv");
    writeAdversarialCsv(input, 2000, 11);
    process.env[SETTING] = "3";
    const results = await compareEngineToReference({
      engine: "polars",
      input,
      geoDbPath: defaultGeoDb,
      // The same pool size as the runs above: Polars sizes its pool once per process.
      threads: 2,
    });
    for (const r of results) {
      expect(r.referenceRows, r.table).toBeGreaterThan(0);
      expect(r.diff, r.table).toBeNull();
    }
  }, 300_000);
});
