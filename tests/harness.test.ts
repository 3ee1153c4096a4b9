import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
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
