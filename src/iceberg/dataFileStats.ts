import type { DuckDBConnection } from "@duckdb/node-api";
import type { TableDef } from "./tableDef.ts";
import { decimalOf } from "./schema.ts";
import {
  compareValues,
  encodeValue,
  truncateLower,
  truncateUpper,
  type BoundValue,
} from "./singleValue.ts";
import type { DataFile, IntMap } from "./types.ts";

/** One column chunk of a Parquet footer, as DuckDB's parquet_metadata() reports it. */
export interface FooterChunk {
  rowGroup: number;
  rowGroupRows: number;
  column: string;
  numValues: number;
  nullCount: number | null;
  min: string | null;
  max: string | null;
  compressedSize: number;
}

/** Reads the footers of many Parquet files in one query (no data pages are read). */
export async function readFooters(
  conn: DuckDBConnection,
  paths: string[],
): Promise<Map<string, FooterChunk[]>> {
  const out = new Map<string, FooterChunk[]>(paths.map((p) => [p, []]));
  if (paths.length === 0) return out;
  // Timestamps come back as text in the session time zone: pin it to UTC.
  await conn.run("SET TimeZone = 'UTC'");
  const list = paths.map((p) => `'${p.replaceAll("'", "''")}'`).join(", ");
  const reader = await conn.runAndReadAll(
    `SELECT file_name, row_group_id, row_group_num_rows, path_in_schema, num_values,
            stats_null_count, stats_min_value, stats_max_value, total_compressed_size
     FROM parquet_metadata([${list}])`,
  );
  for (const r of reader.getRowObjectsJS()) {
    const chunks = out.get(String(r.file_name));
    if (!chunks) continue;
    chunks.push({
      rowGroup: Number(r.row_group_id),
      rowGroupRows: Number(r.row_group_num_rows),
      column: String(r.path_in_schema),
      numValues: Number(r.num_values),
      nullCount: r.stats_null_count === null ? null : Number(r.stats_null_count),
      min: r.stats_min_value === null ? null : String(r.stats_min_value),
      max: r.stats_max_value === null ? null : String(r.stats_max_value),
      compressedSize: Number(r.total_compressed_size),
    });
  }
  return out;
}

const TS =
  /^(-?\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:([+-])(\d\d)(?::?(\d\d))?)?$/;

/** "2026-01-01 10:00:00.5+00" (DuckDB's text of a timestamp statistic) -> epoch micros. */
export function parseTimestampMicros(text: string): bigint {
  const m = TS.exec(text.trim());
  if (!m) throw new Error(`unparseable timestamp statistic ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s, frac, sign, oh, om] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const micros = BigInt(ms) * 1000n + BigInt((frac ?? "").padEnd(6, "0").slice(0, 6) || "0");
  const offsetMin = sign ? (Number(oh) * 60 + Number(om ?? 0)) * (sign === "-" ? -1 : 1) : 0;
  return micros - BigInt(offsetMin) * 60_000_000n;
}

/** "-12.3" with scale 2 -> -1230n (unscaled decimal). */
export function parseDecimalUnscaled(text: string, scale: number): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) throw new Error(`unparseable decimal statistic ${JSON.stringify(text)}`);
  const frac = (m[3] ?? "").padEnd(scale, "0");
  if (frac.length > scale && /[^0]/.test(frac.slice(scale))) {
    throw new Error(`decimal statistic ${text} has more than ${scale} decimals`);
  }
  const v = BigInt((m[2] || "0") + frac.slice(0, scale));
  return m[1] === "-" ? -v : v;
}

/** Typed statistic value, or null when Iceberg should not get a bound for this type. */
function statValue(type: string, text: string): BoundValue | null {
  const dec = decimalOf(type);
  if (dec) return parseDecimalUnscaled(text, dec.scale);
  switch (type) {
    case "string":
      return text;
    case "int":
      return Number(text);
    case "long":
      return BigInt(text);
    case "boolean":
      return text === "true";
    case "timestamptz":
      return parseTimestampMicros(text);
    default:
      // Floating point: footer min/max may ignore NaN, and Java also keeps no footer-only
      // bounds for float/double, so we leave them out (Iceberg spec, "Manifests": bounds optional).
      return null;
  }
}

export const MICROS_PER_DAY = 86_400_000_000n;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/**
 * Builds the DataFile of one Parquet file from its footer: counts, sizes and single-value
 * bounds per field id (Iceberg spec, "Manifests" data_file fields), with string bounds
 * truncated to 16 code points. Checks the partition value against the bounds of the partition
 * source column, so a file staged under the wrong day is refused instead of hidden by pruning.
 */
export function dataFileFromFooter(args: {
  table: TableDef;
  location: string;
  sourcePath: string;
  sizeBytes: number;
  chunks: FooterChunk[];
  partitionDay: number | null;
}): DataFile {
  const { table, chunks } = args;
  const name = args.sourcePath;
  const rowGroups = new Map<number, number>();
  for (const c of chunks) rowGroups.set(c.rowGroup, c.rowGroupRows);
  const recordCount = [...rowGroups.values()].reduce((a, b) => a + b, 0);

  const columnSizes: IntMap<bigint> = [];
  const valueCounts: IntMap<bigint> = [];
  const nullCounts: IntMap<bigint> = [];
  const lower: IntMap<Buffer> = [];
  const upper: IntMap<Buffer> = [];
  const bounds = new Map<number, [BoundValue, BoundValue]>();
  for (const col of table.columns) {
    const cs = chunks.filter((c) => c.column === col.name);
    if (cs.length === 0) {
      // An empty file has no column chunks at all; only a non-empty one can miss a column.
      if (col.required && recordCount > 0) {
        throw new Error(`${name}: required column ${col.name} of table ${table.name} is missing`);
      }
      continue;
    }
    columnSizes.push({ key: col.id, value: BigInt(cs.reduce((a, c) => a + c.compressedSize, 0)) });
    valueCounts.push({ key: col.id, value: BigInt(cs.reduce((a, c) => a + c.numValues, 0)) });
    if (cs.every((c) => c.nullCount !== null)) {
      const nulls = cs.reduce((a, c) => a + c.nullCount!, 0);
      nullCounts.push({ key: col.id, value: BigInt(nulls) });
      if (col.required && nulls > 0) {
        throw new Error(`${name}: required column ${col.name} has ${nulls} null value(s)`);
      }
    }
    let lo: BoundValue | null = null;
    let hi: BoundValue | null = null;
    let complete = true;
    for (const c of cs) {
      const allNull = c.nullCount !== null && c.nullCount === c.numValues;
      if (c.min === null || c.max === null) {
        if (!allNull) complete = false;
        continue;
      }
      const a = statValue(col.type, c.min);
      const b = statValue(col.type, c.max);
      if (a === null || b === null) {
        complete = false;
        break;
      }
      if (lo === null || compareValues(a, lo) < 0) lo = a;
      if (hi === null || compareValues(b, hi) > 0) hi = b;
    }
    if (!complete || lo === null || hi === null) continue;
    bounds.set(col.id, [lo, hi]);
    if (col.type === "string") {
      const up = truncateUpper(hi as string);
      lower.push({ key: col.id, value: encodeValue("string", truncateLower(lo as string)) });
      if (up !== null) upper.push({ key: col.id, value: encodeValue("string", up) });
    } else {
      lower.push({ key: col.id, value: encodeValue(col.type, lo) });
      upper.push({ key: col.id, value: encodeValue(col.type, hi) });
    }
  }

  const partition: Record<string, number | null> = {};
  for (const p of table.partition) {
    const b = bounds.get(p.sourceId);
    const days = b
      ? [floorDiv(b[0] as bigint, MICROS_PER_DAY), floorDiv(b[1] as bigint, MICROS_PER_DAY)]
      : null;
    if (recordCount > 0 && days && days[0] !== days[1]) {
      throw new Error(
        `${name}: rows span days ${days[0]}..${days[1]} of ${p.name}; stage one file per day`,
      );
    }
    const fromStats = days ? Number(days[0]) : null;
    if (args.partitionDay !== null && fromStats !== null && args.partitionDay !== fromStats) {
      throw new Error(
        `${name}: staged as partition day ${args.partitionDay} but its rows are on day ${fromStats}`,
      );
    }
    partition[p.name] = args.partitionDay ?? fromStats;
  }

  return {
    content: 0,
    file_path: args.location,
    file_format: "PARQUET",
    partition,
    record_count: BigInt(recordCount),
    file_size_in_bytes: BigInt(args.sizeBytes),
    column_sizes: columnSizes,
    value_counts: valueCounts,
    null_value_counts: nullCounts,
    nan_value_counts: null,
    lower_bounds: lower,
    upper_bounds: upper,
    key_metadata: null,
    split_offsets: null,
    equality_ids: null,
    sort_order_id: null,
  };
}
