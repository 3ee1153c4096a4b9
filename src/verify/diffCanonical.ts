/**
 * Readable difference of two canonical texts (§V1), for test failures and `etl verify`-style
 * tools: which records (quote-aware, so a field holding LF stays one record) are only in
 * the expected text and which only in the actual one, counted as multisets. Returns null
 * when the texts are equal.
 */
export function diffCanonical(expected: string, actual: string, maxRecords = 20): string | null {
  if (expected === actual) return null;
  const exp = canonicalRecords(expected);
  const act = canonicalRecords(actual);
  const out: string[] = [];
  if (exp[0] !== act[0]) out.push(`header differs:\n  expected ${exp[0]}\n  actual   ${act[0]}`);
  const counts = new Map<string, number>();
  for (const r of exp.slice(1)) counts.set(r, (counts.get(r) ?? 0) + 1);
  const extra: string[] = [];
  for (const r of act.slice(1)) {
    const n = counts.get(r) ?? 0;
    if (n > 0) counts.set(r, n - 1);
    else extra.push(r);
  }
  const missing = [...counts].flatMap(([r, n]) => Array<string>(n).fill(r));
  const show = (label: string, list: string[]) => {
    if (list.length === 0) return;
    out.push(`${list.length} record(s) ${label}:`);
    for (const r of list.slice(0, maxRecords)) out.push(`  ${JSON.stringify(r)}`);
    if (list.length > maxRecords) out.push(`  ... ${list.length - maxRecords} more`);
  };
  show("only in expected", missing);
  show("only in actual", extra);
  if (out.length === 0) out.push("same records, different order or line ends (not canonical?)");
  return out.join("\n");
}

/** Splits canonical CSV text into records; LF inside a quoted field does not split. */
export function canonicalRecords(text: string): string[] {
  const records: string[] = [];
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (c === "\n" && !inQuotes) {
      records.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start));
  return records;
}
