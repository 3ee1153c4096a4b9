import { describe, expect, it } from "vitest";
import type { BenchRow } from "../src/bench/BenchRow.ts";
import { benchRowSchema, validateBenchRow } from "../src/bench/validateBenchRow.ts";

// Every field typed: the compiler refuses this literal when BenchRow gains or loses a field,
// and the test below refuses it when the JSON Schema's field list differs from it.
function sampleRow(): BenchRow {
  return {
    schema_version: "1.1",
    run_id: "2026-12-01T11:00:00Z-abc",
    matrix: "smoke",
    matrix_file: null,
    code_version: "abc1234",
    cell_id: "duckdb-5k-csv-t2-bare",
    repetition: 1,
    target: "duckdb",
    engine_version: "DuckDB v1.5.0",
    events: 5000,
    input_format: "csv",
    input_path: "data/generated/clickstream-5k.csv",
    input_bytes: 1_450_000,
    threads: 2,
    memory_limit: "4GB",
    box: null,
    box_cores: null,
    box_memory_bytes: null,
    box_enforced: false,
    box_note: null,
    cores_available: 2,
    spark_master: null,
    spark_workers: null,
    spark_mode: null,
    spark_settings: null,
    success: true,
    failure_reason: null,
    error: null,
    exit_code: 0,
    exit_signal: null,
    wall_ms: 812.5,
    startup_ms: 120,
    phases: { ingest_ms: 40, commit_ms: 12 },
    phases_source: "engine",
    peak_rss_bytes: 200_000_000,
    cpu_seconds: 1.2,
    cpu_mean_util: 0.6,
    cpu_max_util: 1,
    sample_interval_ms: 100,
    samples: 9,
    cgroup_mem_failcnt: null,
    cgroup_oom_killed: null,
    cgroup_max_usage_bytes: null,
    rows_in: 5000,
    events_out: 4900,
    sessions: 800,
    rejects: 100,
    fingerprints: { events: "a", sessions: "b", rejects: "c" },
    equivalent: true,
    equivalent_to: "polars-5k-csv-t2-bare#1",
    host: {
      cpu: "x",
      physical_cores: 2,
      logical_cores: 2,
      memory_bytes: 24e9,
      os: "Debian",
      node: "v20",
      hostname: "h",
    },
    load_avg_before: [0.5, 0.4, 0.3],
    started_at: "2026-12-01T11:00:00.000Z",
    finished_at: "2026-12-01T11:00:01.000Z",
  };
}

describe("bench row schema", () => {
  it("lists in the JSON Schema exactly the fields of the TypeScript type", () => {
    expect(Object.keys(benchRowSchema.properties).sort()).toEqual(Object.keys(sampleRow()).sort());
    // Fields added after 1.0 are optional, so 1.0 rows stay valid (additive changes only).
    const added = ["code_version", "spark_settings", "cgroup_max_usage_bytes"];
    expect([...benchRowSchema.required].sort()).toEqual(
      Object.keys(sampleRow())
        .filter((k) => !added.includes(k))
        .sort(),
    );
    const {
      code_version: _c,
      spark_settings: _s,
      cgroup_max_usage_bytes: _m,
      ...v10
    } = sampleRow();
    expect(() => validateBenchRow({ ...v10, schema_version: "1.0" })).not.toThrow();
  });

  it("accepts a complete row and a failed row", () => {
    expect(() => validateBenchRow(sampleRow())).not.toThrow();
    const failed = {
      ...sampleRow(),
      success: false,
      failure_reason: "oom",
      error: "killed by the memory box",
      wall_ms: null,
      fingerprints: null,
      equivalent: null,
    };
    expect(() => validateBenchRow(failed)).not.toThrow();
  });

  it("refuses a missing field, an unknown field, a failure without reason, a bad target", () => {
    const { wall_ms: _drop, ...missing } = sampleRow();
    expect(() => validateBenchRow(missing, "r1")).toThrow(/r1 .*wall_ms/);
    expect(() => validateBenchRow({ ...sampleRow(), extra: 1 })).toThrow(/additional/);
    expect(() => validateBenchRow({ ...sampleRow(), success: false })).toThrow(/failure_reason/);
    expect(() => validateBenchRow({ ...sampleRow(), target: "pandas" })).toThrow(/target/);
    expect(() => validateBenchRow({ ...sampleRow(), box_enforced: true, box: null })).toThrow(
      /box/,
    );
  });
});
