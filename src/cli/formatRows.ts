/** Prints query results for the CLI: aligned text table, JSON array, or RFC 4180 CSV. */
export type RowFormat = "table" | "json" | "csv";

export function formatRows(
  columns: string[],
  rows: Record<string, unknown>[],
  format: RowFormat,
): string {
  const text = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  if (format === "json") return JSON.stringify(rows, null, 2);
  if (format === "csv") {
    const cell = (v: unknown) => {
      if (v === null || v === undefined) return "";
      const s = String(v);
      return /[",\r\n]|^\s|\s$|^$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    };
    return [columns.join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join(
      "\n",
    );
  }
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[]) =>
    cells
      .map((s, i) => s.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [
    line(columns),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(columns.map((c) => text(r[c])))),
    `(${rows.length} row${rows.length === 1 ? "" : "s"})`,
  ].join("\n");
}

export function parseFormat(value: string): RowFormat {
  if (value === "table" || value === "json" || value === "csv") return value;
  throw new Error(`--format ${value}: use table, json or csv`);
}
