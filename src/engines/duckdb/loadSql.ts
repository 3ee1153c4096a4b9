import { readFileSync } from "node:fs";

const cache = new Map<string, string>();

/**
 * The text of `<name>.sql` next to the DuckDB stages, with each `{{key}}` replaced by
 * `values[key]` (already-quoted SQL; see sqlString). SQL lives in .sql files, not in
 * template strings.
 */
export function loadSql(name: string, values: Record<string, string> = {}): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./${name}.sql`, import.meta.url), "utf8");
    cache.set(name, text);
  }
  return text.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${name}.sql: no value for {{${key}}}`);
    return value;
  });
}

/** A SQL string literal: single quotes doubled. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A SQL identifier: double quotes doubled. */
export function sqlIdent(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
