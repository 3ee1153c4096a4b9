import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { defaultGeoDb } from "../src/config/settings.ts";
import { GeoDb } from "../src/geo/GeoDb.ts";
import { generateClickstream, type GenerateOptions } from "../src/generator/generateClickstream.ts";
import { DIRTY_RATES, SHAPE } from "../src/generator/rates.ts";
import { RAW_COLUMNS } from "../src/lakehouse/tables.ts";
import {
  isValidIpAddress,
  isValidIpv6,
  normalizeEventType,
  parseEventTime,
  parseRevenue,
  trimField,
} from "../src/spec/index.ts";

type Row = (string | null)[];

/** RFC 4180 parser for the test: empty unquoted field = null, quoted text kept as is. */
function parseCsv(text: string): { header: string[]; rows: Row[] } {
  const rows: Row[] = [];
  let row: Row = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let value: string | null;
    if (text.charCodeAt(i) === 34) {
      let out = "";
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error(`unbalanced quote at offset ${i}`);
        out += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          out += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      value = out;
    } else {
      let j = i;
      while (j < n && text.charCodeAt(j) !== 44 && text.charCodeAt(j) !== 10) j++;
      value = j === i ? null : text.slice(i, j);
      i = j;
    }
    row.push(value);
    if (i >= n || text.charCodeAt(i) === 10) {
      rows.push(row);
      row = [];
    } else if (text.charCodeAt(i) !== 44) {
      throw new Error(`unexpected character after field at offset ${i}`);
    }
    i++;
  }
  const header = rows.shift() as string[];
  return { header, rows };
}

const sha256 = (path: string): string =>
  createHash("sha256").update(readFileSync(path)).digest("hex");

/** Expected count n*p within 5 binomial standard deviations plus 3 % of the mean. */
function expectNear(observed: number, expected: number, label: string): void {
  const tolerance = 5 * Math.sqrt(expected) + 0.03 * expected + 3;
  expect(
    Math.abs(observed - expected),
    `${label}: observed ${observed}, expected ~${expected.toFixed(0)}`,
  ).toBeLessThanOrEqual(tolerance);
}

let dir: string;
const base = (over: Partial<GenerateOptions>): GenerateOptions => ({
  events: 20_000,
  seed: 7,
  out: join(dir, "x.csv"),
  format: "csv",
  geoDbPath: defaultGeoDb,
  ...over,
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "generator-test-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("etl generate: determinism and row counts", () => {
  it("same arguments give a byte-identical file (any worker count), another seed a different one", async () => {
    const a = join(dir, "a.csv");
    const b = join(dir, "b.csv");
    const c = join(dir, "c.csv");
    // 2 * 131_072 + 1 rows: three chunks, the last one a single row.
    await generateClickstream(base({ events: 262_145, out: a, workers: 0 }));
    await generateClickstream(base({ events: 262_145, out: b, workers: 2 }));
    await generateClickstream(base({ events: 262_145, out: c, seed: 8 }));
    expect(sha256(a)).toBe(sha256(b));
    expect(sha256(a)).not.toBe(sha256(c));
    const lines = readFileSync(a, "utf8").split("\n");
    expect(lines[0]).toBe(RAW_COLUMNS.join(","));
    expect(lines.length).toBe(262_145 + 2); // header + rows + the empty string after the last LF
    expect(lines.at(-1)).toBe("");
  });

  it("writes a header-only file for --events 0 and rejects bad options", async () => {
    const out = join(dir, "empty.csv");
    await generateClickstream(base({ events: 0, out }));
    expect(readFileSync(out, "utf8")).toBe(`${RAW_COLUMNS.join(",")}\n`);
    await expect(generateClickstream(base({ start: "2026-02-30" }))).rejects.toThrow(/--start/);
    await expect(generateClickstream(base({ dirtyRate: 1000 }))).rejects.toThrow(/--dirty-rate/);
  });

  it("--dirty-rate 0 gives rows that all pass cleansing with valid addresses", async () => {
    const out = join(dir, "clean.csv");
    await generateClickstream(base({ events: 30_000, out, dirtyRate: 0 }));
    const { rows } = parseCsv(readFileSync(out, "utf8"));
    expect(rows.length).toBe(30_000);
    for (const r of rows) {
      expect(r[0]).toBe(trimField(r[0]));
      expect(parseEventTime(r[2])).not.toBeNull();
      expect(isValidIpAddress(r[6])).toBe(true);
    }
    expect(new Set(rows.map((r) => r[0])).size).toBe(30_000);
  });
});

describe("etl generate: CLI and --dirty-rate", () => {
  it("runs from the CLI: JSON summary on stdout, events/s on stderr", () => {
    const out = join(dir, "cli.csv");
    const run = spawnSync(
      process.execPath,
      ["bin/etl.js", "generate", "--events", "1_000", "--seed", "5", "--out", out],
      { encoding: "utf8" },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/wrote 1,000 rows .* events\/s/);
    const stdout = run.stdout;
    const summary = JSON.parse(stdout.trim()) as { rows: number; out: string };
    expect(summary.rows).toBe(1000);
    expect(readFileSync(out, "utf8").split("\n").length).toBe(1002);
  });

  it("--dirty-rate scales the reject-causing rates", async () => {
    const out = join(dir, "dirty3.csv");
    const N = 60_000;
    await generateClickstream(base({ events: N, out, dirtyRate: 3 }));
    const { rows } = parseCsv(readFileSync(out, "utf8"));
    const missingIds = rows.filter((r) => trimField(r[0]) === null).length;
    const invalid = rows.filter((r) => {
      const t = trimField(r[2]);
      return (
        trimField(r[0]) !== null &&
        trimField(r[1]) !== null &&
        t !== null &&
        parseEventTime(t) === null
      );
    }).length;
    // Rates x3, drawn for the rows that are not re-deliveries (1 - 3 x 1 %).
    const R = DIRTY_RATES;
    const invalidRate =
      R.invalidDate + R.hour24 + R.sevenFractionDigits + R.badOffset + R.garbageTime;
    expectNear(missingIds, N * 0.97 * 3 * R.missingEventId, "missing_event_id x3");
    expectNear(invalid, N * 0.97 * 3 * invalidRate, "invalid_event_time x3");
  });
});

describe("etl generate: documented rates on 200k rows", () => {
  const N = 200_000;
  let rows: Row[];
  let geo: GeoDb;

  beforeAll(async () => {
    const out = join(dir, "rates.csv");
    await generateClickstream(base({ events: N, out, seed: 2026 }));
    const parsed = parseCsv(readFileSync(out, "utf8"));
    expect(parsed.header).toEqual([...RAW_COLUMNS]);
    rows = parsed.rows;
    geo = GeoDb.open(defaultGeoDb);
  });

  it("has exactly N rows of nine fields", () => {
    expect(rows.length).toBe(N);
    expect(rows.every((r) => r.length === 9)).toBe(true);
  });

  it("rejects per reason match DIRTY_RATES (spec Cleansing 2-5, 10)", () => {
    const counts = { id: 0, user: 0, missingTime: 0, invalidTime: 0, dup: 0 };
    const seen = new Set<string>();
    for (const r of rows) {
      const id = trimField(r[0]);
      if (id === null) counts.id++;
      else if (trimField(r[1]) === null) counts.user++;
      else if (trimField(r[2]) === null) counts.missingTime++;
      else if (parseEventTime(trimField(r[2])) === null) counts.invalidTime++;
      else if (seen.has(id)) counts.dup++;
      else seen.add(id);
    }
    const R = DIRTY_RATES;
    expectNear(counts.id, N * R.missingEventId, "missing_event_id");
    expectNear(counts.user, N * R.missingUserId, "missing_user_id");
    expectNear(counts.missingTime, N * R.missingEventTime, "missing_event_time");
    const invalid = R.invalidDate + R.hour24 + R.sevenFractionDigits + R.badOffset + R.garbageTime;
    expectNear(counts.invalidTime, N * invalid, "invalid_event_time");
    expectNear(counts.dup, N * R.duplicate, "duplicate_event_id");
  });

  it("field noise matches DIRTY_RATES", () => {
    let typeNoise = 0;
    let typeMissing = 0;
    let malformedIp = 0;
    let missingIp = 0;
    let padded = 0;
    let purchases = 0;
    let badRevenue = 0;
    let revenueOffPurchase = 0;
    for (const r of rows) {
      const type = trimField(r[3]);
      if (type === null) typeMissing++;
      else if (r[3] !== normalizeEventType(type)) typeNoise++;
      const ip = trimField(r[6]);
      if (ip === null) missingIp++;
      else if (!isValidIpAddress(ip)) malformedIp++;
      // Padding: a non-blank value with whitespace around it, event_type excepted (own noise).
      if (r.some((v, i) => i !== 3 && v !== null && trimField(v) !== null && trimField(v) !== v))
        padded++;
      const revenue = trimField(r[8]);
      if (type !== null && normalizeEventType(type) === "purchase") {
        purchases++;
        if (parseRevenue(revenue) === null) badRevenue++;
      } else if (type !== null && revenue !== null) {
        // (A purchase whose event_type went missing keeps its revenue: it is `unknown` now.)
        revenueOffPurchase++;
      }
    }
    const R = DIRTY_RATES;
    expectNear(typeNoise, N * R.eventTypeCase, "event_type case/whitespace");
    expectNear(typeMissing, N * R.missingEventType, "event_type missing");
    expectNear(malformedIp, N * R.malformedIp, "malformed ip");
    expectNear(missingIp, N * R.missingIp, "missing ip");
    expectNear(padded, N * R.paddedField, "padded field");
    expectNear(badRevenue, purchases * R.badRevenue, "bad revenue on purchases");
    expect(revenueOffPurchase).toBe(0);
  });

  it("delivers a documented share of rows late", () => {
    let maxSeen = -Infinity;
    let late = 0;
    const seen = new Set<string>();
    for (const r of rows) {
      const t = parseEventTime(trimField(r[2]));
      const id = trimField(r[0]);
      if (t === null || id === null) continue;
      // A re-delivery copies a row up to DUPLICATE_WINDOW rows back: not a late row.
      if (seen.has(id)) continue;
      seen.add(id);
      const us = Number(t);
      // Re-deliveries shift time by up to 300 s, so 6 minutes separates them from late rows.
      if (us < maxSeen - 360e6) late++;
      maxSeen = Math.max(maxSeen, us);
    }
    // Late delays are uniform in 2-180 minutes: 174/178 of them exceed 6 minutes.
    expectNear(late, N * DIRTY_RATES.lateRow * (174 / 178), "late rows");
  });

  it("looks like clickstream: funnel, heavy-tailed users, 30-minute gaps, daily cycle, forms", () => {
    const byType = new Map<string, number>();
    const perUser = new Map<string, bigint[]>();
    const hours = new Array<number>(24).fill(0);
    let space = 0;
    let offset = 0;
    let noZone = 0;
    let valid = 0;
    for (const r of rows) {
      const type = normalizeEventType(trimField(r[3]));
      byType.set(type, (byType.get(type) ?? 0) + 1);
      const text = trimField(r[2]);
      const t = parseEventTime(text);
      const user = trimField(r[1]);
      if (t === null || user === null || text === null) continue;
      valid++;
      if (text[10] === " ") space++;
      if (/[+-]\d\d:\d\d$/.test(text)) offset++;
      else if (!text.endsWith("Z")) noZone++;
      hours[Number((t / 3_600_000_000n) % 24n)]++;
      const list = perUser.get(user);
      if (list) list.push(t);
      else perUser.set(user, [t]);
    }
    const pv = byType.get("page_view") ?? 0;
    const click = byType.get("click") ?? 0;
    const cart = byType.get("add_to_cart") ?? 0;
    const purchase = byType.get("purchase") ?? 0;
    expect(pv).toBeGreaterThan(click);
    expect(click).toBeGreaterThan(cart);
    expect(cart).toBeGreaterThan(purchase);
    expect(purchase).toBeGreaterThan(N * 0.01);

    expect(space / valid).toBeGreaterThan(SHAPE.spaceSeparatorShare - 0.02);
    expect(space / valid).toBeLessThan(SHAPE.spaceSeparatorShare + 0.02);
    expect(offset / valid).toBeGreaterThan(SHAPE.offsetZoneShare - 0.02);
    expect(noZone / valid).toBeGreaterThan(SHAPE.noZoneShare - 0.02);

    // Heavy tail: the most active 1 % of users hold well over 1 % of the events.
    const sizes = [...perUser.values()].map((l) => l.length).sort((a, b) => b - a);
    const top = sizes.slice(0, Math.ceil(sizes.length / 100)).reduce((a, b) => a + b, 0);
    expect(top / valid).toBeGreaterThan(0.08);

    let exact30 = 0;
    let justOver30 = 0;
    let longGaps = 0;
    for (const list of perUser.values()) {
      list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (let i = 1; i < list.length; i++) {
        const gap = list[i] - list[i - 1];
        if (gap === 1_800_000_000n) exact30++;
        else if (gap > 1_800_000_000n && gap <= 1_805_000_000n) justOver30++;
        else if (gap > 3_600_000_000n * 6n) longGaps++;
      }
    }
    expect(exact30).toBeGreaterThan(50);
    expect(justOver30).toBeGreaterThan(50);
    expect(longGaps).toBeGreaterThan(1000);

    // Daily cycle: the busiest UTC hour has several times the traffic of the quietest.
    expect(Math.max(...hours) / Math.min(...hours)).toBeGreaterThan(3);
  });

  it("draws most addresses from the IP database's ranges, with IPv6 and private ones", () => {
    let validIps = 0;
    let resolved = 0;
    let v6 = 0;
    let privateV4 = 0;
    for (const r of rows) {
      const ip = trimField(r[6]);
      if (ip === null || !isValidIpAddress(ip)) continue;
      validIps++;
      if (geo.country(ip) !== null) resolved++;
      if (isValidIpv6(ip)) v6++;
      if (/^(10\.|192\.168\.)/.test(ip)) privateV4++;
    }
    expect(resolved / validIps).toBeGreaterThan(0.85);
    expect(v6 / validIps).toBeGreaterThan(0.05);
    expect(privateV4).toBeGreaterThan(100);
  });
});

describe("etl generate --format parquet", () => {
  it("holds the same rows as the CSV, in order, all text, empty = null", async () => {
    const csv = join(dir, "p.csv");
    const pq = join(dir, "p.parquet");
    await generateClickstream(base({ events: 20_000, out: csv, seed: 11 }));
    await generateClickstream(base({ events: 20_000, out: pq, seed: 11, format: "parquet" }));
    const { rows } = parseCsv(readFileSync(csv, "utf8"));
    const db = await DuckDBInstance.create(":memory:", { threads: "1", memory_limit: "256MB" });
    const con = await db.connect();
    const sql = `SELECT ${RAW_COLUMNS.join(", ")} FROM read_parquet('${pq}')`;
    const reader = await con.runAndReadAll(sql);
    const types = reader.columnTypes().map((t) => t.toString());
    const got = reader.getRows().map((r) => r.map((v) => (v === null ? null : String(v))));
    con.closeSync();
    db.closeSync();
    expect(types.every((t) => t === "VARCHAR")).toBe(true);
    expect(got.length).toBe(rows.length);
    expect(got).toEqual(rows);
  });
});
