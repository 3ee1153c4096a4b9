import { isUtf8 } from "node:buffer";
import { lineChunks } from "../../input/lineChunks.ts";
import { readCsvHeader } from "./ingest.ts";

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const BLANK_LF = Buffer.from("\n\n");
const BLANK_CRLF = Buffer.from("\n\r\n");

/**
 * docs/pipeline-spec.md §I2, the part DuckDB's reader does not enforce (engine notes):
 * it skips blank lines and accepts a quote inside an unquoted field. This scan only uses
 * native searches (UTF-8 check, blank-line search, a jump from quote to quote), so it
 * costs a fraction of a byte-by-byte parse; it answers true when the file MAY break §I2,
 * and the caller then runs the full check to name the line (or to find it is fine, e.g.
 * a blank line inside a quoted field). Field counts are DuckDB's strict_mode's, except that
 * it drops EMPTY fields after the last column (`...,9.99,` reads as 9 fields): so the commas
 * and line breaks outside quotes are counted, and since DuckDB refuses every short record,
 * commas = (header fields - 1) x records holds exactly when no record is too long.
 */
export function csvNeedsFullCheck(path: string, chunkBytes = 16 << 20): boolean {
  const expected = readCsvHeader(path).length;
  let inQuote = false;
  let previousEnd = -1; // last byte of the previous chunk (always LF), -1 at file start
  let commas = 0; // outside quotes
  let records = 0; // line breaks outside quotes, plus a last record without one
  let quoteFrom = 0; // first byte of the open quoted field in this chunk
  for (const { text, eof } of lineChunks(path, chunkBytes)) {
    const upto = text.length;
    // Every comma and LF is counted; the ones inside quoted fields are subtracted below,
    // where the quote-to-quote walk knows the quoted spans (few commas and LFs inside).
    const counted = countCommasAndLfs(text);
    commas += counted.commas;
    records += counted.lfs;
    const unquote = (from: number, to: number) => {
      for (let k = text.indexOf(COMMA, from); k >= 0 && k < to; k = text.indexOf(COMMA, k + 1))
        commas--;
      for (let k = text.indexOf(LF, from); k >= 0 && k < to; k = text.indexOf(LF, k + 1)) records--;
    };
    if (!isUtf8(text)) return true;
    if (text.indexOf(BLANK_LF) >= 0 || text.indexOf(BLANK_CRLF) >= 0) return true;
    if (previousEnd === LF && (text[0] === LF || (text[0] === CR && text[1] === LF))) return true;
    if (previousEnd === -1 && (text[0] === LF || text[0] === CR)) return true;
    for (let p = text.indexOf(QUOTE); p >= 0; p = text.indexOf(QUOTE, p + 1)) {
      if (!inQuote) {
        // An opening quote must start the field.
        const before = p > 0 ? text[p - 1] : previousEnd;
        if (before !== COMMA && before !== LF && before !== -1) return true;
        inQuote = true;
        quoteFrom = p + 1;
      } else if (text[p + 1] === QUOTE) {
        p++; // `""` inside a quoted field
      } else {
        // A closing quote must end the field.
        const after = p + 1 < upto ? text[p + 1] : -1;
        if (after !== COMMA && after !== LF && after !== CR && after !== -1) return true;
        inQuote = false;
        unquote(quoteFrom, p);
      }
    }
    if (inQuote) {
      unquote(quoteFrom, upto);
      quoteFrom = 0;
    }
    if (eof) {
      if (upto > 0) records++;
      break;
    }
    previousEnd = text[upto - 1]!;
  }
  return inQuote || commas !== (expected - 1) * records;
}

/**
 * Commas and LFs of `buf`, four bytes at a time (SWAR): a zero byte of `word ^ pattern` is a
 * match, flagged in its top bit without carries between bytes. Twice as fast as an indexOf
 * per comma on the 1M file (9 commas per line).
 */
export function countCommasAndLfs(buf: Buffer): { commas: number; lfs: number } {
  let commas = 0;
  let lfs = 0;
  // Bytes before the first 4-byte boundary and after the last whole word, one by one.
  const head = Math.min((4 - (buf.byteOffset & 3)) & 3, buf.length);
  const words = (buf.length - head) >>> 2;
  const tail = head + words * 4;
  for (let i = 0; i < head; i++) {
    if (buf[i] === COMMA) commas++;
    else if (buf[i] === LF) lfs++;
  }
  for (let i = tail; i < buf.length; i++) {
    if (buf[i] === COMMA) commas++;
    else if (buf[i] === LF) lfs++;
  }
  const i32 = new Int32Array(buf.buffer, buf.byteOffset + head, words);
  for (let i = 0; i < words; i++) {
    const w = i32[i]!;
    const c = w ^ 0x2c2c2c2c;
    const l = w ^ 0x0a0a0a0a;
    const cz = ~(((c & 0x7f7f7f7f) + 0x7f7f7f7f) | 0 | c | 0x7f7f7f7f);
    const lz = ~(((l & 0x7f7f7f7f) + 0x7f7f7f7f) | 0 | l | 0x7f7f7f7f);
    commas = (commas + (Math.imul(cz >>> 7, 0x01010101) >>> 24)) | 0;
    lfs = (lfs + (Math.imul(lz >>> 7, 0x01010101) >>> 24)) | 0;
  }
  return { commas, lfs };
}
