/**
 * Spec §C1: trims space, tab, CR and LF (only these four; not NBSP or other Unicode
 * spaces, which is why String.prototype.trim is not used) from both ends; an empty
 * result, like a null input, is null.
 */
export function trimField(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  let start = 0;
  let end = text.length;
  while (start < end && isSpecSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpecSpace(text.charCodeAt(end - 1))) end--;
  return start === end ? null : text.slice(start, end);
}

function isSpecSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}
