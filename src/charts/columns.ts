import type { Table } from "apache-arrow";

/** A column of an Arrow table as a plain array (nulls kept), for Plotly traces. */
export function column<T = unknown>(table: Table, name: string): (T | null)[] {
  const vector = table.getChild(name);
  if (!vector) {
    const have = table.schema.fields.map((f) => f.name).join(", ");
    throw new Error(`chart needs column "${name}"; the table has ${have}`);
  }
  return Array.from(vector as Iterable<T | null>);
}

/** Days (Arrow Date32 read as epoch ms) as YYYY-MM-DD text, Plotly's date axis format. */
export function isoDays(values: (number | null)[]): (string | null)[] {
  return values.map((v) => (v === null ? null : new Date(v).toISOString().slice(0, 10)));
}

/** The `n` keys with the largest summed `value`, ties by key; null keys become `nullLabel`. */
export function topKeys(
  keys: (string | null)[],
  values: (number | null)[],
  n: number,
  nullLabel = "(none)",
): string[] {
  const sums = new Map<string, number>();
  keys.forEach((k, i) =>
    sums.set(k ?? nullLabel, (sums.get(k ?? nullLabel) ?? 0) + (values[i] ?? 0)),
  );
  return [...sums.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([k]) => k);
}
