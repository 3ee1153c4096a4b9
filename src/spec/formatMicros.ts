import { civilFromDays } from "./calendar.ts";

/**
 * UTC microseconds since the epoch as the canonical timestamptz text
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always 6 fraction digits). Years outside 0000-9999
 * have no 4-digit form and are refused.
 */
export function formatMicros(micros: bigint): string {
  const perDay = 86_400_000_000n;
  let days = micros / perDay;
  let rest = micros % perDay;
  if (rest < 0n) {
    rest += perDay;
    days -= 1n;
  }
  const { year, month, day } = civilFromDays(Number(days));
  if (year < 0 || year > 9999) {
    throw new Error(`timestamp ${micros} µs is outside years 0000-9999 and has no canonical text`);
  }
  const frac = rest % 1_000_000n;
  const secs = Number(rest / 1_000_000n);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return (
    `${p(year, 4)}-${p(month)}-${p(day)}T${p(Math.floor(secs / 3600))}:` +
    `${p(Math.floor(secs / 60) % 60)}:${p(secs % 60)}.${String(frac).padStart(6, "0")}Z`
  );
}
