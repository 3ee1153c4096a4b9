import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultGeoDb } from "../src/config/settings.ts";
import type { Engine, EngineRun } from "../src/engines/Engine.ts";
import { createEngine } from "../src/engines/duckdb/DuckDbEngine.ts";
import { runPipeline } from "../src/harness/runPipeline.ts";
import { RAW_COLUMNS, TABLES, type TableName } from "../src/lakehouse/tables.ts";
import { canonicalFromParquet } from "../src/verify/canonicalFromParquet.ts";
import { recordPhases } from "../src/harness/recordPhases.ts";

const GOLDEN = join(import.meta.dirname, "fixtures", "golden");
const TABLE_NAMES: TableName[] = ["events", "sessions", "rejects"];
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "etl-duckdb-test-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function stage(input: string, name: string): Promise<EngineRun> {
  const engine: Engine = createEngine();
  await engine.open({ threads: 2, memoryLimit: "512MB" });
  try {
    return await engine.run(
      {
        input,
        geoDbPath: defaultGeoDb,
        warehouse: join(work, "unused-warehouse"),
        namespace: "duckdb",
        mode: "overwrite",
        stagingDir: join(work, name),
      },
      recordPhases(),
    );
  } finally {
    await engine.close();
  }
}

function files(run: EngineRun, table: TableName): string[] {
  return run.staged.find((t) => t.table === table)!.files.map((f) => f.path);
}

describe("DuckDB engine on the golden vectors", () => {
  for (const input of ["input.csv", "input.parquet"]) {
    it(`reproduces expected/*.csv exactly from ${input}`, async () => {
      const run = await stage(join(GOLDEN, input), input.replace(".", "-"));
      expect(run.counts).toEqual({ rowsIn: 177, events: 139, sessions: 21, rejects: 38 });
      for (const table of TABLE_NAMES) {
        const got = await canonicalFromParquet(TABLES[table], files(run, table));
        const want = readFileSync(join(GOLDEN, "expected", `${table}.csv`), "utf8");
        expect(got, `${table} from ${input}`).toBe(want);
      }
    });
  }

  it("stages one file per UTC day with its partition day and record count", async () => {
    const run = await stage(join(GOLDEN, "input.csv"), "partitions");
    for (const table of ["events", "sessions"] as const) {
      const staged = run.staged.find((t) => t.table === table)!.files;
      const days = staged.map((f) => f.partitionDay);
      expect(new Set(days).size, `${table}: one file per day`).toBe(days.length);
      for (const f of staged) {
        const day = new Date(f.partitionDay! * 86_400_000).toISOString().slice(0, 10);
        expect(f.path).toContain(`_day=${day}/`);
        expect(f.recordCount).toBeGreaterThan(0);
      }
    }
    const rejects = run.staged.find((t) => t.table === "rejects")!.files;
    expect(rejects.map((f) => [f.partitionDay, f.recordCount])).toEqual([[null, 38]]);
    // M01-M02 cross midnight into 2026: their session belongs to 2025-12-31 (day 20453);
    // Y02 is on 2000-02-29 (day 11016).
    const sessionDays = run.staged
      .find((t) => t.table === "sessions")!
      .files.map((f) => f.partitionDay);
    expect(sessionDays).toContain(20453);
    expect(sessionDays).toContain(11016);
  });

  it("reads a lone CR in an unquoted field as data (§I2), which DuckDB's reader refuses", async () => {
    const path = join(work, "lone-cr.csv");
    writeFileSync(
      path,
      `${RAW_COLUMNS.join(",")}\n` +
        "e1,u1,2026-01-01T10:00:00Z,click,/a\r,,8.8.8.8,U\rA,\n" +
        "e2,u1,2026-01-01T10:01:00Z,click\r,/b,,8.8.8.8,UA,\r\n",
    );
    const run = await stage(path, "lone-cr");
    expect(run.counts).toEqual({ rowsIn: 2, events: 2, sessions: 1, rejects: 0 });
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:", { threads: "1", memory_limit: "256MB" });
    const con = await db.connect();
    const list = files(run, "events").map((f) => `'${f.replaceAll("'", "''")}'`);
    const reader = await con.runAndReadAll(
      `SELECT event_id, event_type, page_url, user_agent FROM read_parquet([${list.join(", ")}]) ORDER BY event_id`,
    );
    // §C1 trims the CR at either end; the one inside "U\rA" stays.
    expect(reader.getRowObjectsJS()).toEqual([
      { event_id: "e1", event_type: "click", page_url: "/a", user_agent: "U\rA" },
      { event_id: "e2", event_type: "click", page_url: "/b", user_agent: "UA" },
    ]);
    con.closeSync();
  });

  it("reads a file mixing LF and CR LF record ends (§I2), which DuckDB's reader refuses", async () => {
    const path = join(work, "mixed-ends.csv");
    writeFileSync(
      path,
      `${RAW_COLUMNS.join(",")}\n` +
        "e1,u1,2026-01-01T10:00:00Z,click,/a,,8.8.8.8,UA,\r\n" +
        "e2,u1,2026-01-01T10:01:00Z,click,/b,,8.8.8.8,UA,1\n" +
        "e3,u2,2026-01-01T10:02:00Z,click,/c,,8.8.8.8,UA,2\r\n",
    );
    const run = await stage(path, "mixed-ends");
    expect(run.counts).toEqual({ rowsIn: 3, events: 3, sessions: 2, rejects: 0 });
  });

  it("writes Iceberg field ids and physical types, without the partition column", async () => {
    const run = await stage(join(GOLDEN, "input.csv"), "schema");
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:", { threads: "1", memory_limit: "256MB" });
    const con = await db.connect();
    const file = files(run, "events")[0].replaceAll("'", "''");
    const reader = await con.runAndReadAll(
      `SELECT name, field_id, type, logical_type, converted_type FROM parquet_schema('${file}') WHERE name <> 'duckdb_schema'`,
    );
    const rows = reader.getRowObjectsJS();
    expect(rows.map((r) => [r.name, Number(r.field_id)])).toEqual(
      TABLES.events.columns.map((c) => [c.name, c.id]),
    );
    const byName = new Map(rows.map((r) => [String(r.name), r]));
    expect(String(byName.get("event_time")!.logical_type)).toMatch(/isAdjustedToUTC=1.*MICROS/i);
    expect(byName.get("event_seq")!.type).toBe("INT32");
    expect(String(byName.get("revenue")!.logical_type)).toMatch(/scale=2.*precision=12/);
    expect(byName.get("session_id")!.converted_type).toBe("UTF8");
    con.closeSync();
  });
});

describe("runPipeline with the DuckDB engine", () => {
  it("commits three Iceberg tables and reports a complete summary", async () => {
    const warehouse = join(work, "wh-ok");
    const lines: string[] = [];
    const summary = await runPipeline({
      engine: "duckdb",
      input: join(GOLDEN, "input.csv"),
      warehouse,
      threads: 2,
      memoryLimit: "512MB",
      log: (l) => lines.push(l),
    });
    expect(summary.error).toBeNull();
    expect(summary).toMatchObject({
      success: true,
      engine: "duckdb",
      input_format: "csv",
      rows_in: 177,
      events: 139,
      sessions: 21,
      rejects: 38,
      namespace: "duckdb",
      threads: 2,
      memory_limit: "512MB",
      committed: true,
    });
    expect(summary.engine_version).toMatch(/^1\.\d+\.\d+/);
    expect(Object.keys(summary.phases)).toEqual([
      "ingest_ms",
      "cleanse_ms",
      "enrich_ms",
      "sessionize_ms",
      "write_ms",
      "sessions_ms",
      "commit_ms",
    ]);
    expect(Object.keys(summary.snapshots).sort()).toEqual(["events", "rejects", "sessions"]);
    expect(summary.peak_rss_bytes).toBeGreaterThan(50e6);
    expect(summary.cpu_seconds).toBeGreaterThan(0);
    expect(summary.geo_db?.build_date).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(lines.some((l) => l.includes("write done in"))).toBe(true);
    expect(existsSync(join(warehouse, "catalog.db"))).toBe(true);
    // Staged files were moved into the tables; nothing is left behind.
    expect(existsSync(join(warehouse, ".staging"))).toBe(false);
  });

  it("gives three empty tables for a header-only file", async () => {
    const summary = await runPipeline({
      engine: "duckdb",
      input: join(GOLDEN, "empty.csv"),
      warehouse: join(work, "wh-empty"),
      commit: false,
      threads: 1,
      memoryLimit: "256MB",
      log: () => {},
    });
    expect(summary).toMatchObject({
      success: true,
      rows_in: 0,
      events: 0,
      sessions: 0,
      rejects: 0,
    });
    for (const table of TABLE_NAMES) {
      const dir = join(summary.staging_dir!, table);
      const left = existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]) : [];
      expect(
        left.filter((f) => f.endsWith(".parquet")),
        table,
      ).toEqual([]);
    }
  });

  const zeroByte = (): string => {
    const path = join(work, "zero.csv");
    writeFileSync(path, "");
    return path;
  };
  const bad: [string, () => string, RegExp][] = [
    [
      "missing_column.csv",
      () => join(GOLDEN, "bad", "missing_column.csv"),
      /: header lacks column event_time/,
    ],
    [
      "wrong_field_count.csv",
      () => join(GOLDEN, "bad", "wrong_field_count.csv"),
      / line 6: expected 9 fields as in the header, found 8/,
    ],
    [
      "unbalanced_quote.csv",
      () => join(GOLDEN, "bad", "unbalanced_quote.csv"),
      / line 3: .*unbalanced quote/,
    ],
    ["quote_in_field.csv", () => join(GOLDEN, "bad", "quote_in_field.csv"), / line 3: .*quote/],
    ["not_utf8.csv", () => join(GOLDEN, "bad", "not_utf8.csv"), / line 3: .*UTF-8/],
    [
      "blank_line.csv",
      () => join(GOLDEN, "bad", "blank_line.csv"),
      / line 3: expected 9 fields as in the header, found 1/,
    ],
    ["a zero-byte file", zeroByte, /: header lacks column event_id/],
  ];
  for (const [name, path, message] of bad) {
    it(`refuses ${name}, naming the file, and commits nothing`, async () => {
      const warehouse = join(work, `wh-bad-${name.replace(/\W/g, "_")}`);
      const input = path();
      const summary = await runPipeline({
        engine: "duckdb",
        input,
        warehouse,
        threads: 1,
        memoryLimit: "256MB",
        log: () => {},
      });
      expect(summary.success).toBe(false);
      expect(summary.failed_phase).toMatch(/^(ingest|cleanse)$/);
      expect(summary.error).toContain(input);
      expect(summary.error).toMatch(message);
      expect(summary.committed).toBe(false);
      expect(summary.snapshots).toEqual({});
      expect(existsSync(join(warehouse, "catalog.db"))).toBe(false);
      expect(existsSync(join(warehouse, ".staging"))).toBe(false);
    });
  }
});
