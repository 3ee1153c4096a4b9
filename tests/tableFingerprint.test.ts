import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultGeoDb } from "../src/config/settings.ts";
import type { EngineRun } from "../src/engines/Engine.ts";
import { createEngine as createDuckDb } from "../src/engines/duckdb/DuckDbEngine.ts";
import { createEngine as createPolars } from "../src/engines/polars/PolarsEngine.ts";
import { recordPhases } from "../src/harness/recordPhases.ts";
import { TABLES, type TableDef, type TableName } from "../src/lakehouse/tables.ts";
import { daysFromCivil } from "../src/spec/calendar.ts";
import { formatMicros } from "../src/spec/formatMicros.ts";
import { tableFingerprint } from "../src/verify/tableFingerprint.ts";
import { tableFingerprintReference } from "../src/verify/tableFingerprintReference.ts";

/**
 * The DuckDB-SQL fingerprint (src/verify/tableFingerprint.ts) against the JavaScript
 * reference (src/verify/tableFingerprintReference.ts), which defines it: hostile values of
 * every column type, several files read with union_by_name, the fallback cases, and the
 * golden input's tables as the DuckDB and Polars engines stage them.
 */

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "etl-fingerprint-test-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A table of every column type the app's tables use (the fingerprint takes any TableDef). */
const ALL_TYPES: TableDef = {
  name: "events",
  columns: [
    { id: 1, name: "s", type: "string", required: false },
    { id: 2, name: "t", type: "timestamptz", required: false },
    { id: 3, name: "d12", type: "decimal(12,2)", required: false },
    { id: 4, name: "d14", type: "decimal(14,2)", required: false },
    { id: 5, name: "i", type: "int", required: false },
    { id: 6, name: "l", type: "long", required: false },
    { id: 7, name: "x", type: "double", required: false },
    { id: 8, name: "b", type: "boolean", required: false },
    { id: 9, name: "s2", type: "string", required: false },
  ],
  partition: [],
};
const DDL =
  "s VARCHAR, t TIMESTAMPTZ, d12 DECIMAL(12,2), d14 DECIMAL(14,2), i INTEGER, l BIGINT, " +
  "x DOUBLE, b BOOLEAN, s2 VARCHAR";

/** A SQL literal for any text, NUL included (chr(0) outside the quotes). */
function text(s: string | null): string {
  if (s === null) return "NULL";
  return s
    .split("\0")
    .map((part) => `'${part.replaceAll("'", "''")}'`)
    .join(" || chr(0) || ");
}
const ts = (us: bigint | null) => (us === null ? "NULL" : `make_timestamp(${us})::TIMESTAMPTZ`);
const dec = (v: string | null, p: number) =>
  v === null ? "NULL" : `CAST('${v}' AS DECIMAL(${p},2))`;
const num = (v: bigint | number | null, type: string) => {
  if (v === null) return "NULL";
  if (typeof v === "number" && Number.isNaN(v)) return `CAST('nan' AS ${type})`;
  if (typeof v === "number" && !Number.isFinite(v))
    return `CAST('${v < 0 ? "-inf" : "inf"}' AS ${type})`;
  // A double's shortest round-trip text gives back the same double in DuckDB's parser.
  return `CAST('${Object.is(v, -0) ? "-0.0" : String(v)}' AS ${type})`;
};

interface Row {
  s?: string | null;
  t?: bigint | null;
  d12?: string | null;
  d14?: string | null;
  i?: number | null;
  l?: bigint | null;
  x?: number | null;
  b?: boolean | null;
  s2?: string | null;
}

function rowSql(r: Row): string {
  return `(${[
    text(r.s ?? null),
    ts(r.t ?? null),
    dec(r.d12 ?? null, 12),
    dec(r.d14 ?? null, 14),
    num(r.i ?? null, "INTEGER"),
    num(r.l ?? null, "BIGINT"),
    num(r.x ?? null, "DOUBLE"),
    r.b === undefined || r.b === null ? "NULL" : String(r.b),
    text(r.s2 ?? null),
  ].join(", ")})`;
}

let fileNo = 0;
/** Writes rows to a new Parquet file through DuckDB; `select` may drop or reorder columns. */
async function writeParquet(rows: Row[], select = "*", ddl = DDL): Promise<string> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", { threads: "1" });
  const con = await db.connect();
  const path = join(work, `t${fileNo++}.parquet`);
  try {
    await con.run("SET TimeZone = 'UTC'");
    await con.run(`CREATE TABLE t (${ddl})`);
    for (let k = 0; k < rows.length; k += 500) {
      await con.run(
        `INSERT INTO t VALUES ${rows
          .slice(k, k + 500)
          .map(rowSql)
          .join(", ")}`,
      );
    }
    await con.run(`COPY (SELECT ${select} FROM t) TO '${path}' (FORMAT PARQUET)`);
  } finally {
    con.closeSync();
    db.closeSync();
  }
  return path;
}

async function both(table: TableDef, files: string[]): Promise<[string, string]> {
  return [
    await tableFingerprint(table, files, { threads: 2 }),
    await tableFingerprintReference(table, files),
  ];
}

const HOSTILE_STRINGS = [
  "",
  " ",
  "\t",
  "plain",
  "a,b",
  'say "hi"',
  '"',
  '""',
  "line\nbreak",
  "cr\rhere",
  "crlf\r\n",
  " lead",
  "trail ",
  "\tlead",
  "trail\t",
  "\nlead",
  "trail\n",
  "\rlead",
  "trail\r",
  "mid\tdle",
  "mid dle",
  "\u000bvertical tab first",
  "\u00a0nbsp first",
  "nbsp last\u00a0",
  "line sep last\u2028",
  "é",
  "日本語,テキスト",
  'emoji 😀 "quoted"',
  "combining e\u0301",
  "\ufeffbom",
  "\ufeff",
  "\ufeff\ufeffdouble bom",
  "\ufeff lead after bom",
  "mid\ufeffbom",
  "a\u0000b",
  "back\\slash",
  "'single'",
  "NULL",
  "null",
  "x".repeat(100_000),
  ` ${"y,".repeat(5_000)}"`,
];

const MICROS = [
  0n,
  -1n,
  1n,
  999_999n,
  -62_167_219_200_000_000n, // 0000-01-01T00:00:00.000000Z
  -62_167_219_199_999_999n,
  -62_162_035_200_000_001n, // last µs of year 0000 (a leap year)
  -30_610_224_000_000_001n, // 0999-12-31T23:59:59.999999Z
  -59_011_459_200_000_000n, // 0100-01-01
  -2_208_988_800_000_000n, // 1900-01-01
  -2_203_977_600_000_001n, // 1900-02-28T23:59:59.999999 (1900 not a leap year)
  951_782_400_000_000n, // 2000-02-29
  951_868_799_999_999n,
  1_767_225_599_999_999n, // 2025-12-31T23:59:59.999999Z
  1_767_225_600_000_000n,
  4_107_542_400_123_456n, // 2100-03-01
  253_402_300_799_999_999n, // 9999-12-31T23:59:59.999999Z
];

const DECIMALS_12 = [
  "0",
  "-0",
  "0.01",
  "-0.01",
  "-0.5",
  "0.10",
  "12.3",
  "-7",
  "9999999999.99",
  "-9999999999.99",
];
const DECIMALS_14 = ["0", "-0.01", "0.05", "-1.50", "999999999999.99", "-999999999999.99", "100"];
const INTS = [0, -1, 1, 2_147_483_647, -2_147_483_648, 1_000_000];
const LONGS = [0n, -1n, 9_223_372_036_854_775_807n, -9_223_372_036_854_775_808n, 2_147_483_648n];
/** Doubles as canonical.ts accepts them: the double nearest to micros / 1e6. */
const DOUBLES = [
  0,
  -0,
  1800,
  0.000001,
  -0.000001,
  0.1,
  0.3,
  1.5,
  -0.5,
  123456.789012,
  86_399.999999,
  4_294_967_295.999999,
  -4_294_967_295.999999,
  2 ** 31,
];

/** A seeded generator (mulberry32): the same rows on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ (t + t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every hostile value at least once, a NULL in every column, then seeded random rows. */
function hostileRows(count: number, seed: number): Row[] {
  const rows: Row[] = [{}];
  const n = Math.max(
    HOSTILE_STRINGS.length,
    MICROS.length,
    DECIMALS_12.length,
    DECIMALS_14.length,
    INTS.length,
    LONGS.length,
    DOUBLES.length,
  );
  for (let k = 0; k < n; k++) {
    rows.push({
      s: HOSTILE_STRINGS[k % HOSTILE_STRINGS.length],
      t: MICROS[k % MICROS.length],
      d12: DECIMALS_12[k % DECIMALS_12.length],
      d14: DECIMALS_14[k % DECIMALS_14.length],
      i: INTS[k % INTS.length],
      l: LONGS[k % LONGS.length],
      x: DOUBLES[k % DOUBLES.length],
      b: k % 3 === 2 ? null : k % 2 === 0,
      s2: k % 4 === 0 ? null : HOSTILE_STRINGS[(k * 7) % HOSTILE_STRINGS.length],
    });
  }
  const rnd = random(seed);
  const span = 253_402_300_800_000_000 + 62_167_219_200_000_000;
  for (let k = 0; k < count; k++) {
    const micros = BigInt(Math.floor(rnd() * span)) - 62_167_219_200_000_000n;
    const durationMicros = Math.floor((rnd() - 0.5) * 2 * 4_294_967_295 * 1e6);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    rows.push({
      s: rnd() < 0.1 ? null : pick(HOSTILE_STRINGS.slice(0, -2)) + String(k),
      t: rnd() < 0.05 ? null : micros,
      d12: rnd() < 0.1 ? null : (Math.floor((rnd() - 0.5) * 2e8) / 100).toFixed(2),
      d14: pick(DECIMALS_14),
      i: Math.floor((rnd() - 0.5) * 2 ** 32),
      l: BigInt(Math.floor((rnd() - 0.5) * 2 ** 53)) * 1024n + BigInt(k % 1024),
      // Durations as the pipeline makes them: micros / 1e6, up to ±2^32 s.
      x: rnd() < 0.5 ? durationMicros / 1e6 : Math.floor(rnd() * 86_400_000_000) / 1e6,
      b: rnd() < 0.1 ? null : rnd() < 0.5,
      s2: rnd() < 0.5 ? null : `${k},"${k}"`,
    });
  }
  return rows;
}

describe("tableFingerprint (DuckDB SQL) equals tableFingerprintReference", () => {
  let fileA: string;
  let fileB: string;
  let fileC: string;

  beforeAll(async () => {
    fileA = await writeParquet(hostileRows(3_000, 1));
    // Columns reordered and two of them missing: read with union_by_name (NULL there).
    fileB = await writeParquet(hostileRows(2_000, 2), "b, x, l, i, d14, d12, t, s");
    fileC = await writeParquet([]);
  });

  it("on hostile values of every column type, one file", async () => {
    const [fast, reference] = await both(ALL_TYPES, [fileA]);
    expect(fast).toMatch(new RegExp(`^v1:${hostileRows(3_000, 1).length}:[0-9a-f]{32}$`));
    expect(fast).toBe(reference);
  });

  it("on several files with different column sets and orders, and an empty file", async () => {
    const [fast, reference] = await both(ALL_TYPES, [fileA, fileB, fileC]);
    const rows = hostileRows(3_000, 1).length + hostileRows(2_000, 2).length;
    expect(fast).toMatch(new RegExp(`^v1:${rows}:`));
    expect(fast).toBe(reference);
    // Order-independent: the same files in another order.
    expect(await tableFingerprint(ALL_TYPES, [fileC, fileB, fileA])).toBe(fast);
  });

  it("changes when one value changes (and still equals the reference)", async () => {
    const rows = hostileRows(600, 5);
    const original = await writeParquet(rows);
    const changed = structuredClone(rows);
    changed[400].s = `${changed[400].s ?? ""}!`;
    const edited = await writeParquet(changed);
    const tsChanged = structuredClone(rows);
    tsChanged[500].t = (tsChanged[500].t ?? 0n) + 1n;
    const edited2 = await writeParquet(tsChanged);
    const [a] = await both(ALL_TYPES, [original]);
    const [b, bRef] = await both(ALL_TYPES, [edited]);
    const [c, cRef] = await both(ALL_TYPES, [edited2]);
    expect(b).toBe(bRef);
    expect(c).toBe(cRef);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(b.split(":")[1]).toBe(a.split(":")[1]);
  });

  it("on the three tables' own shapes (real column names and types)", async () => {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:", { threads: "1" });
    const con = await db.connect();
    const files: Record<TableName, string> = {
      events: join(work, "events.parquet"),
      sessions: join(work, "sessions.parquet"),
      rejects: join(work, "rejects.parquet"),
    };
    try {
      const rows = hostileRows(500, 3);
      await con.run("SET TimeZone = 'UTC'");
      await con.run(`CREATE TABLE t (${DDL})`);
      await con.run(`INSERT INTO t VALUES ${rows.map(rowSql).join(", ")}`);
      await con.run(`COPY (SELECT s AS event_id, s2 AS user_id, t AS event_time, s AS event_type,
        s2 AS page_url, s AS referrer, s2 AS ip_address, s AS user_agent,
        CAST(d12 AS DECIMAL(12,2)) AS revenue, s2 AS country_code, s AS session_id,
        i AS event_seq FROM t) TO '${files.events}' (FORMAT PARQUET)`);
      await con.run(`COPY (SELECT s AS session_id, s2 AS user_id, t AS session_start,
        t AS session_end, x AS duration_seconds, i AS event_count, i AS page_view_count,
        i AS purchase_count, d14 AS revenue_total, s2 AS country_code, s AS landing_page,
        s2 AS exit_page, b AS is_bounce FROM t) TO '${files.sessions}' (FORMAT PARQUET)`);
      await con.run(`COPY (SELECT s AS event_id, s2 AS user_id, s AS event_time, s2 AS event_type,
        s AS page_url, s2 AS referrer, s AS ip_address, s2 AS user_agent, s AS revenue,
        s2 AS reject_reason FROM t) TO '${files.rejects}' (FORMAT PARQUET)`);
    } finally {
      con.closeSync();
      db.closeSync();
    }
    for (const name of ["events", "sessions", "rejects"] as const) {
      const [fast, reference] = await both(TABLES[name], [files[name]]);
      expect(fast, name).toBe(reference);
    }
  });

  it("formats timestamps as formatMicros over all of years 0000-9999", async () => {
    // 10,000 instants spread over the whole range, plus every year's first and last µs.
    const rnd = random(4);
    const rows: Row[] = [];
    for (let year = 0; year <= 9999; year += 37) {
      const start = BigInt(daysFromCivil(year, 1, 1)) * 86_400_000_000n;
      expect(formatMicros(start)).toBe(`${String(year).padStart(4, "0")}-01-01T00:00:00.000000Z`);
      rows.push({ t: start }, { t: start - 1n }, { t: start + 86_399_999_999n });
    }
    const span = 253_402_300_800_000_000 + 62_167_219_200_000_000;
    for (let k = 0; k < 10_000; k++) {
      rows.push({ t: BigInt(Math.floor(rnd() * span)) - 62_167_219_200_000_000n });
    }
    const inRange = rows.filter(
      (r) => r.t! >= -62_167_219_200_000_000n && r.t! < 253_402_300_800_000_000n,
    );
    expect(inRange.length).toBe(rows.length - 1);
    const file = await writeParquet(inRange);
    const [fast, reference] = await both(ALL_TYPES, [file]);
    expect(fast).toBe(reference);
  });
});

describe("tableFingerprint outside the SQL form's domain gives the reference's answer", () => {
  it("a valid double of 2^32 s or more: the reference's fingerprint", async () => {
    const file = await writeParquet([{ x: 1e10 }, { x: 4_294_967_296.5 }, { x: 1 }]);
    const [fast, reference] = await both(ALL_TYPES, [file]);
    expect(fast).toBe(reference);
    expect(fast).toMatch(/^v1:3:/);
  });

  it.each([
    ["a double that is not micros / 1e6", { x: 0.1 + 0.2 }, /is not the double nearest/],
    ["NaN", { x: Number.NaN }, /finite number/],
    ["infinity", { x: Number.NEGATIVE_INFINITY }, /finite number/],
    ["a timestamp after year 9999", { t: 253_402_300_800_000_000n }, /outside years 0000-9999/],
    ["a timestamp before year 0000", { t: -62_167_219_200_000_001n }, /outside years 0000-9999/],
  ] as [string, Row, RegExp][])("%s: the reference's error", async (_what, row, error) => {
    const file = await writeParquet([{ s: "ok" }, row]);
    await expect(tableFingerprintReference(ALL_TYPES, [file])).rejects.toThrow(error);
    await expect(tableFingerprint(ALL_TYPES, [file])).rejects.toThrow(error);
  });

  it("a string column stored as another type: the reference's error", async () => {
    const file = await writeParquet([{ s: "x", i: 5 }], "i AS s, t, d12, d14, i, l, x, b, s2");
    await expect(tableFingerprint(ALL_TYPES, [file])).rejects.toThrow(/expected a string/);
  });

  it("a column missing from every file: the reference's error", async () => {
    const file = await writeParquet([{ s: "x" }], "s, t, d12, d14, i, l, x, b");
    await expect(tableFingerprintReference(ALL_TYPES, [file])).rejects.toThrow(/s2/);
    await expect(tableFingerprint(ALL_TYPES, [file])).rejects.toThrow(/s2/);
  });

  it("text that is not UTF-8: DuckDB refuses it in both", async () => {
    const file = join(work, "not-utf8.parquet");
    const bytes = new Uint8Array([0x61, 0xff, 0x62]);
    const columnData = [{ name: "s", type: "STRING" as const, data: [bytes, "ok"] }];
    writeFileSync(file, Buffer.from(parquetWriteBuffer({ columnData })));
    const table: TableDef = { name: "rejects", columns: [ALL_TYPES.columns[0]], partition: [] };
    await expect(tableFingerprintReference(table, [file])).rejects.toThrow(/not valid UTF8/);
    await expect(tableFingerprint(table, [file])).rejects.toThrow(/not valid UTF8/);
  });

  it("no files and an empty file: zero rows", async () => {
    expect(await tableFingerprint(ALL_TYPES, [])).toBe(`v1:0:${"0".repeat(32)}`);
    const empty = await writeParquet([]);
    expect(await both(ALL_TYPES, [empty])).toEqual([
      `v1:0:${"0".repeat(32)}`,
      `v1:0:${"0".repeat(32)}`,
    ]);
  });
});

describe("tableFingerprint on the golden input's staged tables", () => {
  const golden = join(import.meta.dirname, "fixtures", "golden", "input.csv");
  const stage = async (
    engine: ReturnType<typeof createDuckDb> | ReturnType<typeof createPolars>,
    name: string,
  ): Promise<EngineRun> => {
    await engine.open({ threads: 2, memoryLimit: "512MB" });
    try {
      return await engine.run(
        {
          input: golden,
          geoDbPath: defaultGeoDb,
          warehouse: join(work, `${name}-unused-warehouse`),
          namespace: name,
          mode: "overwrite",
          stagingDir: join(work, `${name}-staging`),
        },
        recordPhases(),
      );
    } finally {
      await engine.close();
    }
  };

  it("DuckDB's and Polars' files: fast = reference, and both engines agree", async () => {
    const runs = [await stage(createDuckDb(), "duckdb"), await stage(createPolars(), "polars")];
    const got: Record<string, string>[] = [];
    for (const run of runs) {
      const per: Record<string, string> = {};
      for (const staged of run.staged) {
        const files = staged.files.map((f) => f.path);
        const [fast, reference] = await both(TABLES[staged.table], files);
        expect(fast, staged.table).toBe(reference);
        per[staged.table] = fast;
      }
      got.push(per);
    }
    expect(got[0]).toEqual(got[1]);
    expect(got[0].events).toMatch(/^v1:139:/);
    expect(got[0].sessions).toMatch(/^v1:21:/);
    expect(got[0].rejects).toMatch(/^v1:38:/);
  });
});
