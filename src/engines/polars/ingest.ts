import { closeSync, openSync, readSync } from "node:fs";
import pl from "nodejs-polars";
import { RAW_COLUMNS } from "../../lakehouse/tables.ts";
import { checkCsv } from "./checkCsv.ts";

/**
 * docs/pipeline-spec.md, Input: reads the CSV or Parquet file (chosen by its first bytes)
 * into the nine raw columns, every one as Utf8, in spec order. An empty CSV field, an empty
 * quoted field and a Parquet null all become null; nothing else is changed (the rejects
 * table keeps the values as read). Extra columns are ignored; a missing one is an error.
 * A malformed CSV file is refused as a whole, naming the line.
 */
export async function ingest(path: string): Promise<pl.DataFrame> {
  const isParquet = startsWithParquetMagic(path);
  let scan: pl.LazyDataFrame;
  try {
    scan = isParquet
      ? pl.scanParquet(path)
      : pl.scanCSV(path, { inferSchemaLength: 0, hasHeader: true, quoteChar: '"' });
  } catch (err) {
    throw new Error(`input ${path}: cannot be read: ${(err as Error).message}`);
  }
  let header: string[];
  try {
    header = scan.columns;
  } catch (err) {
    const msg = (err as Error).message;
    if (!isParquet && /empty/i.test(msg)) header = [];
    else throw new Error(`input ${path}: cannot read the header: ${msg}`);
  }
  const missing = RAW_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new Error(
      `input ${path}: the header lacks column ${missing.map((c) => `'${c}'`).join(", ")} ` +
        `(spec: Input needs ${RAW_COLUMNS.join(", ")}); fix the file's header row`,
    );
  }
  const raw = scan.select(
    ...RAW_COLUMNS.map((c) => {
      const v = pl.col(c).cast(pl.Utf8);
      return pl
        .when(v.eq(pl.lit("")))
        .then(pl.lit(null))
        .otherwise(v)
        .alias(c);
    }),
  );
  if (isParquet) {
    try {
      return await raw.collect();
    } catch (err) {
      throw new Error(`input ${path}: cannot be read as Parquet: ${(err as Error).message}`);
    }
  }
  // Polars parses on its own threads while this thread checks the file's shape.
  const parsing = raw.collect().then(
    (df) => ({ df, err: null }),
    (err: unknown) => ({ df: null, err: err as Error }),
  );
  const problem = checkCsv(path);
  const { df, err } = await parsing;
  if (problem !== null) {
    throw new Error(
      `input ${path}, line ${problem.line}: not a well-formed CSV file: ${problem.message} ` +
        `(spec: Input); nothing was loaded, fix the file and run again`,
    );
  }
  if (err !== null || df === null) {
    throw new Error(
      `input ${path}: not a well-formed CSV file: ${err?.message ?? "unknown error"} ` +
        `(spec: Input); nothing was loaded, fix the file and run again`,
    );
  }
  return df;
}

function startsWithParquetMagic(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(4);
    const n = readSync(fd, head, 0, 4, 0);
    return n === 4 && head.toString("latin1") === "PAR1";
  } finally {
    closeSync(fd);
  }
}
