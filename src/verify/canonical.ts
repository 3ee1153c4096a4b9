import { createHash } from "node:crypto";
import type { ColumnDef, TableDef } from "../lakehouse/tables.ts";
import { formatCents } from "../spec/formatCents.ts";
import { formatMicros } from "../spec/formatMicros.ts";
import { parseEventTime } from "../spec/parseEventTime.ts";

/**
 * The CANONICAL text of a table (docs/pipeline-spec.md §O3),
 * so that outputs of different engines are compared byte for byte and fingerprinted.
 *
 * - header = column names in schema order; then one line per row, rows sorted byte-wise on
 *   the UTF-8 bytes of their canonical line; LF line ends, trailing LF.
 * - null (or undefined) = empty unquoted field. Any other value is quoted RFC 4180-style
 *   (`"` doubled) when it contains `,` `"` CR or LF, starts or ends with whitespace
 *   (space, tab, CR, LF: the set of §C1), or is the empty string.
 *
 * Values accepted per column type (anything else throws, naming the row and column):
 * - string: string only.
 * - timestamptz: bigint or integer number = microseconds since 1970-01-01T00:00:00Z;
 *   Date (millisecond precision); an object with `micros: bigint` (DuckDB
 *   DuckDBTimestampTZValue); or ISO text in the §C5 grammar (also `±HH` offsets as DuckDB
 *   prints them). Written `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
 * - decimal(p,2): decimal text such as "12.3", "12.30", "-0.5", "7" (more decimals only
 *   when they are zeros: no rounding ever, §C8); bigint or integer number = CENTS
 *   (1230n -> 12.30); an object with `value: bigint` and `scale: number` (DuckDB
 *   DuckDBDecimalValue). Written with exactly 2 decimals, `-` when negative, -0 -> 0.00.
 * - double: number, written with toFixed(6) (`1800.000000`). The only double is
 *   duration_seconds = micros / 1e6 (§O2), so the value must be exactly the double nearest
 *   to those 6 decimals; anything else (a 1-ulp error from multiplying by 1e-6) is refused,
 *   because 6 printed decimals would hide it.
 * - int / long: number (integer) or bigint, plain digits.
 * - boolean: boolean, written `true` / `false`.
 */
export function toCanonicalCsv(table: TableDef, rows: readonly Record<string, unknown>[]): string {
  const header = table.columns.map((c) => c.name).join(",");
  const lines = rows.map((row, i) =>
    table.columns
      .map((col) => {
        if (!(col.name in row)) {
          throw new Error(
            `${table.name} row ${i + 1}: column ${col.name} is missing from the row object`,
          );
        }
        return canonicalField(table, col, row[col.name], i);
      })
      .join(","),
  );
  const keyed = lines.map((line) => ({ line, bytes: Buffer.from(line, "utf8") }));
  keyed.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  return [header, ...keyed.map((k) => k.line)].join("\n") + "\n";
}

/** sha256 hex of the canonical text of the table. */
export function fingerprint(table: TableDef, rows: readonly Record<string, unknown>[]): string {
  return createHash("sha256").update(toCanonicalCsv(table, rows), "utf8").digest("hex");
}

/** One canonical field (no separator); exported for tests and for diff tools. */
export function canonicalValue(col: ColumnDef, value: unknown): string {
  return canonicalField({ name: "events", columns: [col], partition: [] }, col, value, -1);
}

function canonicalField(table: TableDef, col: ColumnDef, value: unknown, rowIndex: number): string {
  if (value === null || value === undefined) return "";
  const fail = (what: string): never => {
    const where = rowIndex >= 0 ? `${table.name} row ${rowIndex + 1}` : table.name;
    throw new Error(
      `${where}, column ${col.name} (${col.type}): ${what}; got ${describe(value)} (see src/verify/canonical.ts for accepted values)`,
    );
  };
  switch (col.type) {
    case "string":
      if (typeof value !== "string") return fail("expected a string");
      return quote(value);
    case "timestamptz":
      return formatMicros(toMicros(value, fail));
    case "decimal(12,2)":
    case "decimal(14,2)":
      return formatCents(toCents(value, fail));
    case "double":
      if (typeof value !== "number" || !Number.isFinite(value))
        return fail("expected a finite number");
      {
        const text = (Object.is(value, -0) ? 0 : value).toFixed(6);
        if (Number(text) !== value)
          return fail(`${value} is not the double nearest to ${text} (expected micros / 1e6)`);
        return text;
      }
    case "int":
    case "long":
      if (typeof value === "bigint") return value.toString();
      if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
      return fail("expected an integer");
    case "boolean":
      if (typeof value !== "boolean") return fail("expected a boolean");
      return value ? "true" : "false";
  }
}

const NEEDS_QUOTES = /[,"\r\n]|^[ \t\r\n]|[ \t\r\n]$/;

function quote(text: string): string {
  if (text === "" || NEEDS_QUOTES.test(text)) return `"${text.replaceAll('"', '""')}"`;
  return text;
}

function toMicros(value: unknown, fail: (what: string) => never): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) return fail("microseconds must be a safe integer");
    return BigInt(value);
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) return fail("invalid Date");
    return BigInt(ms) * 1000n;
  }
  if (typeof value === "string") {
    // DuckDB prints TIMESTAMPTZ as `... +00`; complete it to the §C5 form `+00:00`.
    const text = /[+-][0-9]{2}$/.test(value) ? `${value}:00` : value;
    const micros = parseEventTime(text);
    if (micros === null) return fail("text is not an ISO timestamp in the §C5 grammar");
    return micros;
  }
  if (typeof value === "object" && typeof (value as { micros?: unknown }).micros === "bigint") {
    return (value as { micros: bigint }).micros;
  }
  return fail("expected microseconds (bigint/number), Date, {micros} or ISO text");
}

const DECIMAL_TEXT = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;

function toCents(value: unknown, fail: (what: string) => never): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) return fail("a number decimal must be integer CENTS");
    return BigInt(value);
  }
  if (typeof value === "string") {
    const m = DECIMAL_TEXT.exec(value);
    if (m === null) return fail("decimal text must look like -12.30");
    const [, sign, whole, frac = ""] = m;
    if (/[1-9]/.test(frac.slice(2)))
      return fail("more than 2 non-zero decimals (no rounding, §C8)");
    const cents = BigInt(whole) * 100n + BigInt(frac.slice(0, 2).padEnd(2, "0"));
    return sign === "-" ? -cents : cents;
  }
  if (typeof value === "object") {
    const v = value as { value?: unknown; scale?: unknown };
    if (typeof v.value === "bigint" && typeof v.scale === "number") {
      return scaleToCents(v.value, v.scale, fail);
    }
  }
  return fail("expected decimal text, bigint/number cents or {value, scale}");
}

function scaleToCents(unscaled: bigint, scale: number, fail: (what: string) => never): bigint {
  if (scale <= 2) return unscaled * 10n ** BigInt(2 - scale);
  const div = 10n ** BigInt(scale - 2);
  if (unscaled % div !== 0n) return fail("more than 2 non-zero decimals (no rounding, §C8)");
  return unscaled / div;
}

function describe(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Date) return `Date(${value.toISOString()})`;
  if (typeof value === "object")
    return `${value?.constructor?.name ?? "object"} ${JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))}`;
  return `${typeof value} ${String(value)}`;
}
