import { closeSync, openSync, readSync, writeSync } from "node:fs";

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Copies a well-formed CSV file (already checked against §I2), wrapping in quotes each
 * unquoted field that holds a lone CR, and ending every record with LF. §I2 makes a lone CR
 * data and allows LF and CR LF record ends in one file; DuckDB's reader takes a lone CR for
 * a line break and refuses a file mixing both ends. Only used when DuckDB refused a file
 * the full check found well-formed, so it favours simplicity over speed.
 */
export function requoteLoneCr(input: string, output: string, chunkBytes = 8 << 20): void {
  const inFd = openSync(input, "r");
  const outFd = openSync(output, "w");
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    const out: number[] = [];
    let field: number[] = []; // the current unquoted field
    let loneCr = false;
    let quoted = false;
    let afterQuote = false; // a quote seen inside a quoted field: closing, or half of `""`
    let pendingCr = false; // a CR whose next byte is in the next chunk
    const flushOut = () => {
      if (out.length > 0) writeSync(outFd, Buffer.from(out));
      out.length = 0;
    };
    const endField = () => {
      if (loneCr) out.push(QUOTE, ...field, QUOTE);
      else out.push(...field);
      field = [];
      loneCr = false;
    };
    const unquotedByte = (b: number, next: number | undefined) => {
      if (b === CR && next !== LF) loneCr = true;
      if (b === CR && next === LF) {
        endField(); // record ends with CR LF: written as LF, so one file mixing both reads
      } else if (b === COMMA || b === LF) {
        endField();
        out.push(b);
      } else if (b === QUOTE && field.length === 0) {
        quoted = true;
        out.push(b);
      } else field.push(b);
    };
    for (;;) {
      const n = readSync(inFd, buf, 0, buf.length, null);
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        const b = buf[i];
        if (pendingCr) {
          pendingCr = false;
          unquotedByte(CR, b);
        }
        if (quoted) {
          if (!afterQuote) {
            if (b === QUOTE) afterQuote = true;
            out.push(b);
            continue;
          }
          afterQuote = false;
          if (b === QUOTE) {
            out.push(b); // `""` inside the quoted field
            continue;
          }
          quoted = false; // the previous quote closed the field; b is the separator
        }
        if (b === CR && i + 1 === n) {
          pendingCr = true;
          continue;
        }
        unquotedByte(b, buf[i + 1]);
      }
      if (out.length > 1 << 20) flushOut();
    }
    if (pendingCr) unquotedByte(CR, undefined);
    endField();
    flushOut();
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
}
