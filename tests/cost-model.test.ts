import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildCostModel,
  configs,
  defaultOptions,
  engineModels,
  estimate,
  findInstance,
  formatEvents,
  loadPriceTable,
  readBenchRows,
  runCost,
  type PriceTable,
} from "../src/cost/index.ts";
import { SEARCH_MAX_EVENTS } from "../src/cost/crossovers.ts";
import { interferenceCheck } from "../src/cost/interferenceCheck.ts";
import { boxOutcomeTable, crossoverTable, measuredTable } from "../src/report/reportTables.ts";
import { reportValues } from "../src/report/reportValues.ts";
import { checkPriceTable } from "../src/cost/PriceTable.ts";
import { expandShortcodes } from "../src/report/expandShortcodes.ts";
import type { BenchRow } from "../src/bench/BenchRow.ts";
import { failedRow, FIXTURE_ENGINES, fixtureRows, makeRow } from "./util/benchFixture.ts";

const prices = loadPriceTable();
const m7i = findInstance(prices, "m7i.xlarge");

describe("price table", () => {
  it("gives every price the page it was read from, and prices nothing it could not source", () => {
    for (const i of prices.instances) {
      if (i.price_usd_per_hour !== null) expect(i.price_source?.url).toMatch(/^https:\/\//);
      expect(i.spec_source.url).toMatch(/^https:\/\//);
    }
    expect(prices.not_found.map((n) => n.what).join(" ")).toContain("EMR");
  });

  it("prices the memory-optimised boxes and the cluster nodes the model uses", () => {
    const opts = defaultOptions(prices);
    for (const t of [opts.clusterNodeType, opts.driverType, "r7i.large", "r7i.48xlarge"]) {
      const i = findInstance(prices, t);
      expect(i.price_usd_per_hour).toBeGreaterThan(0);
      expect(i.price_source!.page_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(i.price_source!.read_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // r7i doubles vCPU, GiB and price with each size: a typo in the table breaks this.
    const r7i = prices.instances.filter((i) => i.family === "r7i");
    for (const i of r7i) {
      expect(i.memory_gib / i.vcpu).toBe(8);
      expect(i.price_usd_per_hour! / i.vcpu).toBeCloseTo(0.06615, 6);
    }
  });

  it("refuses a price without a source, naming the entry", () => {
    const bad = structuredClone(prices) as PriceTable;
    bad.instances[0]!.price_source = null;
    expect(() => checkPriceTable(bad, "prices.json")).toThrow(
      /instances\[0\] \(m7i.large\): a price needs price_source.url/,
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
    const big = { ...findInstance(prices, "r7i.48xlarge"), price_usd_per_hour: null };
    expect(runCost(prices, [{ instance: big, count: 1 }], { ...t, jobS: 100 })).toMatchObject({
      usd: null,
      unpriced: ["r7i.48xlarge"],
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
    const expected = (0.8 * 1536 * 2 ** 30 - f.memory!.baseBytes) / f.memory!.bytesPerEvent;
    expect(c.fitLimit.box).toBe("r7i.48xlarge");
    expect(c.fitLimit.events).toBeCloseTo(expected, -3);
    expect(c.fitLimit.p5!).toBeLessThanOrEqual(c.fitLimit.events!);
    expect(c.fitLimit.p95!).toBeGreaterThanOrEqual(c.fitLimit.events!);
  });

  it("finds the cost crossover where the cheapest cluster undercuts the cheapest box that fits", () => {
    const c = model.crossovers.find((x) => x.engine === "polars")!;
    const o = model.options;
    const at = (n: number, kind: "single-box" | "cluster") => {
      const pts = configs(prices, o)
        .filter((x) => x.kind === kind && (kind === "cluster" || x.engine === "polars"))
        .map((x) => {
          const f = model.fits.find((y) => y.engine === x.engine)!;
          return estimate(prices, o, x, n, engineModels(f).central);
        })
        .filter((e) => e.fits !== false && e.costUsd !== null)
        .map((e) => e.costUsd!);
      return pts.length ? Math.min(...pts) : null;
    };
    if (c.clusterWinsCost.events === null) {
      expect(at(1e9, "cluster")! >= at(1e9, "single-box")!).toBe(true);
    } else {
      const n = c.clusterWinsCost.events;
      const box = at(n, "single-box");
      expect(box === null || at(n, "cluster")! < box).toBe(true);
      const before = at(n / 1.05, "single-box");
      expect(before !== null && at(n / 1.05, "cluster")! >= before).toBe(true);
    }
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
      c.clusterWinsCost.events === null
        ? `not cheaper below ${formatEvents(SEARCH_MAX_EVENTS)}`
        : `cheaper only from ${formatEvents(c.clusterWinsCost.events)}`,
    );
  });

  it("takes provisioning times from the environment as user inputs", () => {
    const o = defaultOptions(prices, { COST_PROVISION_CLUSTER_S: "42" });
    expect(o.provisioningClusterS).toBe(42);
    expect(o.provisioningBoxS).toBe(prices.provisioning.single_box_seconds.value);
  });

  it("gives each provisioning time its kind and, unless an assumption, its source; the deck prints the kind", () => {
    for (const key of ["single_box_seconds", "cluster_seconds"] as const) {
      const p = prices.provisioning[key];
      if (p.kind !== "assumption") {
        expect(p.source?.url).toMatch(/^https:\/\//);
        expect(p.source?.read_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
    const v = (env: NodeJS.ProcessEnv) =>
      reportValues({ ...model, options: defaultOptions(prices, env) });
    const c = prices.provisioning.cluster_seconds;
    const plain = v({});
    expect(plain.provisioning_cluster_basis).toBe(c.basis ? `${c.kind}: ${c.basis}` : c.kind);
    expect(plain.provisioning_cluster_sourced).toContain(c.kind);
    expect(v({ COST_PROVISION_CLUSTER_S: "42" }).provisioning_cluster_basis).toBe("user setting");
  });
});

describe("every kind of reference row (hand-made fixture cells)", () => {
  const GiB = 2 ** 30;
  const at = (s: number) => `2026-01-01T00:${String(s).padStart(2, "0")}:00Z`;
  // DuckDB on the bare host at 1M and 10M: three repetitions each, one 1M repetition timed out.
  const rows = [
    ...[12, 10, 30].map((w, i) =>
      makeRow({ cell_id: "d-1m", repetition: i + 1, wall_ms: w * 1000, started_at: at(i) }),
    ),
    failedRow("timeout", { cell_id: "d-1m", repetition: 4, started_at: at(3) }),
    ...[100, 104, 96].map((w, i) =>
      makeRow({
        cell_id: "d-10m",
        events: 10_000_000,
        repetition: i + 1,
        wall_ms: w * 1000,
        peak_rss_bytes: 1.5 * GiB,
        started_at: at(4 + i),
        load_avg_before: [4 + i, 1, 1],
      }),
    ),
    // The same cell measured again by newer code: only the newer rows count.
    makeRow({
      cell_id: "d-100k",
      events: 100_000,
      wall_ms: 99_000,
      code_version: "v1",
      started_at: at(7),
    }),
    makeRow({
      cell_id: "d-100k",
      events: 100_000,
      wall_ms: 2000,
      peak_rss_bytes: 0.95 * GiB,
      code_version: "v2",
      started_at: at(8),
    }),
    // Machine-shape boxes: 1 core / 4 GiB succeeded at 10M, 2 cores / 16 GiB was killed at 100M.
    makeRow({
      cell_id: "d-10m-1c4g",
      events: 10_000_000,
      threads: 1,
      box: "1c-4g",
      box_cores: 1,
      box_memory_bytes: 4 * GiB,
      box_enforced: true,
      cores_available: 1,
      wall_ms: 190_000,
      peak_rss_bytes: 3.9 * GiB,
      started_at: at(9),
    }),
    failedRow("oom", {
      cell_id: "d-100m-2c16g",
      events: 100_000_000,
      box: "2c-16g",
      box_cores: 2,
      box_memory_bytes: 16 * GiB,
      box_enforced: true,
      started_at: at(10),
    }),
    failedRow("timeout", {
      cell_id: "d-50m-2c8g",
      events: 50_000_000,
      box: "2c-8g",
      box_cores: 2,
      box_memory_bytes: 8 * GiB,
      box_enforced: true,
      started_at: at(10),
    }),
    // Spark local[2], its cache-stages variant, and a standalone cluster of 2 one-core workers.
    makeRow({
      cell_id: "s-1m",
      target: "spark",
      wall_ms: 300_000,
      peak_rss_bytes: 5 * GiB,
      started_at: at(11),
    }),
    makeRow({
      cell_id: "s-1m-cachestages",
      target: "spark",
      spark_mode: "cache-stages",
      wall_ms: 900_000,
      started_at: at(12),
    }),
    makeRow({
      cell_id: "s-1m-sw2",
      target: "spark",
      threads: 2,
      spark_master: "spark://127.0.0.1:7077",
      spark_workers: 2,
      box: "2x1c-4g",
      box_cores: 2,
      box_memory_bytes: 8 * GiB,
      box_enforced: true,
      cores_available: 2,
      wall_ms: 400_000,
      peak_rss_bytes: 9 * GiB,
      started_at: at(13),
    }),
  ];
  const model = buildCostModel(rows, prices, { label: "kinds", isFixture: true });
  const cell = (id: string) => model.cells.find((c) => c.cellId === id)!;
  const fit = (e: string) => model.fits.find((f) => f.engine === e)!;

  it("takes the median of the successful repetitions and counts a failed one apart", () => {
    expect(cell("d-1m").wallS).toBe(12);
    expect(cell("d-1m").failures).toEqual(["timeout"]);
    expect(cell("d-1m").succeeded).toBe(3);
  });

  it("uses the rows of the newest code version of a re-measured cell", () => {
    expect(cell("d-100k").wallS).toBe(2);
    expect(cell("d-100k").codeVersion).toBe("v2");
    expect(model.conditions.supersededRows).toBe(1);
  });

  it("gives a boxed cell the box's cores, fits its time but not its memory, and prices it as the box", () => {
    expect(cell("d-10m-1c4g").cores).toBe(1);
    expect(fit("duckdb").inputs.cellIds).toContain("d-10m-1c4g");
    expect(fit("duckdb").inputs.cores).toEqual([1, 2]);
    // Memory from the unboxed cells only, on one line: 1 GiB at 1M, 1.5 GiB at 10M.
    expect(fit("duckdb").memory!.bytesPerEvent).toBeCloseTo((0.5 * GiB) / 9e6, 3);
    const priced = model.measuredCosts.find((m) => m.cellId === "d-10m-1c4g")!;
    expect(priced.pricedAs).toBe("1 x m7i.large");
  });

  it("counts an OOM or a timeout as 'does not fit', never as a data point", () => {
    expect(fit("duckdb").inputs.cellIds).not.toContain("d-100m-2c16g");
    expect(
      fit("duckdb")
        .limits.map((l) => [l.cellId, l.outcome])
        .sort(),
    ).toEqual([
      ["d-100m-2c16g", "oom"],
      ["d-10m-1c4g", "fits"],
      ["d-50m-2c8g", "timeout"],
    ]);
    // The memory fit says 100M fits r7i.large (16 GiB); the OOM in a 16 GiB box says it does not.
    const m = fit("duckdb").memory!;
    expect(m.baseBytes + m.bytesPerEvent * 1e8).toBeLessThan(0.8 * 16 * GiB);
    const point = (type: string, events: number) =>
      model.projections.find(
        (p) => p.engine === "duckdb" && p.instanceType === type && p.events === events,
      )!;
    expect(point("r7i.large", 1e8)).toMatchObject({ fits: false, fitsBy: "measured" });
    expect(point("r7i.xlarge", 1e8).fitsBy).toBe("projected");
    // The timeout at 50M in a 2-core 8 GiB box: m7i.large (2 vCPU, 8 GiB) does not run 50M,
    // r7i.large (16 GiB) is left to the fit; the 1c-4g success says m7i.large holds 10M.
    expect(point("m7i.large", 5e7)).toMatchObject({ fits: false, fitsBy: "measured" });
    expect(point("r7i.large", 5e7).fitsBy).toBe("projected");
    expect(point("m7i.large", 1e7)).toMatchObject({ fits: true, fitsBy: "measured" });
  });

  it("keeps standalone Spark and variants out of the time fit, measures the cluster's overhead, and prices workers plus a driver", () => {
    const s = fit("spark");
    expect(cell("s-1m-sw2")).toMatchObject({ standalone: true, cores: 2, sparkWorkers: 2 });
    expect(s.inputs.cellIds).toEqual(["s-1m"]);
    expect(s.inputs.cellIds).not.toContain("s-1m-cachestages");
    // Standalone 400 s against local 300 s wall, 1 s startup each: job 399 / 299.
    expect(s.cluster!.pairs.map((p) => [p.standaloneCellId, p.localCellId])).toEqual([
      ["s-1m-sw2", "s-1m"],
    ]);
    expect(s.cluster!.factor).toBeCloseTo(399 / 299, 6);
    const m = engineModels(s).central;
    const o = model.options;
    const [cl] = configs(prices, o).filter((c) => c.kind === "cluster");
    const [box] = configs(prices, o).filter(
      (c) =>
        c.kind === "single-box" &&
        c.engine === "spark" &&
        c.instance.vcpu === cl!.instance.vcpu * cl!.nodes,
    );
    const e = (c: typeof cl) => estimate(prices, o, c!, 1e8, m).jobS;
    if (box) expect(e(cl) / e(box)).toBeCloseTo(399 / 299, 6);
    expect(cell("s-1m-cachestages").variant).toBe("cache-stages");
    expect(model.sparkRatios.map((r) => r.ratio)).toEqual([300 / 12]);
    expect(model.measuredCosts.find((m) => m.cellId === "s-1m-sw2")!.pricedAs).toBe(
      "2 x m7i.large + 1 x m7i.xlarge",
    );
  });

  it("states the load, cores and row counts the threats to validity print", () => {
    const v = reportValues(model);
    expect(model.conditions).toMatchObject({ logicalCores: 2, loadMax: 6, rowsLoadAboveCores: 3 });
    expect(v.load_above_cores).toBe(`3 of ${rows.length}`);
    expect(v.threat_load).toContain("shared 2-core host");
    expect(v.threat_cluster).toMatch(/^1 standalone Spark cell/);
    expect(v.recommendation).toContain(`${rows.length} rows`);
    expect(v.threat_interference).toMatch(/^No A\/B check/);
  });

  it("summarises the dev-work frozen/running A/B as medians per engine", () => {
    const ab = (cell: string, walls: number[]) =>
      walls.map((w, i) => makeRow({ cell_id: cell, repetition: i + 1, wall_ms: w * 1000 }));
    const x = interferenceCheck(ab("d", [6, 8, 7]), ab("d", [9, 7, 10]));
    expect(x).toEqual([
      { engine: "duckdb", frozenWallS: 7, runningWallS: 9, ratio: 9 / 7, pairs: 3 },
    ]);
    expect(reportValues({ ...model, interference: x }).threat_interference).toContain(
      "duckdb 7.0 s frozen against 9.0 s running (x1.29, 3 pair(s))",
    );
  });
});

describe("rows the 100M and small-box phases add", () => {
  const GiB = 2 ** 30;
  const boxed = (gib: number) => ({
    box: `2c-${gib}g`,
    box_cores: 2,
    box_memory_bytes: gib * GiB,
    box_enforced: true,
  });
  const rows = [
    // Polars in memory on the bare host (memory fit: about 1.5 KB/event) ...
    ...[1_000_000, 10_000_000].map((events) =>
      makeRow({
        cell_id: `p-${events}`,
        target: "polars",
        events,
        input_bytes: events * 290,
        wall_ms: events / 100,
        peak_rss_bytes: 0.3 * GiB + 1500 * events,
        code_version: "9114d73",
      }),
    ),
    // ... killed in an 8 GiB box by the old code, which had no out-of-core path ...
    failedRow("oom", {
      cell_id: "polars-10m-csv-t2-2c-8g",
      target: "polars",
      events: 10_000_000,
      input_bytes: 2.9e9,
      code_version: "9114d73-dirty",
      ...boxed(8),
    }),
    // ... and the same cell id finished out of core (its own matrix), plus 100M in 16 GiB by
    // newer code whose auto plan goes out of core there.
    makeRow({
      cell_id: "polars-10m-csv-t2-2c-8g",
      matrix: "polars-out-of-core",
      target: "polars",
      events: 10_000_000,
      input_bytes: 2.9e9,
      wall_ms: 105_000,
      peak_rss_bytes: 2.5 * GiB,
      code_version: "27d890c",
      started_at: "2026-01-01T01:00:00Z",
      ...boxed(8),
    }),
    makeRow({
      cell_id: "polars-100m-csv-t2-2c-16g",
      target: "polars",
      events: 100_000_000,
      input_bytes: 29e9,
      wall_ms: 1_500_000,
      peak_rss_bytes: 9 * GiB,
      code_version: "f0d62a8",
      ...boxed(16),
    }),
    // DuckDB: host cells, and 100M in 16 GiB failed on a full disk while spilling.
    ...[1_000_000, 10_000_000].map((events) =>
      makeRow({
        cell_id: `d-${events}`,
        events,
        wall_ms: events / 150,
        peak_rss_bytes: 0.6 * GiB + 580 * events,
      }),
    ),
    failedRow("error", {
      cell_id: "duckdb-100m-csv-t2-2c-16g",
      events: 100_000_000,
      error:
        'failed in cleanse: IO Error: Could not write file "/tmp/x/duckdb_temp_storage-4.tmp": No space left on device',
      ...boxed(16),
    }),
  ];
  const model = buildCostModel(rows, prices, { label: "phases", isFixture: true });
  const x = (e: string) => model.crossovers.find((c) => c.engine === e)!;

  it("keeps Polars' out-of-core rows apart from the in-memory cell of the same id", () => {
    const ids = model.cells.filter((c) => c.engine === "polars").map((c) => [c.cellId, c.variant]);
    expect(ids).toEqual(
      expect.arrayContaining([
        ["polars-10m-csv-t2-2c-8g", null],
        ["polars-10m-csv-t2-2c-8g (out-of-core)", "out-of-core"],
        ["polars-100m-csv-t2-2c-16g (out-of-core)", "out-of-core"],
      ]),
    );
    const f = model.fits.find((y) => y.engine === "polars")!;
    expect(f.inputs.cellIds.sort()).toEqual(["p-1000000", "p-10000000"]);
    expect(f.limits.map((l) => [l.cellId, l.outcome]).sort()).toEqual([
      ["polars-100m-csv-t2-2c-16g (out-of-core)", "fits"],
      ["polars-10m-csv-t2-2c-8g (out-of-core)", "fits"],
      ["polars-10m-csv-t2-2c-8g", "oom"],
    ]);
  });

  it("takes the largest scale one box held from the measured 100M outcome, and projects no memory limit past it", () => {
    const p = x("polars");
    expect(p.measured.largestFit).toMatchObject({ events: 100_000_000, boxGiB: 16 });
    expect(p.fitLimit).toMatchObject({ memoryIsLimit: false, events: null });
    const at = (events: number) =>
      model.projections.find(
        (q) => q.engine === "polars" && q.instanceType === "r7i.large" && q.events === events,
      )!;
    expect(at(1e8)).toMatchObject({ fits: true, fitsBy: "measured" });
    expect(at(1e9)).toMatchObject({ fits: null, fitsBy: null });
  });

  it("counts a failed 100M cell as 'did not finish' with its reason, never as a data point", () => {
    const d = x("duckdb");
    expect(d.measured.smallestFail).toMatchObject({ events: 100_000_000, boxGiB: 16 });
    expect(d.measured.smallestFail!.outcome).toBe(
      "failed: failed in cleanse: IO Error: Could not write file <path>: No space left on device",
    );
    const f = model.fits.find((y) => y.engine === "duckdb")!;
    expect(f.inputs.cellIds).not.toContain("duckdb-100m-csv-t2-2c-16g");
    // A disk error is not a memory limit: the projections do not take it as one.
    expect(f.limits.map((l) => l.cellId)).not.toContain("duckdb-100m-csv-t2-2c-16g");
    expect(reportValues(model).recommendation).toContain(
      `not found up to ${formatEvents(SEARCH_MAX_EVENTS)} events`,
    );
  });

  it("reads the result subfolders, but not the archive or the interference A/B", () => {
    const dir = mkdtempSync(join(tmpdir(), "cost-rows-"));
    const line = (id: string) => JSON.stringify(makeRow({ cell_id: id })) + "\n";
    for (const [sub, id] of [
      ["", "top"],
      ["small-boxes", "small"],
      ["polars-out-of-core", "ooc"],
      ["archive", "old"],
      ["interference", "ab"],
    ]) {
      mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, sub, "rows.jsonl"), line(id!));
    }
    expect(
      readBenchRows(dir)
        .map((r) => r.cell_id)
        .sort(),
    ).toEqual(["ooc", "small", "top"]);
  });
});

describe("Spark reference rows added later (a copy of the committed rows plus TEST-ONLY rows)", () => {
  // fixtures/reference-copy/reference.jsonl: results/reference/reference.jsonl as committed on
  // 2026-12-01 (real rows). The rows below are invented, TEST-ONLY, shaped like the Spark cells
  // the reference matrix still lacked then: Spark in the three 10M boxes, standalone with 1 and
  // 2 workers at 10M, and two more repetitions of the 10M host cell. The model must take them
  // with no change.
  const GiB = 2 ** 30;
  const copy = readBenchRows(
    join(import.meta.dirname, "fixtures", "reference-copy", "reference.jsonl"),
  );
  const host10m = copy.find((r) => r.cell_id === "spark-10m-csv-t2-host-m6gb")!;
  const testOnly = (over: Partial<BenchRow> & { cell_id: string }) =>
    makeRow({
      ...host10m,
      run_id: "TEST-ONLY-not-measured",
      matrix: "fixture-not-measured",
      memory_limit: null,
      started_at: "2026-12-01T23:00:00.000Z",
      ...over,
    });
  const wall = host10m.wall_ms!;
  const boxCell = (box: string, cores: number, gib: number, wallMs: number) =>
    testOnly({
      cell_id: `spark-10m-csv-t${cores}-${box}`,
      threads: cores,
      cores_available: cores,
      box,
      box_cores: cores,
      box_memory_bytes: gib * GiB,
      box_enforced: true,
      spark_master: `local[${cores}]`,
      wall_ms: wallMs,
      peak_rss_bytes: 0.7 * gib * GiB,
    });
  const standalone = (workers: number, wallMs: number) =>
    testOnly({
      cell_id: `spark-10m-csv-t${workers}-sw${workers}x1c-4g`,
      threads: workers,
      cores_available: workers,
      box: `${workers}x1c-4g`,
      box_cores: workers,
      box_memory_bytes: workers * 4 * GiB,
      box_enforced: true,
      spark_master: "spark://127.0.0.1:7077",
      spark_workers: workers,
      wall_ms: wallMs,
      peak_rss_bytes: workers * 3 * GiB,
    });
  const added = [
    boxCell("1c-4g", 1, 4, 2 * wall),
    boxCell("2c-8g", 2, 8, 1.05 * wall),
    boxCell("2c-16g", 2, 16, wall),
    standalone(1, 2.4 * wall),
    standalone(2, 1.4 * wall),
    ...[2, 3].map((repetition) => testOnly({ cell_id: host10m.cell_id, repetition })),
  ];
  const before = buildCostModel(copy, prices, { label: "copy", isFixture: true });
  const model = buildCostModel([...copy, ...added], prices, { label: "copy+", isFixture: true });
  const spark = model.fits.find((f) => f.engine === "spark")!;

  it("lists the planned Spark cells as missing until they exist, and a 1-core box or worker is not the 1-thread host cell", () => {
    expect(before.missing).toEqual(
      expect.arrayContaining([
        "spark 1 thread(s)",
        "spark 10M events in three box shapes (have 0)",
        "spark standalone 1 worker(s), 10M events",
        "spark standalone 2 worker(s), 10M events",
      ]),
    );
    expect(model.missing).toContain("spark 1 thread(s)");
    expect(model.missing.filter((m) => m.startsWith("spark") && m.includes("10M"))).toEqual([]);
  });

  it("counts every repetition of a cell measured again by the same code", () => {
    const c = model.cells.find((x) => x.cellId === host10m.cell_id)!;
    expect([c.repetitions, c.succeeded, c.supersededRows]).toEqual([3, 3, 0]);
  });

  it("fits Spark's time on the box cells too (cores now vary), and keeps the standalone cells out", () => {
    expect(spark.inputs.cellIds).toEqual(
      expect.arrayContaining([
        "spark-10m-csv-t1-1c-4g",
        "spark-10m-csv-t2-2c-8g",
        "spark-10m-csv-t2-2c-16g",
      ]),
    );
    expect(spark.inputs.cellIds.filter((id) => id.includes("-sw"))).toEqual([]);
    expect(spark.inputs.cores).toEqual([1, 2]);
    expect(spark.serialFraction).not.toBeNull();
    expect(spark.notes.join(" ")).not.toContain("cores not varied");
    expect(before.fits.find((f) => f.engine === "spark")!.serialFraction).toBeNull();
  });

  it("pairs each standalone 10M cell with the local cell of the same cores for the cluster factor", () => {
    const pairs = spark.cluster!.pairs.map((p) => [p.standaloneCellId, p.localCellId]).sort();
    expect(pairs).toEqual([
      ["spark-10m-csv-t1-sw1x1c-4g", "spark-10m-csv-t1-1c-4g"],
      ["spark-10m-csv-t2-sw2x1c-4g", "spark-10m-csv-t2-host-m6gb"],
      ["spark-1m-csv-t2-sw2x1c-4g", "spark-1m-csv-t2-host-m6gb"],
    ]);
    const job = (id: string) => model.cells.find((c) => c.cellId === id)!.jobS!;
    const ratios = pairs.map(([s, l]) => job(s!) / job(l!)).sort((a, b) => a - b);
    expect(spark.cluster!.factor).toBeCloseTo(ratios[1]!, 9);
    expect(before.fits.find((f) => f.engine === "spark")!.cluster!.pairs).toHaveLength(1);
    const limits = spark.limits.filter((l) => l.standalone && l.events === 10_000_000);
    expect(limits.map((l) => [l.nodes, l.memoryBytesPerNode / GiB, l.outcome])).toEqual(
      expect.arrayContaining([
        [1, 4, "fits"],
        [2, 4, "fits"],
      ]),
    );
  });

  it("shows Spark's box and standalone cells in the report's tables", () => {
    const boxes = boxOutcomeTable(model);
    for (const b of [
      "1c-4g, 1 core(s), 4 GiB",
      "2c-8g, 2 core(s), 8 GiB",
      "2c-16g, 2 core(s), 16 GiB",
    ])
      expect(boxes).toContain(`| spark | 10M | ${b} | - | finished (1/1) |`);
    expect(boxes).toContain("| spark | 10M | 2x1c-4g (2 worker boxes), 2 core(s), 8 GiB |");
    const sparkRow = crossoverTable(model)
      .split("\n")
      .find((l) => l.startsWith("| spark |"))!;
    expect(sparkRow).toContain("10M in 1c / 4 GiB (spark-10m-csv-t1-1c-4g)");
    expect(crossoverTable(before)).toContain("| spark | no box cell finished |");
    const measured = measuredTable(model);
    for (const id of ["spark-10m-csv-t2-2c-16g", "spark-10m-csv-t1-sw1x1c-4g"])
      expect(measured).toContain(`| ${id} | spark | 10M |`);
    expect(reportValues(model).threat_cluster).toMatch(/^4 standalone Spark cell/);
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
