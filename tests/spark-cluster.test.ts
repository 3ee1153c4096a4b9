import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../src/config/settings.ts";
import { runPipeline } from "../src/harness/runPipeline.ts";
import { canonicalTables } from "../src/spark/canonicalTables.ts";
import { processesInGroups, SparkCluster } from "../src/spark/SparkCluster.ts";

const GOLDEN = join(projectRoot, "tests", "fixtures", "golden");

describe("Spark standalone cluster (etl spark-cluster)", () => {
  const dir = mkdtempSync(join(tmpdir(), "spark-cluster-"));
  const warehouse = join(dir, "warehouse");
  let pgids: number[] = [];
  afterAll(async () => {
    await SparkCluster.stop(dir).catch(() => []);
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs the golden input on 2 workers with the same tables, and stop leaves nothing running", async () => {
    // Free ports: a cluster started by hand on 7077/8080 is not disturbed.
    const state = await SparkCluster.start({
      workers: 2,
      coresPerWorker: 1,
      memoryPerWorker: "1g",
      port: 0,
      webUiPort: 0,
      dir,
    });
    pgids = [state.master.pid, ...state.workers.map((w) => w.pid)];
    const status = await SparkCluster.status(dir);
    expect(status.aliveWorkers).toBe(2);
    expect(status.running.every((d) => d.alive)).toBe(true);

    process.env.ETL_SPARK_CLUSTER_DIR = dir; // the engine sizes executors from this cluster
    try {
      const summary = await runPipeline({
        engine: "spark",
        input: join(GOLDEN, "input.csv"),
        warehouse,
        sparkMaster: state.masterUrl,
        memoryLimit: "1GB",
        log: () => {},
      });
      expect(summary.error).toBeNull();
      expect(summary.success).toBe(true);
    } finally {
      delete process.env.ETL_SPARK_CLUSTER_DIR;
    }
    // Executors ran inside the workers' process groups (their logs are in the worker dirs).
    const got = canonicalTables(warehouse, "spark");
    for (const t of ["events", "sessions", "rejects"] as const) {
      expect(got[t], t).toBe(readFileSync(join(GOLDEN, "expected", `${t}.csv`), "utf8"));
    }

    const stopped = await SparkCluster.stop(dir);
    expect(stopped.sort()).toEqual([...pgids].sort());
    expect(processesInGroups(pgids)).toEqual([]);
    expect((await SparkCluster.status(dir)).state).toBeNull();
  }, 600_000);
});
