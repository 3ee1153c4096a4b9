import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../src/config/settings.ts";
import { SparkEngine } from "../src/engines/spark/SparkEngine.ts";
import { findSparkInstall } from "../src/spark/sparkInstall.ts";
import {
  defaultDriverMemory,
  planSubmit,
  sparkSubmitArgs,
  toSparkMemory,
} from "../src/engines/spark/sparkSubmitArgs.ts";
import { runPipeline } from "../src/harness/runPipeline.ts";
import { canonicalTables } from "../src/spark/canonicalTables.ts";
import { recordPhases } from "../src/harness/recordPhases.ts";

const GOLDEN = join(projectRoot, "tests", "fixtures", "golden");
const TABLE_NAMES = ["events", "sessions", "rejects"] as const;

function expectGolden(warehouse: string, namespace: string): void {
  const got = canonicalTables(warehouse, namespace);
  for (const t of TABLE_NAMES) {
    expect(got[t], `${namespace}.${t}`).toBe(
      readFileSync(join(GOLDEN, "expected", `${t}.csv`), "utf8"),
    );
  }
}

describe("spark-submit plan", () => {
  it("sizes local runs from threads and memory, clusters from their workers", () => {
    expect(toSparkMemory("4GB")).toBe("4g");
    expect(toSparkMemory("512MB")).toBe("512m");
    expect(() => toSparkMemory("lots")).toThrow(/not understood/);
    const local = planSubmit({
      threads: 3,
      memoryLimit: "2GB",
      jars: ["/a.jar"],
      localDir: "/tmp/x",
    });
    expect(local).toMatchObject({
      master: "local[3]",
      driverMemory: "2g",
      cores: 3,
      shufflePartitions: 6,
    });
    // No --memory-limit: half of the box, at least 1 GiB.
    expect(defaultDriverMemory(24 * 2 ** 30)).toBe("12288m");
    expect(defaultDriverMemory(1 * 2 ** 30)).toBe("1024m");
    const cluster = planSubmit({
      sparkMaster: "spark://127.0.0.1:7077",
      boxBytes: 6 * 2 ** 30,
      jars: ["/a.jar", "/b.jar"],
      localDir: "/tmp/x",
      cluster: { workers: 2, coresPerWorker: 1, memoryPerWorker: "1g" },
    });
    expect(cluster).toMatchObject({
      cores: 2,
      shufflePartitions: 4,
      executorMemory: "1g",
      executorCores: 1,
    });
    const args = sparkSubmitArgs(cluster, "/main.py");
    expect(args.slice(0, 6)).toEqual([
      "--master",
      "spark://127.0.0.1:7077",
      "--driver-memory",
      "3072m",
      "--jars",
      "/a.jar,/b.jar",
    ]);
    expect(args).toContain("spark.sql.adaptive.enabled=true");
    expect(args).toContain("spark.cores.max=2");
    expect(args).not.toContain("--packages");
    expect(args.slice(-2)).toEqual(["/main.py", "--serve"]);
  });
});

describe("Spark engine through the harness (etl run --engine spark)", () => {
  const warehouse = mkdtempSync(join(tmpdir(), "spark-engine-"));
  afterAll(() => rmSync(warehouse, { recursive: true, force: true }));

  it("commits the golden tables itself, equal to expected/*.csv (read back by PyIceberg)", async () => {
    const lines: string[] = [];
    const summary = await runPipeline({
      engine: "spark",
      input: join(GOLDEN, "input.csv"),
      warehouse,
      threads: 2,
      memoryLimit: "1GB",
      log: (l) => lines.push(l),
    });
    expect(summary.error).toBeNull();
    expect(summary).toMatchObject({
      success: true,
      committed: true,
      namespace: "spark",
      rows_in: 177,
    });
    expect(summary.events! + summary.rejects!).toBe(summary.rows_in);
    // The fair job (default): Spark fuses cleanse..sessions into the write jobs; the phase
    // times are its own job spans (spark/README.md).
    expect(Object.keys(summary.phases)).toEqual(["ingest_ms", "write_ms"]);
    expect(summary.startup_ms).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes("write done in"))).toBe(true);
    expectGolden(warehouse, "spark");
  }, 300_000);

  it("passes the job's refusal through: success=false in ingest with the job's message", async () => {
    // The job's side (file and line named, no table changed) is tested in
    // tests/python/test_spark_pipeline.py; here a stand-in spark-submit speaks the same
    // protocol, so the TypeScript side is tested without a JVM.
    const dir = mkdtempSync(join(tmpdir(), "spark-fake-"));
    const fake = join(dir, "spark-submit");
    writeFileSync(
      fake,
      [
        "#!/bin/sh",
        'echo "some Spark log line"',
        'echo \'ETL_READY {"startup_ms": 5, "spark_version": "9.9.9"}\'',
        'while [ ! -f "$ETL_REQUEST_FILE" ]; do sleep 0.02; done',
        'echo \'ETL_PROGRESS {"phase": "ingest", "state": "start"}\'',
        'echo \'ETL_ERROR {"kind": "input", "message": "/x.csv line 3: a quote inside an unquoted field"}\'',
        "exit 2",
      ].join("\n") + "\n",
    );
    chmodSync(fake, 0o755);
    const engine = new SparkEngine({ ...findSparkInstall(), sparkSubmit: fake });
    await engine.open({ threads: 1 });
    expect(await engine.version()).toBe("9.9.9");
    const phases: string[] = [];
    await expect(
      engine.run(
        {
          input: "/x.csv",
          geoDbPath: "/geo.mmdb",
          warehouse: dir,
          namespace: "spark",
          mode: "overwrite",
          stagingDir: dir,
        },
        recordPhases((e) => phases.push(`${e.phase}:${e.state}`)),
      ),
    ).rejects.toThrow("/x.csv line 3: a quote inside an unquoted field");
    expect(phases).toEqual(["ingest:start"]);
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
