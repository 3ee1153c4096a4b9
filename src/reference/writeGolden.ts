import { mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TABLES, type TableName } from "../lakehouse/tables.ts";
import { toCanonicalCsv } from "../verify/canonical.ts";
import { parseCsvRecords } from "./parseCsvRecords.ts";
import { runReferencePipeline, type CountryLookup } from "./referencePipeline.ts";

/**
 * `make golden`: from `<dir>/input.csv` writes `<dir>/input.parquet` (every column of the
 * CSV, extras included, as VARCHAR; an unquoted empty field as NULL, a quoted `""` as empty
 * text, which §I4 treats alike) and `<dir>/expected/{events,sessions,rejects}.csv` in
 * canonical form from the reference pipeline. Fails when the CSV and Parquet runs differ.
 */
export async function writeGolden(
  dir: string,
  geo: CountryLookup,
): Promise<Record<TableName, number>> {
  const csvPath = join(dir, "input.csv");
  const parquetPath = join(dir, "input.parquet");
  const { header, records } = parseCsvRecords(readFileSync(csvPath), csvPath);

  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", { memory_limit: "256MB", threads: "1" });
  const con = await db.connect();
  try {
    const cols = header.map((h) => `"${h.replaceAll('"', '""')}" VARCHAR`).join(", ");
    await con.run(`CREATE TABLE golden (${cols})`);
    const appender = await con.createAppender("golden");
    for (const rec of records) {
      rec.fields.forEach((v, i) => {
        if (v === "" && !rec.quoted[i]) appender.appendNull();
        else appender.appendVarchar(v);
      });
      appender.endRow();
    }
    appender.closeSync();
    rmSync(parquetPath, { force: true });
    await con.run(`COPY golden TO '${parquetPath.replaceAll("'", "''")}' (FORMAT parquet)`);
  } finally {
    con.closeSync();
    db.closeSync();
  }

  const fromCsv = await runReferencePipeline(csvPath, geo);
  const fromParquet = await runReferencePipeline(parquetPath, geo);
  mkdirSync(join(dir, "expected"), { recursive: true });
  const counts = {} as Record<TableName, number>;
  for (const name of ["events", "sessions", "rejects"] as const) {
    const text = toCanonicalCsv(TABLES[name], fromCsv[name]);
    if (text !== toCanonicalCsv(TABLES[name], fromParquet[name])) {
      throw new Error(
        `golden ${name}: the reference gives different rows for input.csv and input.parquet`,
      );
    }
    writeFileSync(join(dir, "expected", `${name}.csv`), text);
    counts[name] = fromCsv[name].length;
  }
  return counts;
}
