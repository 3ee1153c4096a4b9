/**
 * The events of one chunk as a struct of typed arrays: SessionSimulator fills them, RowRenderer
 * reads them. An instant is kept as small integers (day, second of day, microseconds), so
 * rendering never boxes a double; how its text is written is packed into one format word.
 */

export const SEC = 1_000_000;
export const MIN = 60 * SEC;
export const DAY = 86_400 * SEC;
export const SECONDS_PER_DAY = 86_400;

export interface EventColumns {
  /** Days since 1970-01-01 (UTC). */
  tDay: Int32Array;
  /** Second of the UTC day. */
  tSec: Int32Array;
  /** Microseconds within the second. */
  tFrac: Int32Array;
  /** Format word: how event_time and revenue are written (layout below). */
  fmt: Uint16Array;
  /** User number (the id is "u" + number). */
  user: Uint32Array;
  /** Index into EVENT_TYPES, PAGES, the referrers (external ones, then the pages), the IP pool and USER_AGENTS. */
  type: Uint8Array;
  page: Uint8Array;
  ref: Uint8Array;
  ip: Uint16Array;
  ua: Uint8Array;
  /** Revenue in cents on purchases, -1 on other events. */
  cents: Int32Array;
}

export function eventColumns(size: number): EventColumns {
  return {
    tDay: new Int32Array(size),
    tSec: new Int32Array(size),
    tFrac: new Int32Array(size),
    fmt: new Uint16Array(size),
    user: new Uint32Array(size),
    type: new Uint8Array(size),
    page: new Uint8Array(size),
    ref: new Uint8Array(size),
    ip: new Uint16Array(size),
    ua: new Uint8Array(size),
    cents: new Int32Array(size),
  };
}

// Layout of the format word.
/** Bits 0-2: fraction digits written, 0-6. */
export const FMT_DIGITS = 0x7;
export const MAX_FRACTION_DIGITS = 6;
/** Bit 3: a space between date and time instead of T. */
export const FMT_SPACE = 0x8;
/** Bits 4-5: the zone form. */
export const ZONE_SHIFT = 4;
export const ZONE_MASK = 0x3;
export const ZONE_Z = 0;
export const ZONE_NONE = 1;
export const ZONE_OFFSET = 2;
/** Bits 6-9: index into OFFSETS_MINUTES when the zone is an offset. */
export const OFFSET_SHIFT = 6;
export const OFFSET_MASK = 0xf;
/** Bits 10-11: the revenue form. */
export const REV_SHIFT = 10;
export const REV_MASK = 0x3;
export const REV_TWO_DECIMALS = 0;
export const REV_WHOLE = 1;
export const REV_ONE_DECIMAL = 2;
