import type { ColumnDef, TableDef } from "../lakehouse/tables.ts";
import { localPath, tableFingerprintReference } from "./tableFingerprintReference.ts";

/**
 * Order-independent fingerprint of a table stored in Parquet files, for tables too large to
 * sort in memory (the benchmark's 10M and 100M cells). Each row becomes its canonical line
 * (the same field text as toCanonicalCsv, src/verify/canonical.ts: canonicalValue per column,
 * comma-joined); the line's sha256 is cut into two 64-bit little-endian words and the words
 * are summed modulo 2^64 over all rows. A sum does not depend on the row order, and a
 * multiset of lines gives one value: two engines that wrote the same rows, in any files and
 * any order, get the same fingerprint. Form: `v1:<rows>:<32 hex digits>`.
 *
 * The whole computation is one aggregate query in DuckDB (vectorised, on `threads` threads,
 * no sort, so memory stays flat at any size): the canonical line is built in SQL, hashed with
 * DuckDB's sha256, and the per-row words are summed as HUGEINT. It gives the same string as
 * tableFingerprintReference (the JavaScript definition, src/verify/tableFingerprintReference.ts)
 * for every value the SQL reproduces exactly (tests/tableFingerprint.test.ts proves it on
 * adversarial tables). Outside that domain the reference is used for the whole table, so
 * the result is the reference's in every case (or its error, naming the column):
 * - a string column that DuckDB does not read as VARCHAR, a double column not read as
 *   DOUBLE, a boolean column not read as BOOLEAN, or a column missing from every file;
 * - a timestamp outside years 0000-9999 (the reference refuses it);
 * - a double that is not finite, |x| >= 2^32, or not the double nearest to its 6-decimal
 *   text (the reference refuses the last two kinds' invalid values; large valid ones it
 *   formats, and the SQL form does not cover them).
 */
export async function tableFingerprint(
  table: TableDef,
  files: readonly string[],
  options: FingerprintOptions = {},
): Promise<string> {
  if (files.length === 0) return formatFingerprint(0n, 0n, 0n);
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", {
    memory_limit: options.memoryLimit ?? "1GB",
    threads: String(Math.max(1, Math.floor(options.threads ?? 1))),
    preserve_insertion_order: "false",
  });
  const con = await db.connect();
  let result: string | null = null;
  try {
    const source = parquetSource(files);
    const described = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    const types = new Map<string, string>();
    for (const row of described.getRowObjectsJS()) {
      types.set(String(row.column_name), String(row.column_type));
    }
    if (table.columns.every((c) => sqlCovers(c, types.get(c.name)))) {
      const reader = await con.runAndReadAll(fingerprintSql(table, source));
      const [row] = reader.getRowObjectsJS();
      if (BigInt(row.outside as bigint) === 0n) {
        result = formatFingerprint(
          BigInt(row.n as bigint),
          BigInt(row.w0 as bigint),
          BigInt(row.w1 as bigint),
        );
      }
    }
  } finally {
    con.closeSync();
    db.closeSync();
  }
  return result ?? tableFingerprintReference(table, files);
}

export interface FingerprintOptions {
  /** DuckDB threads (default 1): the benchmark passes the cell's threads. */
  threads?: number;
  /** DuckDB memory_limit (default 1GB); the aggregate keeps no rows, so little is used. */
  memoryLimit?: string;
}

/** `v1:<rows>:<word 0><word 1>`, each word the sum modulo 2^64 in 16 hex digits. */
function formatFingerprint(rows: bigint, w0: bigint, w1: bigint): string {
  const hex = (v: bigint) => BigInt.asUintN(64, v).toString(16).padStart(16, "0");
  return `v1:${rows}:${hex(w0)}${hex(w1)}`;
}

export function parquetSource(files: readonly string[]): string {
  const list = files.map((f) => sqlString(localPath(f))).join(", ");
  return `read_parquet([${list}], union_by_name = true)`;
}

const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Whether the SQL form reproduces canonicalValue for this column as DuckDB reads it. */
function sqlCovers(col: ColumnDef, duckType: string | undefined): boolean {
  if (duckType === undefined) return false;
  switch (col.type) {
    case "string":
      return duckType === "VARCHAR";
    case "double":
      return duckType === "DOUBLE";
    case "boolean":
      return duckType === "BOOLEAN";
    // The same casts as the reference's query; the SQL formats their results.
    case "timestamptz":
    case "decimal(12,2)":
    case "decimal(14,2)":
    case "int":
    case "long":
      return true;
  }
}

/** canonical.ts's NEEDS_QUOTES (or empty) as byte searches: all its characters are ASCII. */
function needsQuotesSql(v: string): string {
  const tests = [
    `${v} = ''`,
    ...["','", `'"'`, "chr(10)", "chr(13)"].map((c) => `contains(${v}, ${c})`),
    ...["' '", "chr(9)"].flatMap((c) => [`starts_with(${v}, ${c})`, `ends_with(${v}, ${c})`]),
  ];
  return `(${tests.join(" OR ")})`;
}

/** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in microseconds: formatMicros's range. */
const MIN_MICROS = "-62167219200000000";
const END_MICROS = "253402300800000000";

/**
 * One column's canonical text (never NULL: a NULL is '') and the condition under which that
 * text is exact (NULL when always).
 */
function columnSql(col: ColumnDef, i: number): { text: string; exact: string | null } {
  const q = ident(col.name);
  switch (col.type) {
    case "string": {
      // The reference reads text through the DuckDB Node API, whose TextDecoder (default
      // options) drops one leading U+FEFF (byte order mark) from every value: so does this.
      // Then quote() of canonical.ts: quoted when empty, when it holds , " CR or LF, or when
      // it starts or ends with space, tab, CR or LF. Most values need neither: they are
      // taken as they are after cheap byte searches, the rest go the slow way.
      const bom = "chr(65279)";
      const v = `(CASE WHEN starts_with(${q}, ${bom}) THEN substr(${q}, 2) ELSE ${q} END)`;
      return {
        text:
          `CASE WHEN ${q} IS NULL THEN '' ` +
          `WHEN NOT (${needsQuotesSql(q)} OR starts_with(${q}, ${bom})) THEN ${q} ` +
          `WHEN ${needsQuotesSql(v)} THEN concat('"', replace(${v}, '"', '""'), '"') ` +
          `ELSE ${v} END`,
        exact: null,
      };
    }
    case "timestamptz": {
      // formatMicros of the reference's epoch_us: `YYYY-MM-DDTHH:MM:SS.ffffffZ`, years 0000-9999.
      const us = `__fp${i}`;
      return {
        text:
          `CASE WHEN ${us} >= ${MIN_MICROS} AND ${us} < ${END_MICROS} ` +
          `THEN strftime(make_timestamp(${us}), '%Y-%m-%dT%H:%M:%S.%fZ') ELSE '' END`,
        exact: `(${us} IS NULL OR (${us} >= ${MIN_MICROS} AND ${us} < ${END_MICROS}))`,
      };
    }
    case "decimal(12,2)":
    case "decimal(14,2)":
      // DuckDB prints DECIMAL(18,2) as formatCents does: -?digits.dd, -0 as 0.00.
      return { text: `coalesce(CAST(CAST(${q} AS DECIMAL(18,2)) AS VARCHAR), '')`, exact: null };
    case "int":
    case "long":
      return { text: `coalesce(CAST(CAST(${q} AS BIGINT) AS VARCHAR), '')`, exact: null };
    case "boolean":
      return {
        text: `CASE WHEN ${q} THEN 'true' WHEN NOT ${q} THEN 'false' ELSE '' END`,
        exact: null,
      };
    case "double": {
      // toFixed(6) of a double that is the nearest to micros / 1e6 (canonical.ts refuses any
      // other): for |x| < 2^32 the micros are round(x * 1e6), and the check below (an exact
      // IEEE division) proves the double is the nearest; the text is then micros / 1e6 in
      // decimal, -0 as 0.000000.
      const m = `__fp${i}`;
      const ok = `(abs(${q}) < CAST(4294967296 AS DOUBLE) AND CAST(${m} AS DOUBLE) / CAST(1000000 AS DOUBLE) = ${q})`;
      return {
        text:
          `CASE WHEN ${ok} THEN (CASE WHEN ${m} < 0 THEN '-' ELSE '' END) || ` +
          `CAST(abs(${m}) // 1000000 AS VARCHAR) || '.' || ` +
          `lpad(CAST(abs(${m}) % 1000000 AS VARCHAR), 6, '0') ELSE '' END`,
        exact: `(${q} IS NULL OR ${ok})`,
      };
    }
  }
}

/** Helper columns c<i> that the texts above read (a string as the reference sees it, micros). */
function helperSql(col: ColumnDef, i: number): string | null {
  const q = ident(col.name);
  switch (col.type) {
    case "timestamptz":
      return `epoch_us(${q}) AS __fp${i}`;
    case "double":
      return `CASE WHEN abs(${q}) < CAST(4294967296 AS DOUBLE) THEN CAST(round(${q} * CAST(1000000 AS DOUBLE)) AS BIGINT) END AS __fp${i}`;
    default:
      return null;
  }
}

/** The 8 bytes of a big-endian UBIGINT reordered as a little-endian word (a byte swap). */
function byteSwapSql(w: string): string {
  const parts: string[] = [];
  for (let k = 0; k < 8; k++) {
    // Byte k from the left (bits 63-8k..56-8k) goes to bits 8k+7..8k.
    const shift = 56 - 16 * k;
    const mask = `CAST(${255n << BigInt(56 - 8 * k)} AS UBIGINT)`;
    parts.push(shift >= 0 ? `((${w} & ${mask}) >> ${shift})` : `((${w} & ${mask}) << ${-shift})`);
  }
  return parts.join(" | ");
}

/**
 * The canonical lines of the rows of `source` (column `line`) and whether each is inside the
 * exact domain (column `exact`): the same text as the reference's line where `exact`.
 */
export function canonicalLinesSql(table: TableDef, source: string): string {
  const cols = table.columns.map((c, i) => columnSql(c, i));
  const helpers = table.columns
    .map((c, i) => helperSql(c, i))
    .filter((h): h is string => h !== null);
  // concat (one allocation per line) of fields that are never NULL.
  const line = `concat(${cols.map((c) => c.text).join(", ',', ")})`;
  const exact = cols.map((c) => c.exact).filter((e): e is string => e !== null);
  const base = `SELECT *${helpers.length > 0 ? `, ${helpers.join(", ")}` : ""} FROM ${source}`;
  return `SELECT ${line} AS line, ${exact.length > 0 ? exact.join(" AND ") : "true"} AS exact FROM (${base})`;
}

/** The aggregate: rows, the rows outside the exact domain, and the two word sums. */
export function fingerprintSql(table: TableDef, source: string): string {
  return `
    WITH hashed AS (SELECT sha256(line) AS h, exact FROM (${canonicalLinesSql(table, source)})),
    big_endian AS (
      SELECT CAST('0x' || h[1:16] AS UBIGINT) AS b0, CAST('0x' || h[17:32] AS UBIGINT) AS b1, exact
      FROM hashed
    ),
    words AS (SELECT ${byteSwapSql("b0")} AS w0, ${byteSwapSql("b1")} AS w1, exact FROM big_endian)
    SELECT count(*) AS n, count(*) FILTER (WHERE NOT exact) AS outside,
      coalesce(sum(w0), 0) AS w0, coalesce(sum(w1), 0) AS w1
    FROM words`;
}
