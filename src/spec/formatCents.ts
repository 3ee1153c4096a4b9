/** Cents as decimal text with exactly two decimals: 1230n -> "12.30", -50n -> "-0.50", 0n -> "0.00". */
export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const text = `${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
  return negative ? `-${text}` : text;
}
