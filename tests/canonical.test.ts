import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { EVENTS, REJECTS, SESSIONS } from "../src/lakehouse/tables.ts";
import { canonicalValue, fingerprint, toCanonicalCsv } from "../src/verify/canonical.ts";
import { canonicalRecords, diffCanonical } from "../src/verify/diffCanonical.ts";
import { canonicalFromParquet } from "../src/verify/canonicalFromParquet.ts";

const col = (type: (typeof EVENTS.columns)[number]["type"]) => ({
  id: 1,
  name: "x",
  type,
  required: false,
});

function eventRow(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: "e1",
    user_id: "u1",
    event_time: 1767225600000000n,
    event_type: "page_view",
    page_url: "/a",
    referrer: null,
    ip_address: "8.8.8.8",
    user_agent: "UA",
    revenue: null,
    country_code: "US",
    session_id: "abc",
    event_seq: 1,
    ...over,
  };
}

describe("canonical values", () => {
  it("writes timestamptz from every accepted form as the same UTC text", () => {
    const t = col("timestamptz");
    const want = "2026-01-01T00:00:00.000000Z";
    expect(canonicalValue(t, 1767225600000000n)).toBe(want);
    expect(canonicalValue(t, 1767225600000000)).toBe(want);
    expect(canonicalValue(t, new Date("2026-01-01T00:00:00Z"))).toBe(want);
    expect(canonicalValue(t, "2026-01-01T01:30:00+01:30")).toBe(want);
    expect(canonicalValue(t, "2026-01-01 00:00:00+00")).toBe(want);
    expect(canonicalValue(t, { micros: 1767225600000000n })).toBe(want);
    expect(canonicalValue(t, 1n)).toBe("1970-01-01T00:00:00.000001Z");
    expect(canonicalValue(t, -1n)).toBe("1969-12-31T23:59:59.999999Z");
    expect(canonicalValue(t, "2000-02-29T23:59:59.5Z")).toBe("2000-02-29T23:59:59.500000Z");
    expect(() => canonicalValue(t, "2026-01-01T00:00:00.1234567Z")).toThrow(/§C5/);
  });

  it("writes decimals with exactly two decimals and never rounds", () => {
    const d = col("decimal(12,2)");
    expect(canonicalValue(d, "12.3")).toBe("12.30");
    expect(canonicalValue(d, "12.30")).toBe("12.30");
    expect(canonicalValue(d, "7")).toBe("7.00");
    expect(canonicalValue(d, "-0.5")).toBe("-0.50");
    expect(canonicalValue(d, "-0.00")).toBe("0.00");
    expect(canonicalValue(d, "12.300")).toBe("12.30");
    expect(canonicalValue(d, 1230n)).toBe("12.30");
    expect(canonicalValue(d, -5)).toBe("-0.05");
    expect(canonicalValue(d, { value: 12300n, scale: 3, width: 14 })).toBe("12.30");
    expect(canonicalValue(d, { value: 5n, scale: 0, width: 14 })).toBe("5.00");
    expect(() => canonicalValue(d, "1.005")).toThrow(/no rounding/);
    expect(() => canonicalValue(d, 12.3)).toThrow(/CENTS/);
  });

  it("writes doubles, ints, booleans and strings", () => {
    expect(canonicalValue(col("double"), 1800)).toBe("1800.000000");
    expect(canonicalValue(col("double"), 0.000001)).toBe("0.000001");
    expect(canonicalValue(col("double"), -0)).toBe("0.000000");
    // Polars divides by a scalar through its reciprocal: 3912119649 * 1e-6 is 1 ulp off.
    expect(canonicalValue(col("double"), 3912119649 / 1e6)).toBe("3912.119649");
    expect(() => canonicalValue(col("double"), 3912119649 * 1e-6)).toThrow(
      /not the double nearest/,
    );
    expect(canonicalValue(col("int"), 3)).toBe("3");
    expect(canonicalValue(col("int"), 3n)).toBe("3");
    expect(canonicalValue(col("boolean"), false)).toBe("false");
    expect(canonicalValue(col("string"), "plain")).toBe("plain");
    expect(canonicalValue(col("string"), "")).toBe('""');
    expect(canonicalValue(col("string"), null)).toBe("");
    expect(canonicalValue(col("string"), "a,b")).toBe('"a,b"');
    expect(canonicalValue(col("string"), 'say "hi"')).toBe('"say ""hi"""');
    expect(canonicalValue(col("string"), "two\nlines")).toBe('"two\nlines"');
    expect(canonicalValue(col("string"), " lead")).toBe('" lead"');
    expect(canonicalValue(col("string"), "trail\t")).toBe('"trail\t"');
    expect(canonicalValue(col("string"), "in side")).toBe("in side");
    expect(canonicalValue(col("string"), "café")).toBe("café");
    expect(() => canonicalValue(col("string"), 5)).toThrow(/expected a string/);
    expect(() => canonicalValue(col("int"), 1.5)).toThrow(/integer/);
  });
});

describe("toCanonicalCsv", () => {
  it("writes the header in schema order and an empty table as the header alone", () => {
    expect(toCanonicalCsv(REJECTS, [])).toBe(
      "event_id,user_id,event_time,event_type,page_url,referrer,ip_address,user_agent,revenue,reject_reason\n",
    );
  });

  it("sorts rows byte-wise on UTF-8, not on UTF-16 code units", () => {
    // U+FF5E (EF BD 9E) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16.
    const rows = [
      eventRow({ event_id: "\u{1F600}" }),
      eventRow({ event_id: "\uFF5E" }),
      eventRow({ event_id: "B" }),
      eventRow({ event_id: "a" }),
    ];
    const ids = toCanonicalCsv(EVENTS, rows)
      .trimEnd()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",")[0]);
    expect(ids).toEqual(["B", "a", "\uFF5E", "\u{1F600}"]);
  });

  it("gives one exact text and its sha256 for a sessions row", () => {
    const rows = [
      {
        session_id: "s1",
        user_id: "u1",
        session_start: 0n,
        session_end: 1_800_000_000n,
        duration_seconds: 1800,
        event_count: 2,
        page_view_count: 1,
        purchase_count: 1,
        revenue_total: "5",
        country_code: null,
        landing_page: "/a,b",
        exit_page: "",
        is_bounce: false,
      },
    ];
    const text =
      "session_id,user_id,session_start,session_end,duration_seconds,event_count,page_view_count,purchase_count,revenue_total,country_code,landing_page,exit_page,is_bounce\n" +
      's1,u1,1970-01-01T00:00:00.000000Z,1970-01-01T00:30:00.000000Z,1800.000000,2,1,1,5.00,,"/a,b","",false\n';
    expect(toCanonicalCsv(SESSIONS, rows)).toBe(text);
    expect(fingerprint(SESSIONS, rows)).toBe(createHash("sha256").update(text).digest("hex"));
  });

  it("names the table, row and column of a value it cannot write", () => {
    expect(() => toCanonicalCsv(EVENTS, [eventRow(), eventRow({ event_seq: "1" })])).toThrow(
      /events row 2, column event_seq \(int\)/,
    );
    const { country_code: _drop, ...short } = eventRow();
    expect(() => toCanonicalCsv(EVENTS, [short])).toThrow(/column country_code is missing/);
  });
});

describe("diffCanonical", () => {
  it("is null for equal texts and lists the records on each side otherwise", () => {
    const a = 'h\n1,"x\ny"\n2,b\n2,b\n';
    const b = 'h\n2,b\n3,c\n1,"x\ny"\n';
    expect(diffCanonical(a, a)).toBeNull();
    expect(diffCanonical(a, b)).toBe(
      '1 record(s) only in expected:\n  "2,b"\n1 record(s) only in actual:\n  "3,c"',
    );
    expect(canonicalRecords(a)).toEqual(["h", '1,"x\ny"', "2,b", "2,b"]);
  });
});

describe("canonicalFromParquet", () => {
  it("reads every column type of a Parquet file into the canonical text", async () => {
    const dir = mkdtempSync(join(tmpdir(), "canonical-test-"));
    try {
      const path = join(dir, "sessions.parquet");
      const db = await DuckDBInstance.create(":memory:", { memory_limit: "128MB", threads: "1" });
      const con = await db.connect();
      await con.run(`COPY (SELECT * FROM (VALUES
          ('s2', 'u,2', TIMESTAMPTZ '2026-01-01 00:00:00.000001+00', TIMESTAMPTZ '2026-01-01 01:00:00+01',
           0.0, 1::INTEGER, 0::INTEGER, 1::INTEGER, -0.5::DECIMAL(14,2), NULL, '', ' p ', true),
          ('s1', 'u1', TIMESTAMPTZ '2026-01-01 00:00:00+00', TIMESTAMPTZ '2026-01-01 00:30:00+00',
           1800.0, 2::INTEGER, 1::INTEGER, 0::INTEGER, 12.3::DECIMAL(14,2), 'US', '/a', '/b', false)
        ) t(session_id, user_id, session_start, session_end, duration_seconds, event_count,
            page_view_count, purchase_count, revenue_total, country_code, landing_page, exit_page,
            is_bounce)) TO '${path}' (FORMAT parquet)`);
      con.closeSync();
      db.closeSync();
      expect(await canonicalFromParquet(SESSIONS, [path])).toBe(
        "session_id,user_id,session_start,session_end,duration_seconds,event_count,page_view_count,purchase_count,revenue_total,country_code,landing_page,exit_page,is_bounce\n" +
          "s1,u1,2026-01-01T00:00:00.000000Z,2026-01-01T00:30:00.000000Z,1800.000000,2,1,0,12.30,US,/a,/b,false\n" +
          's2,"u,2",2026-01-01T00:00:00.000001Z,2026-01-01T00:00:00.000000Z,0.000000,1,0,1,-0.50,,""," p ",true\n',
      );
      await expect(canonicalFromParquet(EVENTS, [path])).rejects.toThrow(
        /events: column event_id is missing/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
