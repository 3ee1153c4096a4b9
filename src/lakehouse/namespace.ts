/**
 * Namespaces become folder names under the warehouse and identifiers in SQL (DuckDB views,
 * Spark's `lakehouse.<ns>.<table>`), so only plain identifiers are accepted: a lowercase
 * ASCII letter, then lowercase letters, digits or `_`, at most 64 characters. This keeps
 * `..`, `/`, empty names, quotes and case-folding differences between engines out.
 * Mirrored by spark/etl_spark/spec.py (NAMESPACE_PATTERN); a test proves them equal.
 */
export const NAMESPACE_PATTERN = "^[a-z][a-z0-9_]{0,63}$";

const NAMESPACE = new RegExp(NAMESPACE_PATTERN);

export const NAMESPACE_RULE =
  "a lowercase letter, then lowercase letters, digits or _ (at most 64 characters)";

export function isValidNamespace(name: string): boolean {
  return NAMESPACE.test(name);
}

/** Throws an error naming the namespace and the rule; returns the name when it is valid. */
export function validateNamespace(name: string): string {
  if (!isValidNamespace(name)) {
    throw new Error(
      `namespace ${JSON.stringify(name)} is not allowed: use ${NAMESPACE_RULE}, e.g. duckdb or run_2`,
    );
  }
  return name;
}
