import { daysFromCivil, isValidDate } from "./calendar.ts";

// Spec §C5, the whole grammar: ASCII digits only, `T` or exactly one space, upper-case
// `T` and `Z` only, fraction 1-6 digits, zone `Z` or ±HH:MM with the colon.
const EVENT_TIME =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?(Z|[+-][0-9]{2}:[0-9]{2})?$/;

/**
 * Spec §C5: parses an (already trimmed, §C1) event_time text into UTC microseconds
 * since 1970-01-01T00:00:00Z, or null when the text is not a real calendar instant in
 * the grammar. Years 0000-9999, proleptic Gregorian (ISO 8601); no zone means UTC;
 * offsets ±00:00 to ±18:59 (hours 00-18, minutes 00-59).
 */
export function parseEventTime(text: string | null): bigint | null {
  if (text === null) return null;
  const m = EVENT_TIME.exec(text);
  if (m === null) return null;
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = Number(ss);
  if (!isValidDate(year, month, day)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetSeconds = 0;
  if (zone !== undefined && zone !== "Z") {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 18 || om > 59) return null;
    offsetSeconds = (zone[0] === "-" ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const fracMicros = frac === undefined ? 0n : BigInt(frac.padEnd(6, "0"));
  // Local wall time minus the offset is UTC: 10:00+02:00 is 08:00Z.
  const seconds =
    BigInt(daysFromCivil(year, month, day)) * 86_400n +
    BigInt(hour * 3600 + minute * 60 + second - offsetSeconds);
  return seconds * 1_000_000n + fracMicros;
}
