import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../src/config/settings.ts";
import { runPipeline } from "../src/harness/runPipeline.ts";
import { canonicalTables } from "../src/spark/canonicalTables.ts";
import { diffCanonical } from "../src/verify/diffCanonical.ts";

describe("Spark and DuckDB give the same tables on 100k generated events", () => {
  const dir = mkdtempSync(join(tmpdir(), "spark-vs-duckdb-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("equal canonical events, sessions and rejects (dirty data included)", async () => {
    const input = join(dir, "clickstream-100k.csv");
    execFileSync(
      process.execPath,
      [
        join(projectRoot, "bin", "etl.js"),
        "generate",
        "--events",
        "100000",
        "--seed",
        "7",
        "--out",
        input,
      ],
      { stdio: "ignore" },
    );
    const warehouse = join(dir, "warehouse");
    for (const engine of ["duckdb", "spark"]) {
      const summary = await runPipeline({
        engine,
        input,
        warehouse,
        threads: 2,
        memoryLimit: "2GB",
        log: () => {},
      });
      expect(summary.error, engine).toBeNull();
      expect(summary.rows_in, engine).toBe(100_000);
    }
    const duck = canonicalTables(warehouse, "duckdb");
    const spark = canonicalTables(warehouse, "spark");
    for (const t of ["events", "sessions", "rejects"] as const) {
      expect(duck[t], `duckdb.${t}`).not.toBeNull();
      const diff = diffCanonical(duck[t]!, spark[t]!);
      expect(diff, `spark.${t} vs duckdb.${t}`).toBeNull();
    }
  }, 600_000);
});
