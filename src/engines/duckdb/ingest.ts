import { closeSync, openSync, readSync } from "node:fs";
import type { DuckDBConnection } from "@duckdb/node-api";
import { detectInputFormat, type InputFormat } from "../../input/detectInputFormat.ts";
import { RAW_COLUMNS } from "../../lakehouse/tables.ts";
import { loadSql, sqlString } from "./loadSql.ts";

/**
 * Spec §I1-§I4: declares the view `raw_input` (the nine raw columns as text) over the file
 * after checking its header (§I3): a missing or doubled column is an error naming it, extra
 * columns are ignored. The file itself is read, and §I2 enforced, by cleanse.
 */
export async function ingest(con: DuckDBConnection, path: string): Promise<InputFormat> {
  const format = detectInputFormat(path);
  const header = format === "csv" ? readCsvHeader(path) : await readParquetColumns(con, path);
  for (const name of RAW_COLUMNS) {
    const n = header.filter((h) => h === name).length;
    if (n === 0) {
      throw new Error(
        `${path}: header lacks column ${name} (spec §I3); the header must name ${RAW_COLUMNS.join(", ")}`,
      );
    }
    if (n > 1) throw new Error(`${path}: header names column ${name} twice (spec §I3); keep one`);
  }
  if (format === "csv") {
    const columns = `{${header.map((c, i) => `${sqlString(c === "" ? `column${i}` : c)}: 'VARCHAR'`).join(", ")}}`;
    await con.run(loadSql("ingest-csv", { path: sqlString(path), columns }));
  } else {
    await con.run(loadSql("ingest-parquet", { path: sqlString(path) }));
  }
  return format;
}

function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** The first CSV record (RFC 4180 quoting), without a UTF-8 byte-order mark. */
export function readCsvHeader(path: string): string[] {
  let text = readHead(path, 1 << 20).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") break;
    else field += ch;
  }
  if (field !== "" || fields.length > 0) fields.push(field);
  return fields;
}

async function readParquetColumns(con: DuckDBConnection, path: string): Promise<string[]> {
  try {
    const reader = await con.runAndReadAll(
      `SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(path)}))`,
    );
    return reader.getRowObjectsJS().map((r) => String(r.column_name));
  } catch (err) {
    // DuckDB appends the failing SQL ("LINE 1: ..."); the user needs the reason only.
    const reason = String((err as Error).message ?? err)
      .split("\n")[0]!
      .replace(/^[A-Za-z ]*Error: /, "");
    throw new Error(
      `${path}: cannot read the Parquet footer (${reason}); the file is truncated or not ` +
        `Parquet (spec §I4), re-export or copy it again`,
    );
  }
}
