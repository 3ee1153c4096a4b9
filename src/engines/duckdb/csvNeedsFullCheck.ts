import { isUtf8 } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";

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
  const fd = openSync(path, "r");
  try {
    let buf = Buffer.allocUnsafe(chunkBytes);
    let carry = 0;
    let inQuote = false;
    let previousEnd = -1; // last byte of the previous chunk (always LF), -1 at file start
    for (;;) {
      const got = readSync(fd, buf, carry, buf.length - carry, null);
      const eof = got === 0;
      const end = carry + got;
      let upto = end;
      if (!eof) {
        // Whole lines only, so neither a UTF-8 character nor a `""` pair is split.
        const lastLf = buf.lastIndexOf(LF, end - 1);
        if (lastLf < 0) {
          if (end === buf.length) {
            const bigger = Buffer.allocUnsafe(buf.length * 2);
            buf.copy(bigger, 0, 0, end);
            buf = bigger;
          }
          carry = end;
          continue;
        }
        upto = lastLf + 1;
      }
      const text = buf.subarray(0, upto);
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
      previousEnd = text[upto - 1];
      carry = end - upto;
      buf.copy(buf, 0, upto, end);
    }
  } finally {
    closeSync(fd);
  }
}
