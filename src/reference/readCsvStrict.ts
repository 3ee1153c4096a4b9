import { readFileSync } from "node:fs";
import { RAW_COLUMNS } from "../lakehouse/tables.ts";
import { InputFormatError } from "./InputFormatError.ts";
import { parseCsvRecords } from "./parseCsvRecords.ts";
import type { RawRow } from "./RawRow.ts";

/** Rows of a well-formed CSV input with the 1-based line where each record starts. */
export interface RawCsv {
  rows: RawRow[];
  lines: number[];
}

/** Reads and checks a CSV input file (spec §I1-§I3); throws InputFormatError when refused. */
export function readCsvStrict(path: string): RawCsv {
  return parseCsvStrict(readFileSync(path), path);
}

/**
 * Checks the header (§I3: every column present once, extras ignored) and the field count
 * of every record (§I2) of a strictly parsed CSV; empty fields, quoted or not, are null
 * (§I1). The file label appears in every error message.
 */
export function parseCsvStrict(bytes: Uint8Array, file: string): RawCsv {
  const { header, records } = parseCsvRecords(bytes, file);
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if ((RAW_COLUMNS as readonly string[]).includes(name) && index.has(name)) {
      throw new InputFormatError({
        file,
        line: 1,
        column: name,
        message: `${file}: header names column ${name} twice (spec §I3); keep one`,
      });
    }
    if (!index.has(name)) index.set(name, i);
  });
  for (const name of RAW_COLUMNS) {
    if (!index.has(name)) {
      throw new InputFormatError({
        file,
        line: 1,
        column: name,
        message: `${file}: header lacks column ${name} (spec §I3); the header must name ${RAW_COLUMNS.join(", ")}`,
      });
    }
  }
  const rows: RawRow[] = [];
  const lines: number[] = [];
  for (const rec of records) {
    if (rec.fields.length !== header.length) {
      throw new InputFormatError({
        file,
        line: rec.line,
        message: `${file} line ${rec.line}: expected ${header.length} fields as in the header, found ${rec.fields.length} (spec §I2); fix that line (quote fields holding commas)`,
      });
    }
    const row = {} as RawRow;
    for (const name of RAW_COLUMNS) {
      const v = rec.fields[index.get(name)!];
      row[name] = v === "" ? null : v;
    }
    rows.push(row);
    lines.push(rec.line);
  }
  return { rows, lines };
}
