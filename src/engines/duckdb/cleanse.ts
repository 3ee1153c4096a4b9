import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { InputFormat } from "../../input/detectInputFormat.ts";
import { isValidIpAddress } from "../../spec/isValidIpAddress.ts";
import { normalizeEventType } from "../../spec/normalizeEventType.ts";
// The full streaming §I2 check; shared with the Polars engine rather than duplicated.
import { checkCsv } from "../../input/checkCsv.ts";
import { appendRows } from "./appendRows.ts";
import { csvNeedsFullCheck } from "./csvNeedsFullCheck.ts";
import { ingest } from "./ingest.ts";
import { loadSql, sqlString } from "./loadSql.ts";
import { requoteLoneCr } from "./requoteLoneCr.ts";

export interface CleanseResult {
  rowsIn: number;
  /** Distinct valid addresses (§C7), handed to enrich for the country lookup. */
  validIps: string[];
}

/**
 * Spec §C1-§C10: reads the input once into `cleansed` (raw values, trimmed ids, UTC time,
 * first reject reason; a scratch Parquet file in the run's temp folder, read through a view)
 * while §I2 is checked, validates the distinct addresses and maps the
 * distinct trimmed event types with the shared helpers, then picks the duplicate losers.
 */
export async function cleanse(
  con: DuckDBConnection,
  input: string,
  format: InputFormat,
  scratchDir: string,
): Promise<CleanseResult> {
  await loadChecked(con, input, format, scratchDir);
  await con.run(loadSql("lookup-tables"));

  const ips = await readColumn(con, loadSql("distinct-ips"));
  const validIps = ips.filter((ip) => isValidIpAddress(ip));
  await appendRows(
    con,
    "ip_valid",
    validIps.map((ip) => [ip]),
  );

  const types = await readColumn(con, loadSql("distinct-event-types"));
  await appendRows(
    con,
    "event_type_map",
    types.map((t) => [t, normalizeEventType(t)]),
  );

  await con.run(loadSql("dedup"));
  const count = await con.runAndReadAll("SELECT count(*)::BIGINT AS n FROM cleansed");
  return { rowsIn: Number(count.getColumnsJS()[0][0]), validIps };
}

/**
 * Runs cleanse.sql (DuckDB reads the file on its own threads) while this thread scans the
 * CSV for what DuckDB does not refuse (§I2, engine notes). When either finds a problem,
 * the full check names the line; nothing has been staged at this point. A file the full
 * check finds well-formed but DuckDB refused holds a lone CR in an unquoted field (data,
 * §I2; a line break to DuckDB) or mixes LF and CR LF record ends: it is read from a copy
 * with those fields quoted and LF record ends (requoteLoneCr). Both files stay in the
 * run's temp folder, which the engine removes after the run.
 */
async function loadChecked(
  con: DuckDBConnection,
  input: string,
  format: InputFormat,
  scratchDir: string,
): Promise<void> {
  const cleanseSql = loadSql("cleanse", {
    cleansed_file: sqlString(join(scratchDir, "cleansed.parquet")),
  });
  const load = con.run(cleanseSql).then(
    () => null,
    (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
  );
  const suspicious = format === "csv" && csvNeedsFullCheck(input);
  const loadError = await load;
  if (!suspicious && loadError === null) return;
  if (format === "csv") {
    const problem = checkCsv(input);
    if (problem !== null) {
      throw new Error(
        `${input} line ${problem.line}: ${problem.message} (spec §I2: the file is refused as a ` +
          `whole and no table is changed); fix that line or re-export the file`,
      );
    }
    if (loadError !== null) {
      const copy = join(scratchDir, "input-requoted.csv");
      requoteLoneCr(input, copy);
      await ingest(con, copy);
      await con.run(cleanseSql);
    }
    return;
  }
  if (loadError !== null) {
    throw new Error(`${input}: DuckDB could not read the Parquet input: ${loadError.message}`);
  }
}

/** The first column's non-null values. */
async function readColumn(con: DuckDBConnection, sql: string): Promise<string[]> {
  const reader = await con.runAndReadAll(sql);
  const values = (reader.getColumnsJS()[0] ?? []) as (string | null)[];
  return values.filter((v): v is string => v !== null);
}
