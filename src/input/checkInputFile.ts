import { closeSync, openSync, readSync, statSync } from "node:fs";
import { firstInvalidUtf8 } from "./firstInvalidUtf8.ts";

/** Magic bytes of compressed or archive formats that are not CSV or Parquet (§I1). */
const COMPRESSED: { name: string; magic: number[]; fix: string }[] = [
  { name: "gzip", magic: [0x1f, 0x8b], fix: "gunzip it" },
  { name: "zstd", magic: [0x28, 0xb5, 0x2f, 0xfd], fix: "unzstd it" },
  { name: "bzip2", magic: [0x42, 0x5a, 0x68], fix: "bunzip2 it" },
  { name: "xz", magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], fix: "unxz it" },
  { name: "zip", magic: [0x50, 0x4b, 0x03, 0x04], fix: "unzip it" },
];

/**
 * Checks that an input path is one readable, uncompressed file before any engine opens it,
 * so every engine refuses a directory or a compressed file with the same message naming the
 * path (docs/hardening.md). Returns the file's size in bytes.
 */
export function checkInputFile(path: string): number {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      code === "ENOENT"
        ? `input ${path} does not exist`
        : `input ${path} cannot be read (${code ?? (err as Error).message})`,
    );
  }
  if (st.isDirectory()) {
    throw new Error(`input ${path} is a directory; --input takes one CSV or Parquet file`);
  }
  if (!st.isFile()) {
    throw new Error(`input ${path} is not a regular file; --input takes one CSV or Parquet file`);
  }
  const head = Buffer.alloc(1 << 16);
  const fd = openSync(path, "r");
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  for (const c of COMPRESSED) {
    if (n >= c.magic.length && c.magic.every((b, i) => head[i] === b)) {
      throw new Error(
        `input ${path} is ${c.name}-compressed; decompress it first (${c.fix}): ` +
          `the pipeline reads plain CSV or Parquet (spec §I1)`,
      );
    }
  }
  if (n >= 4 && head.toString("latin1", 0, 4) === "PAR1") return st.size;
  // §I2 names the line of bytes that are not UTF-8; in the header they would otherwise
  // surface as a missing column (§I3), so the header line is checked first, with the offset.
  const lf = head.indexOf(0x0a);
  const line = head.subarray(0, lf < 0 ? n : lf);
  const bad = firstInvalidUtf8(line);
  // A header longer than the buffer may end inside a character: that is not a fault.
  if (bad >= 0 && !(lf < 0 && n === head.length && bad >= n - 3)) {
    throw new Error(
      `${path} line 1: bytes that are not UTF-8 (byte 0x${line[bad]!.toString(16).padStart(2, "0")} ` +
        `at byte offset ${bad} of the header) (§I2); re-export the file as UTF-8`,
    );
  }
  return st.size;
}
