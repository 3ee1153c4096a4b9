import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pl from "nodejs-polars";
import { afterAll, describe, expect, it } from "vitest";
import { createEngine } from "../src/engines/polars/PolarsEngine.ts";
import { checkCsv } from "../src/input/checkCsv.ts";
import { GeoDb } from "../src/geo/GeoDb.ts";
import { RAW_COLUMNS, TABLES, type TableName } from "../src/lakehouse/tables.ts";
import { InputFormatError } from "../src/reference/InputFormatError.ts";
import { parseCsvStrict } from "../src/reference/readCsvStrict.ts";
import { runReferencePipeline } from "../src/reference/referencePipeline.ts";
import { toCanonicalCsv } from "../src/verify/canonical.ts";
import { polarsParquetRows } from "./util/polarsParquetRows.ts";
import { recordPhases } from "../src/harness/recordPhases.ts";

/**
 * Differential test: seeded messy inputs built from the spec's edge values, run through the
 * Polars engine and through the row-by-row reference (src/reference), must give the same
 * canonical tables; malformed files must be refused at the same line.
 */

const GEO_DB = "node_modules/@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb";

/** Deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POOLS: Record<(typeof RAW_COLUMNS)[number], string[]> = {
  event_id: ["e1", "e2", "e3", "e4", "e5", " e1 ", "", "  ", "É1", "e\u00a0"],
  user_id: ["u1", "U1", "u2", " u1", "", "ü", "\u{10000}x", "\uFFFDx", "u3"],
  event_time: [
    "2026-01-01T24:00:00Z",
    "2026-01-01t00:00:00Z",
    "1900-02-29T00:00:00",
    "2024-02-29T23:59:59.999999-18:59",
    "2026-13-01T00:00:00Z",
    "2026-01-01T00:00:00.1234567Z",
    "2026-01-01T00:00:00+0530",
    "2026-01-01T00:00:00+19:00",
    "0000-02-29T12:00:00Z",
    "",
    " \t",
  ],
  event_type: ["page_view", "PAGE_VIEW", " purchase ", "Purchase", "", "ΣΑΣ", "İx", "click", "x\r"],
  page_url: ["/a", "/b", " /c ", "", "x,y", 'q"uote', "multi\nline", "/é"],
  referrer: ["https://r.example/", "", " r ", "\u00a0"],
  ip_address: [
    "8.8.8.8",
    "1.1.1.1",
    "01.2.3.4",
    "2001:db8::1",
    "::1",
    "::ffff:1.2.3.4",
    " 8.8.4.4 ",
    "",
    "256.1.1.1",
    "2A00:1450:4001:81A::200E",
    "1:2:3:4:5:6:7::",
  ],
  user_agent: ["ua", "", " x ", "ü", "\r", "u\ra"],
  revenue: [
    "12.3",
    "-0.5",
    "1.005",
    "1,000",
    "",
    "0000000001",
    "-0",
    "9999999999.99",
    "+5",
    " 7 ",
    "5\r",
  ],
};

/** A valid event_time near a base so that gaps of exactly 30 minutes and 30:00.000001 occur. */
function validTime(r: () => number): string {
  const minutes = Math.floor(r() * 8) * 15;
  const base = Date.UTC(2026, 0, 1, 23, 0, 0) + minutes * 60_000;
  const iso = new Date(base).toISOString().slice(0, 19);
  const shapes = [
    `${iso}Z`,
    `${iso.replace("T", " ")}`,
    `${iso}.000001Z`,
    `${iso}.5`,
    `${new Date(base + 3_600_000).toISOString().slice(0, 19)}+01:00`,
    `${new Date(base - 5_400_000).toISOString().slice(0, 19)}-01:30`,
  ];
  return shapes[Math.floor(r() * shapes.length)]!;
}

function csvField(value: string, r: () => number): string {
  // A lone CR may stay unquoted (§I2: it is data); Polars needs help with it (ingest.ts).
  if (/[",\n]/.test(value) || r() < 0.1) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

function messyCsv(seed: number, rows: number): string {
  const r = rng(seed);
  const lines = [[...RAW_COLUMNS, "extra"].join(",")];
  for (let i = 0; i < rows; i++) {
    const fields = RAW_COLUMNS.map((c) => {
      if (c === "event_time" && r() < 0.8) return validTime(r);
      // Mostly fresh ids, some from the pool so that §C10 groups form.
      if (c === "event_id" && r() < 0.7) return `e${Math.floor(r() * rows)}`;
      const pool = POOLS[c];
      return pool[Math.floor(r() * pool.length)]!;
    });
    lines.push([...fields, "x"].map((f) => csvField(f, r)).join(","));
  }
  return lines.join(r() < 0.5 ? "\n" : "\r\n") + "\n";
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

function stagedCanonical(dir: string, name: TableName): string {
  const table = TABLES[name];
  const rows: Record<string, unknown>[] = [];
  const tableDir = join(dir, name);
  for (const path of filesUnder(tableDir)) rows.push(...polarsParquetRows(path, table));
  return toCanonicalCsv(table, rows);
}

describe("Polars engine = reference pipeline on seeded messy input", () => {
  const dir = mkdtempSync(join(tmpdir(), "polars-diff-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const geo = GeoDb.open(GEO_DB);

  it.each([
    [1, "csv"],
    [2, "csv"],
    [3, "csv"],
    [4, "parquet"],
    [5, "parquet"],
  ])("seed %i as %s", async (seed, format) => {
    const csv = join(dir, `messy-${seed}.csv`);
    writeFileSync(csv, messyCsv(seed, 400));
    let input = csv;
    if (format === "parquet") {
      // Same rows as a Parquet file of Utf8 columns (the extension tells the reference).
      input = join(dir, `messy-${seed}.parquet`);
      pl.readCSV(csv, { inferSchemaLength: 0 }).writeParquet(input);
    }
    const staging = join(dir, `staging-${seed}`);
    const engine = createEngine();
    await engine.open({});
    const run = await engine.run(
      {
        input,
        geoDbPath: GEO_DB,
        warehouse: dir,
        namespace: "polars",
        mode: "overwrite",
        stagingDir: staging,
      },
      recordPhases(),
    );
    await engine.close();
    const ref = await runReferencePipeline(input, geo);
    expect(run.counts).toEqual({
      rowsIn: ref.rowsIn,
      events: ref.events.length,
      sessions: ref.sessions.length,
      rejects: ref.rejects.length,
    });
    // A run whose rows all fail would compare nothing interesting.
    expect(ref.events.length).toBeGreaterThan(50);
    expect(ref.rejects.length).toBeGreaterThan(50);
    for (const name of ["events", "sessions", "rejects"] as const) {
      expect(stagedCanonical(staging, name), name).toBe(toCanonicalCsv(TABLES[name], ref[name]));
    }
  });
});

describe("checkCsv refuses at the same line as the reference reader", () => {
  const header = RAW_COLUMNS.join(",");
  const row = (i: number) => `e${i},u1,2026-01-01T00:00:00Z,x,"a\nb",,,,`;
  const body = (n: number) => Array.from({ length: n }, (_, i) => row(i)).join("\n");
  const cases: [string, string | Buffer][] = [
    ["short row after multi-line fields", `${header}\n${body(5)}\ne9,u1\n${body(2)}\n`],
    ["long row", `${header}\n${body(3)}\ne9,u1,t,x,,,,,,extra\n`],
    ["blank line", `${header}\n${body(3)}\n\n${body(1)}\n`],
    ["quote inside an unquoted field", `${header}\n${body(2)}\ne9,u"1,t,x,,,,,\n`],
    ["text after a closing quote", `${header}\n${body(2)}\ne9,"u1"x,t,x,,,,,\n`],
    ["quote never closed", `${header}\n${body(4)}\ne9,"u1,t,x,,,,,\n${body(1)}\n`],
    [
      "bytes that are not UTF-8",
      Buffer.concat([
        Buffer.from(`${header}\n${body(3)}\ne9,u`),
        Buffer.from([0xc3, 0x28]),
        Buffer.from(",t,x,,,,,\n"),
      ]),
    ],
    ["short last record without line break", `${header}\n${body(2)}\ne9,u1`],
  ];
  const dir = mkdtempSync(join(tmpdir(), "polars-lines-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(cases)("%s", (_name, text) => {
    const path = join(dir, "bad.csv");
    writeFileSync(path, text);
    let refLine: number | undefined;
    try {
      parseCsvStrict(typeof text === "string" ? Buffer.from(text) : text, path);
    } catch (err) {
      expect(err).toBeInstanceOf(InputFormatError);
      refLine = (err as InputFormatError).line;
    }
    expect(refLine).toBeDefined();
    expect(checkCsv(path)?.line).toBe(refLine);
  });
});
