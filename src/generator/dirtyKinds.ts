/**
 * Row-level dirty kinds, mutually exclusive per row (spec Cleansing 2-5 reject reasons; the
 * rates are DIRTY_RATES, in this order). Rows of kind INVALID_DATE and above carry an
 * event_time that is not a timestamp of the grammar.
 */
export const CLEAN = 0;
export const MISSING_ID = 1;
export const MISSING_USER = 2;
export const MISSING_TIME = 3;
export const INVALID_DATE = 4;
export const HOUR_24 = 5;
export const SEVEN_DIGITS = 6;
export const BAD_OFFSET = 7;
export const GARBAGE_TIME = 8;
/** How many dirty kinds there are (CLEAN not counted). */
export const DIRTY_KINDS = 8;
