/**
 * Byte-wise order of the UTF-8 encodings (spec §C10, §S1), nulls first. JS `<` on strings
 * compares UTF-16 code units, which disagrees with UTF-8 bytes for characters above
 * U+FFFF versus U+E000-U+FFFF, so strings are compared as buffers.
 */
export function compareUtf8(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
