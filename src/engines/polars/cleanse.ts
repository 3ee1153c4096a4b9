import pl from "nodejs-polars";
import { DUPLICATE_ORDER, RAW_COLUMNS } from "../../lakehouse/tables.ts";
import { daysFromCivil, isValidDate } from "../../spec/calendar.ts";
import { REVENUE_PATTERN } from "../../spec/parseRevenue.ts";

/** Cleansed rows that passed every check, and the rejects (raw values + reason). */
export interface Cleansed {
  /** Cleansed columns under their output names; event_time is Int64 UTC microseconds. */
  valid: pl.DataFrame;
  /** The nine raw columns as read plus reject_reason (docs/pipeline-spec.md §O3). */
  rejects: pl.DataFrame;
}

/** Raw copies keep this prefix while the cleansed columns take the output names. */
export const RAW = "raw_";

/** docs/pipeline-spec.md §C1: only space, tab, CR and LF are whitespace. */
const WHITESPACE = " \t\r\n";

/** §C5: the whole event_time grammar; ranges are checked on the parts below. */
const TIME_RE =
  "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})?$";

/** §C7: dotted quad, each octet 0-255 without leading zeros (a lone 0 is fine). */
const OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
const IPV4_RE = `^${OCTET}(\\.${OCTET}){3}$`;
/** §C7: eight hex groups, one `::` standing for one or more zero groups, no IPv4 tail. */
const H = "[0-9A-Fa-f]{1,4}";
const IPV6_RE =
  "^(" +
  [
    `(${H}:){7}${H}`,
    `(${H}:){1,7}:`,
    `(${H}:){1,6}:${H}`,
    `(${H}:){1,5}(:${H}){1,2}`,
    `(${H}:){1,4}(:${H}){1,3}`,
    `(${H}:){1,3}(:${H}){1,4}`,
    `(${H}:){1,2}(:${H}){1,5}`,
    `${H}:(:${H}){1,6}`,
    `:((:${H}){1,7}|:)`,
  ].join("|") +
  ")$";

/** §C8. */
const REVENUE_RE = `^${REVENUE_PATTERN}$`;

function daysInMonth(year: number, month: number): number {
  const next = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
  return next - daysFromCivil(year, month, 1);
}

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;

function i64(n: number): pl.Expr {
  // Polars reads a JS number literal as Float64; the time arithmetic must stay integral.
  return pl.lit(n).cast(pl.Int64);
}

function part(s: pl.Expr, start: number, length: number): pl.Expr {
  return s.str.slice(start, length).cast(pl.Int64);
}

/**
 * §C5: adds `out`, the trimmed event_time text of column `text` as Int64 UTC microseconds,
 * or null when it does not match the grammar or is not a real calendar instant.
 * Vectorised and regex-light: one regex test for the shape; then, because the grammar fixes
 * every position up to the seconds, plain slices; the fraction and zone are told apart by
 * the text's length and last characters. The parts are materialised once as temporary
 * columns; month validity, day count and the day number of the 1st come from
 * src/spec/calendar.ts, asked once per distinct year-month.
 */
export async function withEventTime(
  lf: pl.LazyDataFrame,
  text: string,
  out: string,
): Promise<pl.LazyDataFrame> {
  const s = pl.col(text);
  const c = (name: string) => pl.col(name);
  // Layer 1: everything read straight from the text.
  const layer1 = {
    __ok: s.str.contains(TIME_RE),
    __len: s.str.lengths().cast(pl.Int64),
    __sign: s.str.slice(-6, 1),
    __zulu: s.str.endsWith("Z"),
    __y: part(s, 0, 4),
    __mo: part(s, 5, 2),
    __d: part(s, 8, 2),
    __h: part(s, 11, 2),
    __mi: part(s, 14, 2),
    __s: part(s, 17, 2),
  };
  // Layer 2: a ±HH:MM zone is the last 6 characters when the 6th from the end is a sign.
  const layer2 = {
    __offset: c("__sign")
      .eq(pl.lit("+"))
      .or(c("__sign").eq(pl.lit("-")))
      .and(c("__len").gtEq(i64(25))),
  };
  const zoneLength = pl
    .when(c("__zulu"))
    .then(i64(1))
    .when(c("__offset"))
    .then(i64(6))
    .otherwise(i64(0));
  // Characters between the seconds and the zone: none, or "." plus 1-6 digits.
  const fractionChars = c("__len").sub(i64(19)).sub(zoneLength);
  const layer3 = {
    __f: pl
      .when(fractionChars.gt(i64(0)))
      // nodejs-polars 0.25.2 str.slice() mishandles an expression length, so the digits
      // are cut at the first non-digit instead (a short regex on at most 6 characters).
      .then(s.str.slice(20, 6).str.replaceAll("[^0-9].*$", "").str.padEnd(6, "0").cast(pl.Int64))
      .otherwise(i64(0)),
    __zs: pl
      .when(c("__sign").eq(pl.lit("-")))
      .then(i64(-1))
      .otherwise(i64(1)),
    __zh: pl
      .when(c("__offset"))
      .then(part(s, -5, 2))
      .otherwise(i64(0)),
    __zm: pl
      .when(c("__offset"))
      .then(part(s, -2, 2))
      .otherwise(i64(0)),
  };
  const columns = (layer: Record<string, pl.Expr>) =>
    Object.entries(layer).map(([name, e]) => e.alias(name));
  const parts = await lf
    .withColumns(...columns(layer1))
    .withColumns(...columns(layer2))
    .withColumns(...columns(layer3), c("__y").mul(i64(100)).add(c("__mo")).alias("__ym"))
    .collect();
  // The calendar is asked once per distinct year-month (a handful), not per row.
  const yearMonths = (await parts.lazy().filter(c("__ok")).select(c("__ym")).unique().collect())
    .getColumn("__ym")
    .toArray() as number[];
  const months = yearMonths.filter((ym) => isValidDate(Math.floor(ym / 100), ym % 100, 1));
  // replaceStrict keeps row order and touches one column (a join would gather them all).
  const lookup = (values: number[]) =>
    months.length === 0
      ? pl.lit(null).cast(pl.Int64)
      : c("__ym").replaceStrict(months, values, pl.lit(null).cast(pl.Int64), pl.Int64);
  const calendar = {
    __first: lookup(months.map((ym) => daysFromCivil(Math.floor(ym / 100), ym % 100, 1))),
    __days: lookup(months.map((ym) => daysInMonth(Math.floor(ym / 100), ym % 100))),
  };
  const inRange = c("__first")
    .isNotNull()
    .and(c("__d").gtEq(i64(1)))
    .and(c("__d").ltEq(c("__days")))
    .and(c("__h").ltEq(i64(23)))
    .and(c("__mi").ltEq(i64(59)))
    .and(c("__s").ltEq(i64(59)))
    .and(c("__zh").ltEq(i64(18)))
    .and(c("__zm").ltEq(i64(59)));
  const local = c("__first")
    .add(c("__d"))
    .sub(i64(1))
    .mul(i64(24))
    .add(c("__h"))
    .mul(i64(60))
    .add(c("__mi"))
    .mul(i64(60))
    .add(c("__s"))
    .mul(i64(MICROS_PER_SECOND))
    .add(c("__f"));
  // Local time minus the offset is UTC: 10:00+02:00 is 08:00Z.
  const offset = c("__zs")
    .mul(c("__zh").mul(i64(60)).add(c("__zm")))
    .mul(i64(MICROS_PER_MINUTE));
  const temps = [...Object.keys(layer1), ...Object.keys(layer2), ...Object.keys(layer3)];
  return parts
    .lazy()
    .withColumns(...columns(calendar))
    .withColumns(
      pl
        .when(c("__ok").and(inRange))
        .then(local.sub(offset))
        .otherwise(pl.lit(null).cast(pl.Int64))
        .alias(out),
    )
    .drop([...temps, "__ym", "__first", "__days"]);
}

/**
 * §C1 on `columns` in place: trim space/tab/CR/LF, then an empty result is null. Two steps
 * so that the null test reads the trimmed column instead of trimming again.
 */
export function withTrimmed(lf: pl.LazyDataFrame, columns: readonly string[]): pl.LazyDataFrame {
  return lf
    .withColumns(...columns.map((c) => pl.col(c).str.stripChars(WHITESPACE).alias(c)))
    .withColumns(
      ...columns.map((c) =>
        pl
          .when(pl.col(c).eq(pl.lit("")))
          .then(pl.lit(null).cast(pl.Utf8))
          .otherwise(pl.col(c))
          .alias(c),
      ),
    );
}

/** §C6: lower-cased (Unicode, like JS toLowerCase), null becomes "unknown". */
export function eventType(trimmed: pl.Expr): pl.Expr {
  return trimmed.str.toLowerCase().fillNull(pl.lit("unknown"));
}

/** §C7: the trimmed text when it is a valid IPv4 or IPv6 address, else null. */
export function ipAddress(trimmed: pl.Expr): pl.Expr {
  return pl
    .when(trimmed.str.contains(IPV4_RE).or(trimmed.str.contains(IPV6_RE)))
    .then(trimmed)
    .otherwise(pl.lit(null).cast(pl.Utf8));
}

/**
 * §C8: decimal(12,2) or null. The regex allows at most 2 decimals and 10 integer
 * digits, so Polars' text -> decimal cast is exact: it reads the digits as an integer
 * (no float, no rounding).
 */
export function revenue(trimmed: pl.Expr): pl.Expr {
  return pl
    .when(trimmed.str.contains(REVENUE_RE))
    .then(trimmed.cast(pl.Decimal(12, 2)))
    .otherwise(pl.lit(null).cast(pl.Decimal(12, 2)));
}

/**
 * §C1-§C9 and the §R1 reasons on the raw frame, row by row (no whole-input operation): the
 * raw_ copies, the cleansed columns and reject_reason (null for a row that passed).
 */
export async function checkRows(raw: pl.DataFrame): Promise<pl.LazyDataFrame> {
  // Each step refers to the previous step's columns by name, so nothing is computed twice.
  const trimmed = withTrimmed(
    raw
      .lazy()
      .select(
        ...RAW_COLUMNS.map((c) => pl.col(c).alias(RAW + c)),
        ...RAW_COLUMNS.map((c) => pl.col(c)),
      ),
    RAW_COLUMNS,
  );
  const typed = trimmed.withColumns(
    eventType(pl.col("event_type")).alias("event_type"),
    ipAddress(pl.col("ip_address")).alias("ip_address"),
    revenue(pl.col("revenue")).alias("revenue"),
    pl.col("event_time").alias("event_time_text"),
  );
  return (await withEventTime(typed, "event_time_text", "event_time"))
    .withColumns(
      pl
        .when(pl.col("event_id").isNull())
        .then(pl.lit("missing_event_id"))
        .when(pl.col("user_id").isNull())
        .then(pl.lit("missing_user_id"))
        .when(pl.col("event_time_text").isNull())
        .then(pl.lit("missing_event_time"))
        .when(pl.col("event_time").isNull())
        .then(pl.lit("invalid_event_time"))
        .otherwise(pl.lit(null).cast(pl.Utf8))
        .alias("reject_reason"),
    )
    .drop("event_time_text");
}

/**
 * docs/pipeline-spec.md §C1-§C10, on the raw frame from ingest. The first reason
 * that applies wins (§R1); rows in = valid + rejects.
 */
export async function cleanse(raw: pl.DataFrame): Promise<Cleansed> {
  const checked = await checkRows(raw);
  // §C10 candidates: a superset (an id may repeat only among rejected rows), computed in the
  // same pass; dedup() then looks at the passed rows among them only.
  const df = await checked.withColumns(pl.col("event_id").isDuplicated().alias("__dup")).collect();
  const passed = pl.col("reject_reason").isNull();
  const [single, failed, candidates] = await Promise.all([
    df
      .lazy()
      .filter(passed.and(pl.col("__dup").not()))
      .select(...CLEAN_COLUMNS)
      .collect(),
    df
      .lazy()
      .filter(passed.not())
      .select(...rejectSelect())
      .collect(),
    df
      .lazy()
      .filter(passed.and(pl.col("__dup")))
      .collect(),
  ]);
  const { kept, duplicates } = dedup(candidates);
  const valid = pl.concat([single, kept.select(...CLEAN_COLUMNS)]);
  const rejects = pl.concat([
    failed,
    duplicates
      .withColumns(pl.lit("duplicate_event_id").alias("reject_reason"))
      .select(...rejectSelect()),
  ]);
  return { valid, rejects };
}

// The cleansed columns carry the raw columns' names (§C1-§C9 replace values, not names).
export const CLEAN_COLUMNS = [...RAW_COLUMNS];

let rejectColumns: pl.Expr[] | undefined;

/**
 * The rejects' columns: the raw values under their input names, then the reason. Made on
 * first use, not when the module loads: each nodejs-polars expression costs 1-2 ms of CPU to
 * create, and this module is loaded before the engine is ready (docs/engines.md, "Fourth
 * pass").
 */
export function rejectSelect(): pl.Expr[] {
  rejectColumns ??= [...RAW_COLUMNS.map((c) => pl.col(RAW + c).alias(c)), pl.col("reject_reason")];
  return rejectColumns;
}

/**
 * §C10 on the rows whose event_id occurs more than once (usually few, so only they
 * are sorted): earliest event_time, then the cleansed columns, then the raw values, text
 * byte-wise (Polars compares Utf8 as bytes), revenue as a number, nulls first.
 */
export function dedup(dups: pl.DataFrame): { kept: pl.DataFrame; duplicates: pl.DataFrame } {
  const order = ["event_id", ...DUPLICATE_ORDER, ...RAW_COLUMNS.map((c) => RAW + c)];
  const ranked = dups
    .sort(order, false, false, true)
    .withColumns(pl.col("event_id").isFirstDistinct().alias("first"));
  return {
    kept: ranked.filter(pl.col("first")),
    duplicates: ranked.filter(pl.col("first").not()).drop("first"),
  };
}
