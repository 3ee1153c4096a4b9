import { closeSync, openSync, readSync } from "node:fs";
import pl from "nodejs-polars";
import { RAW_COLUMNS } from "../../lakehouse/tables.ts";
import { scanCsv, type CsvProblem } from "../../input/checkCsv.ts";

/**
 * docs/pipeline-spec.md §I1-§I4: reads the CSV or Parquet file (chosen by its first bytes)
 * into the nine raw columns, every one as Utf8, in spec order. An empty CSV field, an empty
 * quoted field and a Parquet null all become null; nothing else is changed (the rejects
 * table keeps the values as read). Extra columns are ignored; a missing one is an error.
 * A malformed CSV file is refused as a whole, naming the line.
 */
export async function ingest(path: string): Promise<pl.DataFrame> {
  const isParquet = startsWithParquetMagic(path);
  const { scan, header } = openInput(path, isParquet);
  const raw = scan.select(...rawColumns(isParquet));
  if (isParquet) {
    try {
      return await raw.collect();
    } catch (err) {
      throw new Error(`${path}: cannot be read as Parquet (§I4): ${(err as Error).message}`);
    }
  }
  // Polars parses on its own threads while this thread checks the file's shape.
  const parsing = raw.collect().then(
    (df) => ({ df, err: null }),
    (err: unknown) => ({ df: null, err: err as Error }),
  );
  const { problem, loneCrCells } = scanCsv(path);
  const { df, err } = await parsing;
  if (problem !== null) throw csvProblem(path, problem);
  if (err !== null || df === null) {
    throw new Error(
      `${path}: not a well-formed CSV file (§I2): ${err?.message ?? "unknown error"}; ` +
        `nothing was loaded, fix the file and run again`,
    );
  }
  return loneCrCells.length === 0 ? df : restoreLoneCr(df, header, loneCrCells);
}

/** §I2: the error for a file that is not well-formed, naming its first faulty line. */
export function csvProblem(path: string, problem: CsvProblem): Error {
  return new Error(
    `${path} line ${problem.line}: ${problem.message} (§I2: not a well-formed CSV file); ` +
      `nothing was loaded, fix the file and run again`,
  );
}

/** The input's lazy scan and its header, checked against §I3 (every name exactly once). */
export function openInput(
  path: string,
  isParquet: boolean,
): { scan: pl.LazyDataFrame; header: string[] } {
  let scan: pl.LazyDataFrame;
  try {
    scan = isParquet
      ? pl.scanParquet(path)
      : // nullValues "" makes both an empty field and a quoted "" null while parsing.
        pl.scanCSV(path, CSV_OPTIONS);
  } catch (err) {
    throw new Error(`${path}: cannot be read: ${(err as Error).message}`);
  }
  let header: string[];
  try {
    header = scan.columns;
  } catch (err) {
    const msg = (err as Error).message;
    if (!isParquet && /empty/i.test(msg)) header = [];
    else throw new Error(`${path}: cannot read the header: ${msg}`);
  }
  // §I3: every name exactly once (Polars renames a repeated one to <name>_duplicated_<n>).
  const missing = RAW_COLUMNS.find((c) => !header.includes(c));
  if (missing !== undefined) {
    throw new Error(
      `${path}: header lacks column ${missing} (§I3: the header must name ` +
        `${RAW_COLUMNS.join(", ")}); fix the header row`,
    );
  }
  const twice = RAW_COLUMNS.find((c) => header.some((h) => h.startsWith(`${c}_duplicated_`)));
  if (twice !== undefined) {
    throw new Error(`${path}: header names column ${twice} twice (§I3); keep one of them`);
  }
  return { scan, header };
}

/** How every CSV read parses (§I1): all columns Utf8, "" and an empty field null. */
export const CSV_OPTIONS = {
  inferSchemaLength: 0,
  hasHeader: true,
  quoteChar: '"',
  nullValues: "",
} as const;

/** The nine raw columns in spec order, all Utf8 (§I4: a Parquet empty text is null too). */
export function rawColumns(isParquet: boolean): pl.Expr[] {
  return RAW_COLUMNS.map((c) => {
    if (!isParquet) return pl.col(c);
    const v = pl.col(c).cast(pl.Utf8);
    return pl
      .when(v.eq(pl.lit("")))
      .then(pl.lit(null))
      .otherwise(v)
      .alias(c);
  });
}

/**
 * §I2: a lone CR is data, but Polars drops one CR at the end of an unquoted field when no
 * LF follows it; scanCsv found those cells, and they get their CR back here (rare: the
 * whole-column work happens only when the file has such a cell).
 */
export async function restoreLoneCr(
  df: pl.DataFrame,
  header: string[],
  cells: { row: number; field: number }[],
): Promise<pl.DataFrame> {
  const rowsByColumn = new Map<string, number[]>();
  for (const { row, field } of cells) {
    const name = header[field];
    if (name === undefined || !(RAW_COLUMNS as readonly string[]).includes(name)) continue;
    const rows = rowsByColumn.get(name) ?? [];
    rows.push(row);
    rowsByColumn.set(name, rows);
  }
  if (rowsByColumn.size === 0) return df;
  const row = pl.col("__row");
  return df
    .lazy()
    .withRowIndex("__row")
    .withColumns(
      ...[...rowsByColumn].map(([name, rows]) =>
        pl
          .when(row.isIn(rows))
          .then(pl.concatString([pl.col(name).fillNull(pl.lit("")), pl.lit("\r")], ""))
          .otherwise(pl.col(name))
          .alias(name),
      ),
    )
    .drop("__row")
    .collect();
}

export function startsWithParquetMagic(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(4);
    const n = readSync(fd, head, 0, 4, 0);
    return n === 4 && head.toString("latin1") === "PAR1";
  } finally {
    closeSync(fd);
  }
}
