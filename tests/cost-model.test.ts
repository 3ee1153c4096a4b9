import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildCostModel,
  defaultOptions,
  findInstance,
  formatEvents,
  loadPriceTable,
  runCost,
  type PriceTable,
} from "../src/cost/index.ts";
import { checkPriceTable } from "../src/cost/PriceTable.ts";
import { expandShortcodes } from "../src/report/expandShortcodes.ts";
import { FIXTURE_ENGINES, fixtureRows } from "./util/benchFixture.ts";

const prices = loadPriceTable();
const m7i = findInstance(prices, "m7i.xlarge");

describe("price table", () => {
  it("gives every price the page it was read from, and prices nothing it could not source", () => {
    for (const i of prices.instances) {
      if (i.price_usd_per_hour !== null) expect(i.price_source?.url).toMatch(/^https:\/\//);
      expect(i.spec_source.url).toMatch(/^https:\/\//);
    }
    expect(prices.not_found.map((n) => n.what).join(" ")).toContain("r7i");
  });

  it("refuses a price without a source, naming the entry", () => {
    const bad = structuredClone(prices) as PriceTable;
    bad.instances[0]!.price_source = null;
    expect(() => checkPriceTable(bad, "prices.json")).toThrow(
      /instances\[0\] \(m7i.xlarge\): a price needs price_source.url/,
    );
  });
});

describe("runCost", () => {
  const t = { provisioningS: 0, startupS: 0 };
  it("bills per second with a 60 s minimum", () => {
    expect(runCost(prices, [{ instance: m7i, count: 1 }], { ...t, jobS: 10 }).usd).toBeCloseTo(
      (0.2016 * 60) / 3600,
      12,
    );
    expect(
      runCost(prices, [{ instance: m7i, count: 1 }], { ...t, jobS: 90.2 }).billedSecondsPerNode,
    ).toBe(91);
  });
  it("sums nodes and counts provisioning and startup", () => {
    const r = runCost(prices, [{ instance: m7i, count: 3 }], {
      provisioningS: 100,
      startupS: 20,
      jobS: 30,
    });
    expect(r.usd).toBeCloseTo((3 * 0.2016 * 150) / 3600, 12);
  });
  it("never guesses: an unpriced node or a missing EMR fee leaves the run unpriced", () => {
    const big = findInstance(prices, "m7i.48xlarge");
    expect(runCost(prices, [{ instance: big, count: 1 }], { ...t, jobS: 100 })).toMatchObject({
      usd: null,
      unpriced: ["m7i.48xlarge"],
    });
    expect(
      runCost(prices, [{ instance: m7i, count: 1 }], { ...t, jobS: 100 }, true).usd,
    ).toBeNull();
  });
});

describe("scaling fit on the synthetic fixture (known parameters)", () => {
  const model = buildCostModel(fixtureRows(), prices, { label: "fixture", isFixture: true });
  for (const engine of ["duckdb", "polars", "spark"] as const) {
    it(`recovers ${engine}'s per-event costs, memory per event and serial fraction`, () => {
      const p = FIXTURE_ENGINES[engine];
      const f = model.fits.find((x) => x.engine === engine)!;
      const perEventUs = (f.time!.serialSPerEvent + f.time!.parallelCoreSPerEvent) * 1e6;
      expect(perEventUs).toBeCloseTo(p.serialUsPerEvent + p.parallelCoreUsPerEvent, 0);
      expect(Math.abs(f.memory!.bytesPerEvent - p.bytesPerEvent) / p.bytesPerEvent).toBeLessThan(
        0.05,
      );
      const serial = p.serialUsPerEvent / (p.serialUsPerEvent + p.parallelCoreUsPerEvent);
      expect(Math.abs(f.serialFraction! - serial)).toBeLessThan(0.08);
      expect(f.timeQuality!.r2).toBeGreaterThan(0.99);
    });
  }

  it("computes the fit limit from the memory model and the largest box, with a range", () => {
    const c = model.crossovers.find((x) => x.engine === "duckdb")!;
    const f = model.fits.find((x) => x.engine === "duckdb")!;
    const expected = (0.8 * 768 * 2 ** 30 - f.memory!.baseBytes) / f.memory!.bytesPerEvent;
    expect(c.fitLimit.box).toBe("m7i.48xlarge");
    expect(c.fitLimit.events).toBeCloseTo(expected, -3);
    expect(c.fitLimit.p5!).toBeLessThanOrEqual(c.fitLimit.events!);
    expect(c.fitLimit.p95!).toBeGreaterThanOrEqual(c.fitLimit.events!);
  });

  it("puts the cost crossover where the only priced box stops fitting (larger boxes are unpriced)", () => {
    const c = model.crossovers.find((x) => x.engine === "polars")!;
    const f = model.fits.find((x) => x.engine === "polars")!;
    const limit16 = (0.8 * 16 * 2 ** 30 - f.memory!.baseBytes) / f.memory!.bytesPerEvent;
    expect(c.clusterWinsCost.by).toBe("single box no longer fits");
    expect(c.clusterWinsCost.events! / limit16).toBeGreaterThan(1);
    expect(c.clusterWinsCost.events! / limit16).toBeLessThan(1.05);
  });

  it("labels measured and projected figures and lists the reference cells still missing", () => {
    expect(model.cells.every((c) => c.kind === "measured")).toBe(true);
    expect(model.projections.every((p) => p.kind === "projected")).toBe(true);
    expect(model.missing).toContain("duckdb parquet 1M events");
    expect(model.cells.find((c) => c.cellId.includes("2c-1g"))!.failures).toEqual([
      "oom",
      "oom",
      "oom",
    ]);
  });

  it("measures Spark against the fastest single-box engine and writes the thresholds into the flowchart", () => {
    expect(model.bestEngine).toBe("duckdb");
    const r = model.sparkRatios.find(
      (x) => x.engine === "duckdb" && x.events === 10_000_000 && x.cores === 2,
    )!;
    expect(r.ratio).toBeGreaterThan(3);
    const c = model.crossovers.find((x) => x.engine === "duckdb")!;
    expect(model.flowchart).toMatch(/^flowchart LR/);
    expect(model.flowchart).toContain(`up to: ${formatEvents(c.fitLimit.events)}`);
    expect(model.flowchart).toContain(
      `cheaper only from ${formatEvents(c.clusterWinsCost.events)}`,
    );
  });

  it("takes provisioning times from the environment as user inputs", () => {
    const o = defaultOptions(prices, { COST_PROVISION_CLUSTER_S: "42" });
    expect(o.provisioningClusterS).toBe(42);
    expect(o.provisioningBoxS).toBe(prices.provisioning.single_box_seconds.value);
  });
});

describe("expandShortcodes (pandoc fallback)", () => {
  const dir = mkdtempSync(join(tmpdir(), "qmd-"));
  writeFileSync(join(dir, "part.md"), "rows: {{< var rows >}}\n");
  it("expands var and include, and rewrites the mermaid fence", () => {
    const out = expandShortcodes(
      "{{< include part.md >}}\n```{mermaid}\nx\n```\n",
      { rows: "81" },
      dir,
    );
    expect(out).toBe("rows: 81\n\n```{.mermaid}\nx\n```\n");
  });
  it("fails loudly on an unknown value", () => {
    expect(() => expandShortcodes("{{< var nope >}}", {}, dir)).toThrow(/var nope/);
  });
});

describe("demo slide", () => {
  it("is empty without a demo run, and tabulates each engine's summary when there is one", async () => {
    const { demoSlide } = await import("../src/report/demoSlide.ts");
    expect(demoSlide(null)).toBe("");
    const dir = mkdtempSync(join(tmpdir(), "demo-"));
    expect(demoSlide(dir)).toBe("");
    writeFileSync(
      join(dir, "duckdb.json"),
      "progress line\n" +
        JSON.stringify({
          engine: "duckdb",
          success: true,
          failed_phase: null,
          rows_in: 1_000_000,
          startup_ms: 1500,
          total_ms: 9000,
          peak_rss_bytes: 2 ** 30,
          cpu_seconds: 12.34,
          threads: 2,
        }),
    );
    const md = demoSlide(dir);
    expect(md).toContain("## Your run: `make demo` on this machine");
    expect(md).toContain("| duckdb | ok | 1M | 1.5 s | 9.0 s | 1.0 GiB | 12.3 | 2 |");
  });
});
