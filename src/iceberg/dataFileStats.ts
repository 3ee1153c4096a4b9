import { asyncBufferFromFile, parquetMetadataAsync, type SchemaElement } from "hyparquet";
import { decimalOf } from "./schema.ts";
import {
  compareValues,
  encodeValue,
  truncateLower,
  truncateUpper,
  type BoundValue,
} from "./singleValue.ts";
import type { TableDef } from "./tableDef.ts";
import type { DataFile, IntMap } from "./types.ts";

/**
 * A statistic of a column chunk, typed as Iceberg needs it: text, int (number), long (bigint),
 * boolean, timestamps as UTC microseconds (bigint), decimals unscaled (bigint), floating point
 * as number.
 */
export type FooterValue = string | number | bigint | boolean;

/** One column chunk of a Parquet footer. */
export interface FooterChunk {
  rowGroup: number;
  rowGroupRows: number;
  column: string;
  numValues: number;
  nullCount: number | null;
  /** null when the footer has no (exact) bound for this chunk. */
  min: FooterValue | null;
  max: FooterValue | null;
  compressedSize: number;
}

/** hyparquet's default parsers make Dates (milliseconds); Iceberg bounds need exact micros. */
const PARSERS = {
  timestampFromMilliseconds: (ms: bigint) => ms * 1000n,
  timestampFromMicroseconds: (us: bigint) => us,
  // Iceberg v2 timestamps are microseconds; a nanosecond bound is not given (bounds are optional).
  timestampFromNanoseconds: () => undefined,
};

/**
 * hyparquet hands decimal statistics over as a double (unscaled / 10^scale). Up to 2^53 the
 * unscaled integer comes back exactly, which this checks; beyond that the bound is left out
 * (Iceberg spec, "Manifests": bounds are optional) rather than rounded.
 */
function exactDecimal(value: unknown, scale: number): bigint | null {
  if (typeof value !== "number") return null;
  const unscaled = Math.round(value * 10 ** scale);
  return Number.isSafeInteger(unscaled) && unscaled / 10 ** scale === value
    ? BigInt(unscaled)
    : null;
}

function footerValue(value: unknown, element: SchemaElement | undefined): FooterValue | null {
  if (value === undefined || value === null) return null;
  if (element?.converted_type === "DECIMAL" || element?.logical_type?.type === "DECIMAL") {
    return exactDecimal(value, element.scale ?? 0);
  }
  if (
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "bigint" ||
    typeof value === "boolean"
  ) {
    return value;
  }
  return null; // bytes of a type we give no bounds for
}

/**
 * Reads the footers of Parquet files with hyparquet (footer only, no data pages): per column
 * chunk the counts, sizes and typed min/max. Only `min_value`/`max_value` are used: the legacy
 * `min`/`max` fields used signed byte order for text (parquet-format, "Statistics").
 */
export async function readFooters(paths: string[]): Promise<Map<string, FooterChunk[]>> {
  const out = new Map<string, FooterChunk[]>();
  for (const path of paths) {
    let metadata;
    try {
      metadata = await parquetMetadataAsync(await asyncBufferFromFile(path), { parsers: PARSERS });
    } catch (err) {
      throw new Error(`${path}: cannot read the Parquet footer: ${(err as Error).message}`);
    }
    const elements = new Map(metadata.schema.map((e) => [e.name, e]));
    const chunks: FooterChunk[] = [];
    metadata.row_groups.forEach((rg, rowGroup) => {
      for (const chunk of rg.columns) {
        const meta = chunk.meta_data;
        if (!meta) continue;
        const column = meta.path_in_schema.join(".");
        const element = elements.get(meta.path_in_schema.at(-1) ?? "");
        const stats = meta.statistics;
        chunks.push({
          rowGroup,
          rowGroupRows: Number(rg.num_rows),
          column,
          numValues: Number(meta.num_values),
          nullCount: stats?.null_count === undefined ? null : Number(stats.null_count),
          min: footerValue(stats?.min_value, element),
          max: footerValue(stats?.max_value, element),
          compressedSize: Number(meta.total_compressed_size),
        });
      }
    });
    out.set(path, chunks);
  }
  return out;
}

/** A footer value as the bound of an Iceberg column, or null when the type gets no bound. */
function statValue(type: string, value: FooterValue, where: string): BoundValue | null {
  const wrong = () =>
    new Error(`${where}: footer statistic ${String(value)} does not fit Iceberg type ${type}`);
  if (decimalOf(type)) {
    if (typeof value !== "bigint") throw wrong();
    return value;
  }
  switch (type) {
    case "string":
      if (typeof value !== "string") throw wrong();
      return value;
    case "int":
      if (typeof value !== "number" || !Number.isInteger(value)) throw wrong();
      return value;
    case "long":
      if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
      if (typeof value !== "bigint") throw wrong();
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw wrong();
      return value;
    case "timestamptz":
      if (typeof value !== "bigint") throw wrong();
      return value;
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
      const a = statValue(col.type, c.min, `${name} column ${col.name}`);
      const b = statValue(col.type, c.max, `${name} column ${col.name}`);
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
