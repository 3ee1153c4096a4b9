import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultGeoDb } from "../src/config/settings.ts";
import { compareEngineToReference } from "../src/harness/compareEngineToReference.ts";
import { writeAdversarialCsv } from "../src/verify/writeAdversarialCsv.ts";

// The staging engines against the reference oracle on input built from every vector edge
// case (duplicates, ties, near-30-minute gaps, Unicode case mapping, §C1 padding).
describe.each(["duckdb", "polars"])("%s engine equals the reference pipeline", (engine) => {
  const dir = mkdtempSync(join(tmpdir(), `reference-${engine}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("on an adversarial CSV of 2000 rows", async () => {
    const input = join(dir, "adversarial.csv");
    writeAdversarialCsv(input, 2000, 11);
    expect(readFileSync(input, "utf8").split("\n").length).toBeGreaterThan(2000);
    const results = await compareEngineToReference({
      engine,
      input,
      geoDbPath: defaultGeoDb,
      threads: 1,
      memoryLimit: "512MB",
    });
    for (const r of results) {
      expect(r.referenceRows, r.table).toBeGreaterThan(0);
      expect(r.diff, `${engine} ${r.table}`).toBeNull();
    }
  });
});
