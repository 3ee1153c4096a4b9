import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pl from "nodejs-polars";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineRun, StagedTable } from "../src/engines/Engine.ts";
import { createEngine } from "../src/engines/polars/PolarsEngine.ts";
import {
  eventType,
  ipAddress,
  revenue,
  withEventTime,
  withTrimmed,
} from "../src/engines/polars/cleanse.ts";
import { RAW_COLUMNS, TABLES, type TableName } from "../src/lakehouse/tables.ts";
import { sessionId } from "../src/spec/sessionId.ts";
import { toCanonicalCsv } from "../src/verify/canonical.ts";
import { polarsParquetRows } from "./util/polarsParquetRows.ts";
import { recordPhases } from "../src/harness/recordPhases.ts";

const GOLDEN = new URL("./fixtures/golden/", import.meta.url).pathname;
const GEO_DB = "node_modules/@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb";

interface Case<I, E> {
  input: I;
  expected: E;
  why: string;
}

function vectors<I, E>(name: string): Case<I, E>[] {
  const url = new URL(`./fixtures/vectors/${name}.json`, import.meta.url);
  const cases = JSON.parse(readFileSync(url, "utf8")) as Case<I, E>[];
  expect(cases.length).toBeGreaterThan(5);
  return cases;
}

/** Runs one expression over a Utf8 column holding the vector inputs. */
function evaluate(inputs: (string | null)[], expr: (x: pl.Expr) => pl.Expr): unknown[] {
  return transform(inputs, (lf) => lf.select(expr(pl.col("x")).alias("x")));
}

/** Runs one frame step over a Utf8 column `x` holding the vector inputs; reads back `x`. */
function transform(
  inputs: (string | null)[],
  step: (lf: pl.LazyDataFrame) => pl.LazyDataFrame,
): unknown[] {
  const df = pl.DataFrame({ x: pl.Series("x", inputs, pl.Utf8) });
  return step(df.lazy()).collectSync().getColumn("x").toArray();
}

describe("polars rule expressions reproduce the shared vectors", () => {
  it("trim (§C1)", () => {
    const cases = vectors<string | null, string | null>("trim");
    const got = transform(
      cases.map((c) => c.input),
      (lf) => withTrimmed(lf, ["x"]),
    );
    cases.forEach((c, i) => expect(got[i], c.why).toBe(c.expected));
  });

  it("event_time (§C5)", async () => {
    const cases = vectors<string | null, string | null>("event_time");
    const input = pl
      .DataFrame({
        x: pl.Series(
          "x",
          cases.map((c) => c.input),
          pl.Utf8,
        ),
      })
      .lazy();
    const parsed = await (await withEventTime(input, "x", "t")).collect();
    const byInput = new Map(
      (
        parsed.select(pl.col("x"), pl.col("t").cast(pl.Utf8)).toRecords() as {
          x: string | null;
          t: string | null;
        }[]
      ).map((r) => [r.x, r.t]),
    );
    expect(parsed.height).toBe(cases.length);
    const got = cases.map((c) => byInput.get(c.input));
    cases.forEach((c, i) => expect(got[i], `${c.input}: ${c.why}`).toBe(c.expected));
  });

  it("event_type (§C6)", () => {
    const cases = vectors<string | null, string>("event_type");
    const got = evaluate(
      cases.map((c) => c.input),
      (x) => eventType(x),
    );
    cases.forEach((c, i) => expect(got[i], c.why).toBe(c.expected));
  });

  it("ip_address (§C7)", () => {
    const cases = vectors<string | null, boolean>("ip_address");
    const got = evaluate(
      cases.map((c) => c.input),
      (x) => ipAddress(x).isNotNull(),
    );
    cases.forEach((c, i) => expect(got[i], `${c.input}: ${c.why}`).toBe(c.expected));
  });

  it("revenue (§C8)", () => {
    const cases = vectors<string | null, string | null>("revenue");
    const got = evaluate(
      cases.map((c) => c.input),
      (x) => revenue(x).cast(pl.Utf8),
    );
    cases.forEach((c, i) => expect(got[i], `${c.input}: ${c.why}`).toBe(c.expected));
  });

  it("sorts Utf8 byte-wise, nulls first (§C10, §S1)", () => {
    // U+FFFD sorts before U+10000 in UTF-16 code units but after it in UTF-8 bytes.
    const values = ["\u{10000}", "\uFFFD", "z", "É", null, "é", "a"];
    const sorted = pl
      .DataFrame({ s: pl.Series("s", values, pl.Utf8) })
      .sort("s")
      .getColumn("s")
      .toArray();
    expect(sorted).toEqual([null, "a", "z", "É", "é", "\uFFFD", "\u{10000}"]);
  });
});

/** Reads the staged Parquet files of one table back as canonical CSV. */
function stagedCanonical(staged: StagedTable[], name: TableName): string {
  const table = TABLES[name];
  const files = staged.find((s) => s.table === name)!.files;
  const rows: Record<string, unknown>[] = [];
  for (const f of files) {
    const df = pl.readParquet(f.path);
    expect(df.columns).toEqual(table.columns.map((c) => c.name));
    expect(df.height).toBe(f.recordCount);
    rows.push(...polarsParquetRows(f.path, table));
  }
  return toCanonicalCsv(table, rows);
}

async function runPolars(input: string, stagingDir: string): Promise<EngineRun> {
  const engine = createEngine();
  await engine.open({});
  try {
    return await engine.run(
      {
        input,
        geoDbPath: GEO_DB,
        warehouse: join(stagingDir, "wh"),
        namespace: "polars",
        mode: "overwrite",
        stagingDir,
      },
      recordPhases(),
    );
  } finally {
    await engine.close();
  }
}

const SMALL_CSV = [
  [...RAW_COLUMNS, "extra"].join(","),
  "e1,u1,2026-01-01T00:00:00Z,PAGE_VIEW,/a,,8.8.8.8,ua,,x",
  "e2,u1,2026-01-01T00:30:00Z,click,/b,,8.8.8.8,ua,,x",
  "e3,u1,2026-01-01T01:00:00.000001Z,purchase,/c,,1.1.1.1,ua,12.3,x",
  "e4,u2,2026-01-01 10:00:00+02:00,,/a,, 2001:db8::1 ,ua,-0.5,x",
  "e4,u2,2026-01-01 10:00:00+02:00,,/a,, 2001:db8::1 ,ua,-0.5,y",
  "e9,u2,2026-01-02T08:00:00Z,Purchase,/p,,010.1.1.1,ua, 7 ,x",
  "e9,u2,2026-01-02T08:00:00.000000Z,purchase,/q,,,ua,1.005,x",
  "e5,,2026-01-01T00:00:00Z,x,,,,,,x",
  "e6,u3,2026-02-30T00:00:00Z,x,,,,,,x",
  ",u3,2026-02-03T00:00:00Z,x,,,,,,x",
  'e7,u3,"",x,,,,,,x',
  'e8,u3,2025-12-31T23:59:59-00:30,x,,,,," 1,000",x',
  "",
].join("\r\n");

describe.each(["input.csv", "input_crlf.csv", "input.parquet"])(
  "PolarsEngine on the golden %s",
  (input) => {
    const dir = mkdtempSync(join(tmpdir(), "polars-golden-"));
    let run: EngineRun;
    beforeAll(async () => {
      run = await runPolars(join(GOLDEN, input), join(dir, "staging"));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each(["events", "sessions", "rejects"] as const)("reproduces expected/%s.csv", (table) => {
      const expected = readFileSync(join(GOLDEN, "expected", `${table}.csv`), "utf8");
      expect(stagedCanonical(run.staged, table)).toBe(expected);
    });

    it("stages Parquet with the schema's field ids and no Arrow schema (read by DuckDB)", async () => {
      const { DuckDBInstance } = await import("@duckdb/node-api");
      const db = await DuckDBInstance.create(":memory:", { threads: "1", memory_limit: "256MB" });
      const con = await db.connect();
      try {
        for (const staged of run.staged) {
          const table = TABLES[staged.table];
          for (const file of staged.files) {
            const schema = (
              await con.runAndReadAll(
                `SELECT name, field_id, type, logical_type::VARCHAR AS logical FROM parquet_schema('${file.path}') WHERE name <> 'root'`,
              )
            ).getRowObjectsJS();
            expect(schema.map((r) => [r.name, Number(r.field_id)])).toEqual(
              table.columns.map((c) => [c.name, c.id]),
            );
            const kv = (
              await con.runAndReadAll(`SELECT key FROM parquet_kv_metadata('${file.path}')`)
            ).getRowObjectsJS();
            expect(kv).toEqual([]);
            if (staged.table === "events") {
              const time = schema.find((r) => r.name === "event_time")!;
              expect([time.type, String(time.logical)]).toEqual([
                "INT64",
                expect.stringMatching(/isAdjustedToUTC=1|is_adjusted_to_utc=true/i),
              ]);
            }
          }
        }
      } finally {
        con.closeSync();
      }
    });

    it("balances rows in = events + rejects", () => {
      expect(run.counts.rowsIn).toBe(run.counts.events + run.counts.rejects);
      expect(run.counts.rowsIn).toBeGreaterThan(100);
    });
  },
);

describe("PolarsEngine end to end (own cases from the spec)", () => {
  const dir = mkdtempSync(join(tmpdir(), "polars-e2e-"));
  let run: EngineRun;
  beforeAll(async () => {
    const input = join(dir, "small.csv");
    writeFileSync(input, SMALL_CSV);
    run = await runPolars(input, join(dir, "staging"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("counts every row once", () => {
    expect(run.counts).toEqual({ rowsIn: 12, events: 6, sessions: 5, rejects: 6 });
  });

  it("stages events and sessions per day with partitionDay and recordCount", () => {
    // Summed per day: the out-of-core path (ETL_POLARS_OUT_OF_CORE) stages a file per bucket.
    const perDay = (table: TableName) => {
      const sums = new Map<number | null, number>();
      for (const f of run.staged.find((s) => s.table === table)!.files)
        sums.set(f.partitionDay, (sums.get(f.partitionDay) ?? 0) + f.recordCount);
      return [...sums];
    };
    expect(perDay("events")).toEqual([
      [20454, 5],
      [20455, 1],
    ]);
    const events = run.staged.find((s) => s.table === "events")!.files;
    expect(events[0]!.path).toMatch(/[/\\]events[/\\]day=2026-01-01[/\\]part-\w+\.parquet$/);
    expect(perDay("rejects")).toEqual([[null, 6]]);
  });

  it("writes the events the spec asks for", () => {
    const s1 = sessionId("u1", 1767225600000000n);
    const s2 = sessionId("u1", 1767229200000001n);
    const s3 = sessionId("u2", 1767254400000000n);
    const s4 = sessionId("u2", 1767340800000000n);
    const s5 = sessionId("u3", 1767227399000000n);
    const expected = [
      "event_id,user_id,event_time,event_type,page_url,referrer,ip_address,user_agent,revenue,country_code,session_id,event_seq",
      `e1,u1,2026-01-01T00:00:00.000000Z,page_view,/a,,8.8.8.8,ua,,US,${s1},1`,
      `e2,u1,2026-01-01T00:30:00.000000Z,click,/b,,8.8.8.8,ua,,US,${s1},2`,
      `e3,u1,2026-01-01T01:00:00.000001Z,purchase,/c,,1.1.1.1,ua,12.30,AU,${s2},1`,
      `e4,u2,2026-01-01T08:00:00.000000Z,unknown,/a,,2001:db8::1,ua,-0.50,JP,${s3},1`,
      // e9: same instant, so the smaller cleansed page_url wins (§C10); 010.1.1.1 has a leading zero.
      `e9,u2,2026-01-02T08:00:00.000000Z,purchase,/p,,,ua,7.00,,${s4},1`,
      `e8,u3,2026-01-01T00:29:59.000000Z,x,,,,,,,${s5},1`,
    ];
    const header = expected[0]!;
    const body = expected.slice(1).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(stagedCanonical(run.staged, "events")).toBe([header, ...body, ""].join("\n"));
  });

  it("writes sessions and rejects", () => {
    const sessions = stagedCanonical(run.staged, "sessions").split("\n");
    expect(sessions).toContain(
      `${sessionId("u1", 1767225600000000n)},u1,2026-01-01T00:00:00.000000Z,2026-01-01T00:30:00.000000Z,1800.000000,2,1,0,0.00,US,/a,/b,false`,
    );
    expect(sessions).toContain(
      `${sessionId("u2", 1767340800000000n)},u2,2026-01-02T08:00:00.000000Z,2026-01-02T08:00:00.000000Z,0.000000,1,0,1,7.00,,/p,/p,true`,
    );
    const rejects = stagedCanonical(run.staged, "rejects").split("\n");
    expect(rejects).toContain(
      'e4,u2,2026-01-01 10:00:00+02:00,,/a,," 2001:db8::1 ",ua,-0.5,duplicate_event_id',
    );
    expect(rejects).toContain(
      "e9,u2,2026-01-02T08:00:00.000000Z,purchase,/q,,,ua,1.005,duplicate_event_id",
    );
    expect(rejects).toContain("e7,u3,,x,,,,,,missing_event_time");
    expect(rejects).toContain(",u3,2026-02-03T00:00:00Z,x,,,,,,missing_event_id");
    expect(rejects).toContain("e6,u3,2026-02-30T00:00:00Z,x,,,,,,invalid_event_time");
    expect(rejects).toContain("e5,,2026-01-01T00:00:00Z,x,,,,,,missing_user_id");
  });
});

describe("PolarsEngine refuses bad input and stages nothing", () => {
  const dir = mkdtempSync(join(tmpdir(), "polars-bad-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const header = RAW_COLUMNS.join(",");
  const cases: [string, string, RegExp][] = [
    [
      "missing-column.csv",
      "event_id,user_id,event_time\n1,2,3\n",
      /missing-column.csv: header lacks column event_type/,
    ],
    [
      "short-row.csv",
      `${header}\ne1,u1,t,x,,,,,\ne2,u1\n`,
      /short-row.csv line 3: expected 9 fields as in the header, found 2/,
    ],
    ["unbalanced.csv", `${header}\ne1,u1,"t,x,,,,,\n`, /unbalanced.csv line 2: .*unbalanced quote/],
    ["twice.csv", `${header},user_id\n`, /twice.csv: header names column user_id twice/],
    ["zero-byte.csv", "", /zero-byte.csv: header lacks column event_id/],
  ];
  for (const [name, text, error] of cases) {
    it(`${name}: ${String(error)}`, async () => {
      const input = join(dir, name);
      writeFileSync(input, text);
      const staging = join(dir, `staging-${name}`);
      await expect(runPolars(input, staging)).rejects.toThrow(error);
      expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
    });
  }

  // tests/fixtures/golden/README.md: each bad file, its line and the fault.
  const golden: [string, RegExp][] = [
    ["missing_column.csv", /missing_column.csv: header lacks column event_time/],
    [
      "wrong_field_count.csv",
      /wrong_field_count.csv line 6: expected 9 fields as in the header, found 8/,
    ],
    ["unbalanced_quote.csv", /unbalanced_quote.csv line 3: a quoted field is never closed/],
    ["quote_in_field.csv", /quote_in_field.csv line 3: a quote inside an unquoted field/],
    ["not_utf8.csv", /not_utf8.csv line 3: bytes that are not UTF-8/],
    ["blank_line.csv", /blank_line.csv line 3: expected 9 fields as in the header, found 1/],
  ];
  for (const [name, error] of golden) {
    it(`golden bad/${name}`, async () => {
      const staging = join(dir, `staging-golden-${name}`);
      await expect(runPolars(join(GOLDEN, "bad", name), staging)).rejects.toThrow(error);
      expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
    });
  }

  it("golden empty.csv (header only) gives three empty tables", async () => {
    const run = await runPolars(join(GOLDEN, "empty.csv"), join(dir, "staging-golden-empty"));
    expect(run.counts).toEqual({ rowsIn: 0, events: 0, sessions: 0, rejects: 0 });
    expect(run.staged.map((s) => [s.table, s.files.length])).toEqual([
      ["events", 0],
      ["sessions", 0],
      ["rejects", 0],
    ]);
  });

  it("a header-only file gives empty tables", async () => {
    const input = join(dir, "header-only.csv");
    writeFileSync(input, `${header}\r\n`);
    const run = await runPolars(input, join(dir, "staging-header-only"));
    expect(run.counts).toEqual({ rowsIn: 0, events: 0, sessions: 0, rejects: 0 });
    expect(run.staged.map((s) => s.files.length)).toEqual([0, 0, 0]);
  });
});
