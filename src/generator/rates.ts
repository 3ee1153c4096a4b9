/**
 * Every rate the clickstream generator uses, in one place; data/README.md mirrors these
 * numbers and tests/generator.test.ts checks a generated file against them.
 *
 * DIRTY_RATES are multiplied by `--dirty-rate` (1 = as listed, 0 = clean data). They are
 * probabilities per data row unless the comment says otherwise. The five reject-causing
 * kinds (missing ids/time, bad times, duplicates) are mutually exclusive per row, so the
 * expected reject count of each reason is rate x rows (docs/pipeline-spec.md, Cleansing 2-5, 10).
 */
export const DIRTY_RATES = {
  /** event_id empty (75 %) or whitespace only (25 %): reject missing_event_id. */
  missingEventId: 0.002,
  /** user_id empty or whitespace only: reject missing_user_id. */
  missingUserId: 0.002,
  /** event_time empty or whitespace only: reject missing_event_time. */
  missingEventTime: 0.002,
  /** Impossible calendar values: Feb 30, Apr 31, Feb 29 of a common year, month 13, minute 60, second 60. */
  invalidDate: 0.001,
  /** Hour 24 (`T24:00:00`). */
  hour24: 0.0005,
  /** Seven fraction digits (`.1234567`). */
  sevenFractionDigits: 0.0005,
  /** Offset outside the grammar: `+19:00`, `-23:00`, `+0100`, `+01`, `+1:00`, ` UTC`. */
  badOffset: 0.0005,
  /** Not a timestamp at all: `yesterday`, epoch seconds, `2026/01/05 10:00:00`, `N/A`, ... */
  garbageTime: 0.001,
  /** The same event_id delivered again later in the file (see DUPLICATE_KINDS): one reject per re-delivery. */
  duplicate: 0.01,
  /** Per purchase row: revenue that fails the spec pattern (`49.999`, `$49.99`, `49,99`, ...). */
  badRevenue: 0.05,
  /** event_type in upper, title or mixed case, or padded with a space/tab (trimmed and lower-cased by the pipeline). */
  eventTypeCase: 0.03,
  /** event_type empty: becomes `unknown`. */
  missingEventType: 0.001,
  /** Rows with exactly one non-blank field (not event_type) padded with spaces/tabs (quoted); trimming restores it. */
  paddedField: 0.02,
  /** ip_address malformed (`256.1.2.3`, `01.2.3.4`, `::ffff:1.2.3.4`, `fe80::1%eth0`, ...): set to null. */
  malformedIp: 0.01,
  /** ip_address empty. */
  missingIp: 0.005,
  /** Rows delivered late: placed after rows 2 minutes to 3 hours newer than themselves. */
  lateRow: 0.005,
} as const;

export type DirtyRates = { -readonly [K in keyof typeof DIRTY_RATES]: number };

/** The five kinds of invalid event_time, in the order their rates are listed above. */
export const INVALID_TIME_KINDS = [
  "invalidDate",
  "hour24",
  "sevenFractionDigits",
  "badOffset",
  "garbageTime",
] as const;

/** How a re-delivered event differs from the first delivery (shares of DIRTY_RATES.duplicate). */
export const DUPLICATE_KINDS = {
  /** Byte-identical row. */
  exact: 0.45,
  /** event_time 1-300 s later: the first delivery is kept. */
  later: 0.3,
  /** event_time 1-60 s earlier: the re-delivery is kept, the first delivery is rejected. */
  earlier: 0.1,
  /** Same instant written another way (other zone form or separator): tie broken on raw text. */
  sameInstantOtherForm: 0.15,
} as const;

/**
 * Duplicates copy one of this many most recent clean rows of the same chunk: seconds back at
 * 100M rows over 30 days, hours back at 200k rows.
 */
export const DUPLICATE_WINDOW = 4096;

/**
 * Shape of clean data (not scaled by --dirty-rate). Shares are per row, per session or per
 * gap as named; the generator draws from these and data/README.md reports measured values.
 */
export const SHAPE = {
  /** Activity rank r of a user is floor(users * u^k): larger k, heavier head (top 1 % of users ~ 16 % of events at 2.5). */
  userActivityExponent: 2.5,
  /** Default --users when not given: one user per this many events. */
  eventsPerUser: 50,
  /** Share of single-event sessions (bounces). */
  bounceShare: 0.35,
  /** Mean extra events of a non-bounce session beyond the second (geometric). */
  sessionMeanExtraEvents: 5,
  /** Share of non-bounce sessions that are long (20-200 events). */
  longSessionShare: 0.03,
  /** Gaps inside a session: 2-120 s (rest), 2-25 min, 25-29.99 min, and around 30 min. */
  gapMinutesShare: 0.22,
  gapNear25Share: 0.03,
  gapNear30Share: 0.03,
  /** Of the near-30-minute gaps: exactly 30:00.000000 (same session), just over (new session), just under. */
  gapExact30Share: 0.4,
  gapOver30Share: 0.35,
  /** Per session: share that uses the user's home IP and user agent (else a random one). */
  homeIpShare: 0.8,
  homeUserAgentShare: 0.95,
  /** Kind of an IP address (per user home IP and per random pick). */
  ipv6Share: 0.1,
  privateIpShare: 0.06,
  /** event_time text forms: separator space (else T), fraction digits, zone (Z, none, offset). */
  spaceSeparatorShare: 0.15,
  fractionDigitShares: [0.15, 0.01, 0.01, 0.2, 0.01, 0.02, 0.6] as readonly number[],
  noZoneShare: 0.15,
  offsetZoneShare: 0.15,
  /** Revenue text forms on purchases: `50` (no decimals) and `49.9` (one decimal); rest two decimals. */
  revenueWholeShare: 0.08,
  revenueOneDecimalShare: 0.07,
} as const;

/** UTC hour-of-day weights of session starts (a European evening peak); weekends x0.85. */
export const HOURLY_WEIGHTS = [
  0.3, 0.22, 0.18, 0.16, 0.18, 0.28, 0.45, 0.7, 0.9, 1.0, 1.05, 1.1, 1.15, 1.1, 1.05, 1.05, 1.1,
  1.2, 1.35, 1.45, 1.4, 1.2, 0.85, 0.5,
] as const;
export const WEEKEND_WEIGHT = 0.85;

/** Events per chunk: the unit of deterministic generation (a chunk depends only on seed and index). */
export const CHUNK_EVENTS = 131_072;
