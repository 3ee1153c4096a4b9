import { isUtf8 } from "node:buffer";
import { lineChunks } from "../../input/lineChunks.ts";

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
 * a blank line inside a quoted field). Field counts are left to DuckDB's strict_mode.
 */
export function csvNeedsFullCheck(path: string, chunkBytes = 16 << 20): boolean {
  let inQuote = false;
  let previousEnd = -1; // last byte of the previous chunk (always LF), -1 at file start
  for (const { text, eof } of lineChunks(path, chunkBytes)) {
    const upto = text.length;
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
      } else if (text[p + 1] === QUOTE) {
        p++; // `""` inside a quoted field
      } else {
        // A closing quote must end the field.
        const after = p + 1 < upto ? text[p + 1] : -1;
        if (after !== COMMA && after !== LF && after !== CR && after !== -1) return true;
        inQuote = false;
      }
    }
    if (eof) return inQuote;
    previousEnd = text[upto - 1]!;
  }
  return inQuote;
}
