import { closeSync, openSync, readSync } from "node:fs";

const LF = 0x0a;

/**
 * Reads a file in chunks that end on a line break, so that a check working chunk by chunk
 * never splits a UTF-8 character, a CRLF or a `""` pair. The last chunk (`eof`) holds what
 * follows the last LF and may be empty. A line longer than the buffer grows it. The yielded
 * buffer is reused: use it before asking for the next chunk. Breaking out closes the file.
 */
export function* lineChunks(
  path: string,
  chunkBytes: number,
): Generator<{ text: Buffer; eof: boolean }> {
  const fd = openSync(path, "r");
  try {
    let buf = Buffer.allocUnsafe(chunkBytes);
    let carry = 0; // bytes after the last LF of the previous chunk, moved to buf[0..carry)
    for (;;) {
      const got = readSync(fd, buf, carry, buf.length - carry, null);
      const eof = got === 0;
      const end = carry + got;
      let upto = end;
      if (!eof) {
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
      yield { text: buf.subarray(0, upto), eof };
      if (eof) return;
      carry = end - upto;
      buf.copy(buf, 0, upto, end);
    }
  } finally {
    closeSync(fd);
  }
}
