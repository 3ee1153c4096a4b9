import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkRowBalance, recordPhases } from "../src/harness/recordPhases.ts";
import { runPipeline } from "../src/harness/runPipeline.ts";

const work = mkdtempSync(join(tmpdir(), "etl-harness-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("runPipeline failures are summaries, not crashes", () => {
  it("names both engines when the engine is unknown", async () => {
    const summary = await runPipeline({
      engine: "duckdbx",
      input: join(import.meta.dirname, "fixtures", "golden", "input.csv"),
      warehouse: join(work, "wh"),
      log: () => {},
    });
    expect(summary).toMatchObject({ success: false, failed_phase: "open", committed: false });
    expect(summary.error).toMatch(/unknown engine 'duckdbx': choose one of duckdb, polars, spark/);
    expect(summary.peak_rss_bytes).toBeGreaterThan(0);
  });

  it("names the input file when it does not exist", async () => {
    const missing = join(work, "nope.csv");
    const summary = await runPipeline({
      engine: "duckdb",
      input: missing,
      warehouse: join(work, "wh"),
      log: () => {},
    });
    expect(summary.success).toBe(false);
    expect(summary.error).toContain(missing);
    expect(summary.engine_version).toBeNull();
  });
});

describe("the harness owns phase timing and the row balance", () => {
  it("records each phase once, in the order they end, and the one that started last", async () => {
    const events: string[] = [];
    const timer = recordPhases((e) => events.push(`${e.phase}:${e.state}`));
    await timer.time("ingest", () => 1);
    timer.started("cleanse");
    timer.ended("cleanse", 12.5);
    await expect(timer.time("enrich", () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    expect(events).toEqual([
      "ingest:start",
      "ingest:end",
      "cleanse:start",
      "cleanse:end",
      "enrich:start",
    ]);
    expect([...timer.ms.keys()]).toEqual(["ingest", "cleanse"]);
    expect(timer.ms.get("cleanse")).toBe(12.5);
    expect(timer.current).toBe("enrich");
  });

  it("refuses a run whose rows in are not events + rejects, naming engine and input", () => {
    expect(() =>
      checkRowBalance("duckdb", "/in.csv", { rowsIn: 10, events: 7, rejects: 2 }),
    ).toThrow(/^duckdb: \/in\.csv: 10 rows in but 7 events \+ 2 rejects \(spec §R1/);
    expect(() =>
      checkRowBalance("duckdb", "/in.csv", { rowsIn: 10, events: 8, rejects: 2 }),
    ).not.toThrow();
  });
});
