import { civilFromDays } from "../spec/calendar.ts";
import {
  COLON,
  DIG3,
  DOT,
  SPACE,
  UPPER_T,
  UPPER_Z,
  ZERO,
  put2,
  putAscii,
  putBytes,
} from "./byteWriter.ts";
import { BAD_OFFSET, HOUR_24, INVALID_DATE } from "./dirtyKinds.ts";
import {
  DAY,
  FMT_DIGITS,
  FMT_SPACE,
  OFFSET_MASK,
  OFFSET_SHIFT,
  SECONDS_PER_DAY,
  ZONE_MASK,
  ZONE_OFFSET,
  ZONE_SHIFT,
  ZONE_Z,
} from "./eventColumns.ts";
import { BAD_OFFSETS, GARBAGE_TIMES, OFFSETS_MINUTES } from "./vocabulary.ts";

/**
 * Days of date text kept ready before the first day and after the last: offsets move a local
 * date one day either way, and re-deliveries shift an instant by minutes.
 */
const DATES_BEFORE = 2;
const DATES_AFTER = 3;
/** The invalid-date and bad-offset texts pick one of this many forms. */
const INVALID_FORMS = 6;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Days since 1970-01-01 to [year, month, day] (the calendar of src/spec). */
function civil(day: number): [number, number, number] {
  const { year, month, day: d } = civilFromDays(day);
  return [year, month, d];
}

function dateText(day: number): string {
  const [y, m, d] = civil(day);
  return `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}`;
}

/**
 * Writes event_time text: valid timestamps in the form a format word says (eventColumns.ts),
 * from pre-encoded dates and zones, and the invalid kinds of DIRTY_RATES as text.
 */
export class TimestampWriter {
  private readonly zones: Uint8Array[];
  private readonly offsetSeconds: number[];
  private readonly dateCache: Uint8Array[] = [];
  private readonly dateBase: number;

  constructor(startMicros: number, days: number) {
    this.zones = OFFSETS_MINUTES.map((m) => {
      const a = Math.abs(m);
      return Buffer.from(`${m < 0 ? "-" : "+"}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`);
    });
    this.offsetSeconds = OFFSETS_MINUTES.map((m) => m * 60);
    this.dateBase = Math.floor(startMicros / DAY) - DATES_BEFORE;
    for (let d = 0; d < days + DATES_BEFORE + DATES_AFTER; d++)
      this.dateCache.push(Buffer.from(dateText(this.dateBase + d)));
  }

  /** Timestamp text in format f; extraDigit >= 0 appends a 7th fraction digit (dirty). */
  put(
    buf: Buffer,
    p: number,
    utcDay: number,
    utcSec: number,
    frac: number,
    f: number,
    extraDigit: number,
  ): number {
    const zone = (f >> ZONE_SHIFT) & ZONE_MASK;
    const offsetIndex = (f >> OFFSET_SHIFT) & OFFSET_MASK;
    let day = utcDay;
    let secs = utcSec;
    if (zone === ZONE_OFFSET) {
      secs += this.offsetSeconds[offsetIndex];
      if (secs < 0) {
        secs += SECONDS_PER_DAY;
        day--;
      } else if (secs >= SECONDS_PER_DAY) {
        secs -= SECONDS_PER_DAY;
        day++;
      }
    }
    const cached = this.dateCache[day - this.dateBase];
    p = cached !== undefined ? putBytes(buf, p, cached) : putAscii(buf, p, dateText(day));
    buf[p++] = f & FMT_SPACE ? SPACE : UPPER_T;
    const hh = (secs / 3600) | 0;
    const mm = ((secs - hh * 3600) / 60) | 0;
    p = put2(buf, p, hh);
    buf[p++] = COLON;
    p = put2(buf, p, mm);
    buf[p++] = COLON;
    p = put2(buf, p, secs - hh * 3600 - mm * 60);
    const digits = f & FMT_DIGITS;
    if (digits > 0) {
      // All six digits are written; the cursor keeps `digits` of them (the rest is overwritten).
      buf[p] = DOT;
      const hi = Math.floor(frac / 1000) * 3;
      const lo = (frac - Math.floor(frac / 1000) * 1000) * 3;
      buf[p + 1] = DIG3[hi];
      buf[p + 2] = DIG3[hi + 1];
      buf[p + 3] = DIG3[hi + 2];
      buf[p + 4] = DIG3[lo];
      buf[p + 5] = DIG3[lo + 1];
      buf[p + 6] = DIG3[lo + 2];
      p += 1 + digits;
      if (extraDigit >= 0) buf[p++] = ZERO + extraDigit;
    }
    if (zone === ZONE_Z) buf[p++] = UPPER_Z;
    else if (zone === ZONE_OFFSET) p = putBytes(buf, p, this.zones[offsetIndex]);
    return p;
  }

  /**
   * Text of the invalid event_time kinds (dirtyKinds.ts, DIRTY_RATES; all fail spec
   * Cleansing 5). `pick` and `garbage` are random draws choosing the form.
   */
  invalid(kind: number, day: number, secs: number, pick: number, garbage: number): string {
    const [y, , d] = civil(day);
    const hh = pad2(Math.floor(secs / 3600));
    const mi = pad2(Math.floor((secs % 3600) / 60));
    const ss = pad2(secs % 60);
    const date = dateText(day);
    const form = pick % INVALID_FORMS;
    if (kind === INVALID_DATE) {
      const common = y % 4 === 0 ? y - 1 : y;
      switch (form) {
        case 0:
          return `${y}-02-30T${hh}:${mi}:${ss}Z`;
        case 1:
          return `${y}-04-31 ${hh}:${mi}:${ss}`;
        case 2:
          return `${common}-02-29T${hh}:${mi}:${ss}.000Z`;
        case 3:
          return `${y}-13-${pad2(d)}T${hh}:${mi}:${ss}Z`;
        case 4:
          return `${date}T${hh}:60:${ss}Z`;
        default:
          return `${date}T${hh}:${mi}:60Z`;
      }
    }
    if (kind === HOUR_24) {
      return form < 3
        ? `${date}T24:00:00Z`
        : form < 5
          ? `${date} 24:00:00`
          : `${date}T24:00:00.000000Z`;
    }
    if (kind === BAD_OFFSET)
      return `${date}T${hh}:${mi}:${ss}${BAD_OFFSETS[form % BAD_OFFSETS.length]}`;
    return GARBAGE_TIMES[garbage % GARBAGE_TIMES.length];
  }
}
