// Spec §C8, verbatim pattern: at most 10 integer digits and 2 decimals fit decimal(12,2).
const REVENUE = /^(-?)([0-9]{1,10})(?:\.([0-9]{1,2}))?$/;

/**
 * Spec §C8: the (trimmed) revenue text as integer cents, or null when it does not match.
 * No rounding ever: "12.3" -> 1230n, "-0.5" -> -50n, "-0" -> 0n, "1.005" -> null.
 */
export function parseRevenue(text: string | null): bigint | null {
  if (text === null) return null;
  const m = REVENUE.exec(text);
  if (m === null) return null;
  const [, sign, whole, frac = ""] = m;
  const cents = BigInt(whole) * 100n + BigInt(frac.padEnd(2, "0"));
  return sign === "-" ? -cents : cents;
}
