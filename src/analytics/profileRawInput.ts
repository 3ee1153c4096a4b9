import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DuckDBConnection } from "@duckdb/node-api";
import { tableFromArrays, type Table } from "apache-arrow";
import { DIRTY_RATES, INVALID_TIME_KINDS } from "../generator/rates.ts";
import { RAW_COLUMNS } from "../lakehouse/tables.ts";

const PROFILE_DIR = join(dirname(fileURLToPath(import.meta.url)), "profile");
const sql = (name: string) => readFileSync(join(PROFILE_DIR, `${name}.sql`), "utf8");
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Row values as numbers (counts) or text; bigint counts fit a double here. */
function toArrow(columns: string[], rows: unknown[][]): Table {
  const arrays: Record<string, (number | string | null)[]> = {};
  columns.forEach((c, i) => {
    arrays[c] = rows.map((r) => {
      const v = r[i];
      if (v === null || v === undefined) return null;
      return typeof v === "bigint" || typeof v === "number" ? Number(v) : String(v);
    });
  });
  return tableFromArrays(arrays as Record<string, never>);
}

async function query(
  con: DuckDBConnection,
  text: string,
  values?: Record<string, bigint>,
): Promise<Table> {
  const reader = await con.runAndReadAll(text, values);
  return toArrow(reader.columnNames(), reader.getRows());
}

export interface RawProfile {
  /** One row per raw column, in input order: rows, nulls, blank, padded, distinct_approx, max_length. */
  columns: Table;
  /** Shapes (digits as 9) of event_time and revenue: column, shape, rows. */
  shapes: Table;
  /** screen (a DIRTY_RATES key), matched, of_rows, rate. */
  screens: Table;
  /** event_type (trimmed, lower-cased), rows, raw_spellings. */
  eventTypes: Table;
  /** events (rows per user), users. */
  eventsPerUser: Table;
  /** revenue of well-formed purchase rows (one row each). */
  revenues: Table;
}

/**
 * Profiles a raw input file (CSV or Parquet, every column read as text) on a DuckDB connection:
 * nulls and blanks per column, value shapes, and dirty-data screens whose rates can be set
 * against the generator's DIRTY_RATES. Read-only; the file is scanned once per profile.
 */
export async function profileRawInput(
  con: DuckDBConnection,
  path: string,
  topShapes = 12,
): Promise<RawProfile> {
  const source = path.endsWith(".parquet")
    ? `read_parquet(${lit(path)})`
    : `read_csv(${lit(path)}, header = true, all_varchar = true, quote = '"', escape = '"', delim = ',')`;
  const cols = RAW_COLUMNS.map((c) => `CAST(${c} AS VARCHAR) AS ${c}`).join(", ");
  await con.run(`CREATE OR REPLACE TEMP TABLE raw AS SELECT ${cols} FROM ${source}`);
  try {
    const byColumn = await query(con, sql("columns"));
    const order = byColumn.getChild("column_name")!.toArray() as string[];
    const columnsRows = RAW_COLUMNS.map((c) => order.indexOf(c)).map((i) =>
      byColumn.schema.fields.map((f) => byColumn.getChild(f.name)!.get(i)),
    );
    const columns = toArrow(
      byColumn.schema.fields.map((f) => f.name),
      columnsRows,
    );
    const shapeRows: unknown[][] = [];
    for (const c of ["event_time", "revenue"]) {
      await con.run(`CREATE OR REPLACE TEMP VIEW raw_column AS SELECT ${c} AS value FROM raw`);
      const t = await query(con, sql("shapes"), { top_n: BigInt(topShapes) });
      for (const r of t.toArray()) shapeRows.push([c, r.shape, r.rows]);
    }
    const shapes = toArrow(["column", "shape", "rows"], shapeRows);
    const s = await query(con, sql("screens"));
    const screenRows = s
      .toArray()
      .map((r) => [r.screen, r.matched, r.of_rows, r.of_rows ? r.matched / r.of_rows : null]);
    const screens = toArrow(["screen", "matched", "of_rows", "rate"], screenRows);
    const eventTypes = await query(con, sql("event_types"));
    const eventsPerUser = await query(con, sql("events_per_user"));
    const revenues = await query(con, sql("revenue_values"));
    return { columns, shapes, screens, eventTypes, eventsPerUser, revenues };
  } finally {
    await con.run("DROP VIEW IF EXISTS raw_column; DROP TABLE IF EXISTS raw");
  }
}

/**
 * The generator's rate for each screen (DIRTY_RATES x dirtyRate; invalid event times sum the
 * five kinds), to set beside the measured ones.
 */
export function expectedScreenRates(dirtyRate = 1): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(DIRTY_RATES)) out[k] = v * dirtyRate;
  out.invalidEventTime = INVALID_TIME_KINDS.reduce((s, k) => s + DIRTY_RATES[k], 0) * dirtyRate;
  return out;
}
