import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expandMatrix } from "../src/bench/BenchMatrix.ts";
import { findMismatches, markEquivalence } from "../src/bench/equivalence.ts";
import { readRows } from "../src/bench/runMatrix.ts";
import { validateBenchRow } from "../src/bench/validateBenchRow.ts";
import { projectRoot } from "../src/config/settings.ts";

const dir = mkdtempSync(join(tmpdir(), "bench-smoke-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("etl bench --preset smoke", () => {
  it("runs floor, DuckDB, Polars and Spark; every row fits the schema; the engines agree", async () => {
    const results = join(dir, "smoke.jsonl");
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          [
            join(projectRoot, "bin", "etl.js"),
            "bench",
            "--preset",
            "smoke",
            "--force",
            "--results",
            results,
          ],
          { cwd: projectRoot, maxBuffer: 1 << 26 },
          (err, stdout, stderr) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      },
    );
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    const rows = readRows(results);
    expect(rows.map((r) => r.target).sort()).toEqual(["duckdb", "floor", "polars", "spark"]);
    for (const r of rows) {
      validateBenchRow(r, `${r.cell_id}#${r.repetition}`);
      expect(r.success, `${r.cell_id}: ${r.error}`).toBe(true);
      expect(r.peak_rss_bytes).toBeGreaterThan(10 * 2 ** 20);
      expect(r.cpu_seconds).toBeGreaterThan(0);
    }
    const engines = rows.filter((r) => r.target !== "floor");
    for (const r of engines) {
      expect(r.rows_in).toBe(3000);
      expect(r.events_out! + r.rejects!).toBe(r.rows_in);
      expect(r.fingerprints?.events).toMatch(/^v1:\d+:[0-9a-f]{32}$/);
    }
    // The first engine is the baseline; the other two were compared with it and agreed.
    expect(engines.filter((r) => r.equivalent === true)).toHaveLength(2);
    expect(findMismatches(rows)).toEqual([]);
    expect(run.stdout).toContain("equivalence: every successful engine agrees");
  }, 900_000);
});

describe("matrix expansion and equivalence marking", () => {
  it("expands groups into cells, derives box memory, refuses unknown keys by name", () => {
    const m = expandMatrix(
      {
        name: "t",
        boxes: { "1c-4g": { cores: 1, memory: "4g" } },
        groups: [
          { targets: ["duckdb", "spark"], events: ["1m"], boxes: ["1c-4g"], reps: 2 },
          {
            targets: ["spark"],
            events: ["10m"],
            spark: { master: "standalone", workers: [1, 2], worker_box: "1c-4g" },
          },
        ],
      },
      "t.yaml",
    );
    expect(m.cells.map((c) => c.id)).toEqual([
      "duckdb-1m-csv-t1-1c-4g",
      "spark-1m-csv-t1-1c-4g",
      "spark-10m-csv-t1-sw1x1c-4g",
      "spark-10m-csv-t2-sw2x1c-4g",
    ]);
    expect(m.cells[0].memoryLimit).toBe("3072MB");
    expect(m.cells[1].memoryLimit).toBe("2457MB");
    // Repetition-major inside a group: both cells once, then both again.
    expect(m.runs.slice(0, 4).map((r) => `${r.cell.id}#${r.repetition}`)).toEqual([
      "duckdb-1m-csv-t1-1c-4g#1",
      "spark-1m-csv-t1-1c-4g#1",
      "duckdb-1m-csv-t1-1c-4g#2",
      "spark-1m-csv-t1-1c-4g#2",
    ]);
    expect(() =>
      expandMatrix({ groups: [{ targets: ["pandas"], events: ["1m"] }] }, "x.yaml"),
    ).toThrow(/x.yaml: groups\[0\].targets: unknown pandas/);
  });

  it("marks a row that disagrees with an earlier engine on the same input", () => {
    const base = { success: true, events: 1000, input_format: "csv", repetition: 1 };
    const a = {
      ...base,
      cell_id: "duckdb",
      fingerprints: { events: "x", sessions: "y", rejects: "z" },
    };
    const b = {
      ...base,
      cell_id: "polars",
      fingerprints: { events: "x", sessions: "y", rejects: "w" },
    };
    const rows = [a, b] as unknown as Parameters<typeof findMismatches>[0];
    markEquivalence(rows[1], [rows[0]]);
    expect(rows[1].equivalent).toBe(false);
    expect(rows[1].equivalent_to).toBe("duckdb#1");
    expect(findMismatches(rows)).toHaveLength(1);
  });
});
