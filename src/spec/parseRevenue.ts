/**
 * Spec §C8, the pattern verbatim (without its anchors): at most 10 integer digits and 2
 * decimals fit decimal(12,2). The one source of the pattern: Polars builds its expression
 * from it; DuckDB's macros.sql and Spark's spec.py hold copies that tests/contracts.test.ts
 * proves equal to it.
 */
export const REVENUE_PATTERN = "-?[0-9]{1,10}(\\.[0-9]{1,2})?";

const REVENUE = new RegExp(`^${REVENUE_PATTERN}$`);

/**
 * Spec §C8: the (trimmed) revenue text as integer cents, or null when it does not match.
 * No rounding ever: "12.3" -> 1230n, "-0.5" -> -50n, "-0" -> 0n, "1.005" -> null.
 */
export function parseRevenue(text: string | null): bigint | null {
  if (text === null || !REVENUE.test(text)) return null;
  const negative = text.startsWith("-");
  const [whole, frac = ""] = (negative ? text.slice(1) : text).split(".");
  const cents = BigInt(whole!) * 100n + BigInt(frac.padEnd(2, "0"));
  return negative ? -cents : cents;
}
