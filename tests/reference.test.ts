import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { defaultGeoDb } from "../src/config/settings.ts";
import { GeoDb } from "../src/geo/GeoDb.ts";
import { RAW_COLUMNS, TABLES, type RawColumn } from "../src/lakehouse/tables.ts";
import {
  InputFormatError,
  firstInvalidUtf8,
  parseCsvStrict,
  readCsvStrict,
  referencePipeline,
  runReferencePipeline,
  type RawRow,
} from "../src/reference/index.ts";
import { parseCsvRecords } from "../src/reference/parseCsvRecords.ts";
import { toCanonicalCsv } from "../src/verify/canonical.ts";

const GOLDEN = join(import.meta.dirname, "fixtures", "golden");
const geo = GeoDb.open(defaultGeoDb);
const TABLE_NAMES = ["events", "sessions", "rejects"] as const;
const expected = (name: string) => readFileSync(join(GOLDEN, "expected", `${name}.csv`), "utf8");

describe("reference pipeline on the golden input", () => {
  for (const file of ["input.csv", "input_crlf.csv", "input.parquet"]) {
    it(`${file} gives exactly expected/{events,sessions,rejects}.csv`, async () => {
      const out = await runReferencePipeline(join(GOLDEN, file), geo);
      for (const name of TABLE_NAMES) {
        expect(toCanonicalCsv(TABLES[name], out[name]), name).toBe(expected(name));
      }
    });
  }

  it("balances: every input record is one event or one reject", async () => {
    const { records } = parseCsvRecords(readFileSync(join(GOLDEN, "input.csv")), "input.csv");
    const out = await runReferencePipeline(join(GOLDEN, "input.csv"), geo);
    expect(records.length).toBe(177);
    expect(out.rowsIn).toBe(records.length);
    expect(out.events.length + out.rejects.length).toBe(out.rowsIn);
    // Counted by hand from the row list in tests/fixtures/golden/README.md.
    expect(out.events.length).toBe(139);
    expect(out.rejects.length).toBe(38);
    expect(out.sessions.length).toBe(21);
  });

  it("an empty (header-only) file gives three empty tables", async () => {
    const out = await runReferencePipeline(join(GOLDEN, "empty.csv"), geo);
    expect(out).toEqual({ rowsIn: 0, events: [], sessions: [], rejects: [] });
  });
});

describe("refused inputs name the file and the line or column (§I2, §I3)", () => {
  const cases: [string, RegExp, number | undefined][] = [
    ["missing_column.csv", /header lacks column event_time/, 1],
    ["wrong_field_count.csv", /line 6: expected 9 fields as in the header, found 8/, 6],
    ["unbalanced_quote.csv", /line 3: a quoted field is never closed \(unbalanced quote\)/, 3],
    ["quote_in_field.csv", /line 3: a quote inside an unquoted field \(unbalanced quote\)/, 3],
    ["not_utf8.csv", /line 3: bytes that are not UTF-8 \(byte offset \d+, 0xe9\)/, 3],
    ["blank_line.csv", /line 3: expected 9 fields as in the header, found 1/, 3],
  ];
  for (const [file, message, line] of cases) {
    it(file, async () => {
      const path = join(GOLDEN, "bad", file);
      const err = await runReferencePipeline(path, geo).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InputFormatError);
      const text = (err as InputFormatError).message;
      // Shape shared by every engine (docs/pipeline-spec.md §I2): "<file> line <n>: ...".
      expect(text.startsWith(line === 1 ? `${path}: ` : `${path} line ${line}: `), text).toBe(true);
      expect(text).toMatch(message);
      expect((err as InputFormatError).line).toBe(line);
    });
  }
  it("missing column names the column in the error's column field", () => {
    try {
      readCsvStrict(join(GOLDEN, "bad", "missing_column.csv"));
      expect.unreachable();
    } catch (e) {
      expect((e as InputFormatError).column).toBe("event_time");
    }
  });
});

describe("parseCsvStrict (§I2)", () => {
  const header = RAW_COLUMNS.join(",");
  const parse = (text: string) => parseCsvStrict(Buffer.from(text, "utf8"), "t.csv");

  it("reads CRLF records, quoted fields, a BOM and a last line without a line break", () => {
    const text = `\uFEFF${header}\r\n"e,1",u1,"say ""hi""",,"",x\ry,"a\r\nb", c ,1\r\ne2,u2,t,,,,,,`;
    const { rows, lines } = parse(text);
    expect(lines).toEqual([2, 4]);
    expect(rows[0]).toEqual({
      event_id: "e,1",
      user_id: "u1",
      event_time: 'say "hi"',
      event_type: null,
      page_url: null,
      referrer: "x\ry",
      ip_address: "a\r\nb",
      user_agent: " c ",
      revenue: "1",
    });
    expect(rows[1].event_id).toBe("e2");
    expect(rows[1].revenue).toBeNull();
  });

  it("takes columns by name, in any order, and ignores extra columns", () => {
    const reordered = [...RAW_COLUMNS].reverse();
    const text = `extra,${reordered.join(",")}\nX,${reordered.map((c) => `v_${c}`).join(",")}\n`;
    const row = parse(text).rows[0];
    for (const c of RAW_COLUMNS) expect(row[c]).toBe(`v_${c}`);
    expect(Object.keys(row)).toEqual([...RAW_COLUMNS]);
  });

  it("refuses a zero-byte file, a doubled column, text after a closing quote", () => {
    expect(() => parse("")).toThrow(/t.csv: header lacks column event_id \(the file is empty\)/);
    expect(() => parse(`${header},user_id\n`)).toThrow(/header names column user_id twice/);
    expect(() => parse(`${header}\n"e1"x,u,t,,,,,,\n`)).toThrow(
      /t.csv line 2: text after the closing quote/,
    );
  });
});

describe("firstInvalidUtf8", () => {
  const at = (...bytes: number[]) => firstInvalidUtf8(Uint8Array.from(bytes));
  it("accepts valid UTF-8 of every length", () => {
    expect(firstInvalidUtf8(Buffer.from("aé日😀", "utf8"))).toBe(-1);
    expect(at(0xef, 0xbf, 0xbf)).toBe(-1); // U+FFFF
    expect(at(0xf4, 0x8f, 0xbf, 0xbf)).toBe(-1); // U+10FFFF
  });
  it("finds overlongs, surrogates, out-of-range and truncated sequences", () => {
    expect(at(0x61, 0xc0, 0x80)).toBe(1); // overlong NUL
    expect(at(0xe0, 0x80, 0x80)).toBe(0); // overlong 3-byte
    expect(at(0xed, 0xa0, 0x80)).toBe(0); // surrogate U+D800
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0); // above U+10FFFF
    expect(at(0xf5, 0x80, 0x80, 0x80)).toBe(0);
    expect(at(0x61, 0x62, 0xe6, 0x97)).toBe(2); // cut at the end
    expect(at(0x80)).toBe(0); // lone continuation byte
  });
});

describe("Parquet input (§I4)", () => {
  const dir = mkdtempSync(join(tmpdir(), "reference-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a Parquet file without a required column, naming it", async () => {
    const path = join(dir, "no_revenue.parquet");
    const db = await DuckDBInstance.create(":memory:", { memory_limit: "128MB", threads: "1" });
    const con = await db.connect();
    const cols = RAW_COLUMNS.filter((c) => c !== "revenue")
      .map((c) => `'x' AS ${c}`)
      .join(", ");
    await con.run(`COPY (SELECT ${cols}) TO '${path}' (FORMAT parquet)`);
    con.closeSync();
    db.closeSync();
    await expect(runReferencePipeline(path, geo)).rejects.toThrow(
      /no_revenue.parquet: Parquet schema lacks column revenue/,
    );
  });
});

describe("referencePipeline on hand-built rows", () => {
  const row = (over: Partial<RawRow>): RawRow => {
    const base = Object.fromEntries(RAW_COLUMNS.map((c) => [c, null])) as Record<
      RawColumn,
      string | null
    >;
    return { ...base, user_id: "u", event_type: "click", ...over };
  };
  const lookup = { country: (ip: string) => ({ "1.1.1.1": "AA", "2.2.2.2": "BB" })[ip] ?? null };

  it("takes the session country from the first event that has one (§O2)", () => {
    const out = referencePipeline(
      [
        row({ event_id: "3", event_time: "2026-01-01T10:02:00Z", ip_address: "1.1.1.1" }),
        row({ event_id: "1", event_time: "2026-01-01T10:00:00Z", ip_address: "9.9.9.9" }),
        row({ event_id: "2", event_time: "2026-01-01T10:01:00Z", ip_address: "2.2.2.2" }),
      ],
      lookup,
    );
    expect(out.sessions).toHaveLength(1);
    expect(out.sessions[0].country_code).toBe("BB");
    expect(out.sessions[0].revenue_total).toBe(0n);
    expect(out.events.map((e) => [e.event_id, e.event_seq])).toEqual([
      ["1", 1],
      ["2", 2],
      ["3", 3],
    ]);
  });

  it("keeps a 30:00.000000 gap in the session and cuts at 30:00.000001 (§S2)", () => {
    const out = referencePipeline(
      [
        row({ event_id: "a", event_time: "2026-01-01T00:00:00Z" }),
        row({ event_id: "b", event_time: "2026-01-01T00:30:00Z" }),
        row({ event_id: "c", event_time: "2026-01-01T01:00:00.000001Z" }),
      ],
      lookup,
    );
    expect(out.sessions.map((s) => s.event_count).sort()).toEqual([1, 2]);
  });
});
