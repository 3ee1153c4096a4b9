import { isUtf8 } from "node:buffer";
import { lineChunks } from "./lineChunks.ts";

/** The first problem that makes a CSV file not well-formed, or null when it is well-formed. */
export interface CsvProblem {
  /** 1-based physical line (the header is line 1). */
  line: number;
  message: string;
}

/**
 * What a well-formed file needs beyond Polars' parse: Polars drops ONE trailing CR from an
 * unquoted field even when no LF follows (`x\r,` reads `x`, a lone `\r` field reads null),
 * where §I2 says a lone CR is data. These cells get their CR back in ingest.
 */
export interface CsvCheck {
  problem: CsvProblem | null;
  /** Data row (0-based, header excluded) and field index of each such cell. */
  loneCrCells: { row: number; field: number }[];
  /**
   * Record starts about `cutBytes` apart (only when scanCsv was asked for them): byte offset
   * of the record and its data row; the first is the row after the header. Cutting the file
   * at these offsets never splits a record, a quoted line break included.
   */
  cuts: { offset: number; row: number }[];
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote seen inside a quoted field: either the closing quote or half of `""`. */
  QuoteInQuoted,
}

/**
 * Streaming RFC 4180 check of a whole CSV file (docs/pipeline-spec.md §I2): every record
 * has as many fields as the header, quotes are balanced and only open a field, and the bytes
 * are UTF-8. Polars fills short rows with nulls and reports other faults without a line
 * number, so this pass is what names the line. It reads the file in chunks and keeps only
 * the parser state between them.
 */
export function scanCsv(path: string, chunkBytes = 8 << 20, cutBytes = 0): CsvCheck {
  let line = 1; // physical line of the current byte
  let recordLine = 1; // line where the current record started
  let fieldLine = 1; // line where the current quoted field started
  let fields = 1;
  let expected = -1; // field count of the header, known after the first record
  let state: State = State.FieldStart;
  let records = 0; // records ended so far; the header is record 0
  let last = -1; // the last byte processed
  const loneCrCells: { row: number; field: number }[] = [];
  const cuts: { offset: number; row: number }[] = [];
  let base = 0; // file offset of text[0]
  let lastCut = -Infinity;
  const fail = (problem: CsvProblem): CsvCheck => ({ problem, loneCrCells, cuts });
  for (const { text } of lineChunks(path, chunkBytes)) {
    const upto = text.length;
    if (!isUtf8(text))
      return fail({ line: line + badUtf8Line(text), message: "bytes that are not UTF-8" });
    for (let i = 0; i < upto; i++) {
      const b = text[i]!;
      // Fast path: bytes above ',' (letters, digits, most punctuation, every non-ASCII
      // byte) only matter right after a closing quote.
      if (b > COMMA) {
        if (state === State.Unquoted || state === State.Quoted) continue;
        if (state === State.FieldStart) {
          state = State.Unquoted;
          continue;
        }
      }
      switch (state) {
        case State.FieldStart:
        case State.Unquoted:
          if (b === COMMA) {
            if (state === State.Unquoted && records > 0 && i > 0 && text[i - 1] === CR)
              loneCrCells.push({ row: records - 1, field: fields - 1 });
            fields++;
            state = State.FieldStart;
          } else if (b === LF) {
            if (expected < 0) expected = fields;
            else if (fields !== expected)
              return fail({ line: recordLine, message: fieldCount(fields, expected) });
            records++;
            line++;
            recordLine = line;
            fields = 1;
            state = State.FieldStart;
            if (cutBytes > 0 && (records === 1 || base + i + 1 - lastCut >= cutBytes)) {
              lastCut = base + i + 1;
              cuts.push({ offset: lastCut, row: records - 1 });
            }
          } else if (b === QUOTE) {
            if (state === State.Unquoted)
              return fail({
                line,
                message: "a quote inside an unquoted field (unbalanced quote)",
              });
            fieldLine = line;
            state = State.Quoted;
          } else if (b === CR && text[i + 1] === LF) {
            // CR LF ends the record like LF; the CR is not data.
          } else {
            state = State.Unquoted;
          }
          break;
        case State.Quoted:
          if (b === QUOTE) state = State.QuoteInQuoted;
          else if (b === LF) line++;
          break;
        case State.QuoteInQuoted:
          if (b === QUOTE) {
            state = State.Quoted;
          } else if (b === COMMA) {
            fields++;
            state = State.FieldStart;
          } else if (b === LF) {
            // Same record end as above, kept inline: a closure over the parser state slows
            // this per-byte loop (measured on the 1M file).
            if (expected < 0) expected = fields;
            else if (fields !== expected)
              return fail({ line: recordLine, message: fieldCount(fields, expected) });
            records++;
            line++;
            recordLine = line;
            fields = 1;
            state = State.FieldStart;
            if (cutBytes > 0 && (records === 1 || base + i + 1 - lastCut >= cutBytes)) {
              lastCut = base + i + 1;
              cuts.push({ offset: lastCut, row: records - 1 });
            }
          } else if (!(b === CR && text[i + 1] === LF)) {
            return fail({
              line,
              message: "text after the closing quote of a field (unbalanced quote)",
            });
          }
          break;
      }
    }
    if (upto > 0) last = text[upto - 1]!;
    base += upto;
  }
  if (state === State.Quoted)
    return fail({
      line: fieldLine,
      message: "a quoted field is never closed (unbalanced quote)",
    });
  // A last record without a trailing line break still counts.
  const open = state !== State.FieldStart || fields > 1;
  if (open && expected >= 0 && fields !== expected)
    return fail({ line: recordLine, message: fieldCount(fields, expected) });
  if (state === State.Unquoted && records > 0 && last === CR)
    loneCrCells.push({ row: records - 1, field: fields - 1 });
  return { problem: null, loneCrCells, cuts };
}

function fieldCount(got: number, expected: number): string {
  return `expected ${expected} fields as in the header, found ${got}`;
}

/** 0-based line offset, inside `text`, of the first line that is not UTF-8. */
function badUtf8Line(text: Buffer): number {
  let start = 0;
  for (let n = 0; ; n++) {
    const lf = text.indexOf(LF, start);
    const stop = lf < 0 ? text.length : lf + 1;
    if (!isUtf8(text.subarray(start, stop)) || lf < 0) return n;
    start = stop;
  }
}

/** The first §I2 fault of the file, or null (both TypeScript engines use it). */
export function checkCsv(path: string, chunkBytes = 8 << 20): CsvProblem | null {
  return scanCsv(path, chunkBytes).problem;
}
