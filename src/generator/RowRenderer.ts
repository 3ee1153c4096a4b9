import {
  COMMA,
  DASH,
  DOT,
  LOWER_U,
  NEWLINE,
  QUOTE,
  ZERO,
  put2,
  putAscii,
  putBytes,
  putHex4,
  putHex8,
  putUint,
} from "./byteWriter.ts";
import type { ChunkConfig } from "./ChunkConfig.ts";
import {
  CLEAN,
  DIRTY_KINDS,
  INVALID_DATE,
  MISSING_ID,
  MISSING_TIME,
  MISSING_USER,
  SEVEN_DIGITS,
} from "./dirtyKinds.ts";
import { encodeCsvField, type EncodedField } from "./encodeCsvField.ts";
import {
  FMT_DIGITS,
  FMT_SPACE,
  MAX_FRACTION_DIGITS,
  OFFSET_SHIFT,
  REV_MASK,
  REV_ONE_DECIMAL,
  REV_SHIFT,
  REV_TWO_DECIMALS,
  SECONDS_PER_DAY,
  ZONE_MASK,
  ZONE_NONE,
  ZONE_OFFSET,
  ZONE_SHIFT,
  ZONE_Z,
  type EventColumns,
} from "./eventColumns.ts";
import { DUPLICATE_KINDS } from "./rates.ts";
import { SplitMix32 } from "./SplitMix32.ts";
import { TimestampWriter } from "./TimestampWriter.ts";
import {
  BAD_REVENUES,
  EVENT_TYPES,
  EXTERNAL_REFERRERS,
  MALFORMED_IPS,
  OFFSETS_MINUTES,
  PADS,
  PAGES,
  SITE,
  USER_AGENTS,
  eventTypeCaseVariants,
} from "./vocabulary.ts";

/** Bytes written per output batch; a batch never splits a row. */
export const BATCH_BYTES = 4 << 20;
/** Reused batches kept per generator: about two chunks' worth (a chunk is ~38 MB). */
const MAX_SPARE = 20;
/** Upper bound of one row's length (longest vocabulary values, padded, plus a timestamp). */
const MAX_ROW_BYTES = 2048;

/** Salts mixed with the seed: per-row choices, and the event-id bijection. */
const EVENT_SALT = 0xe7e47;
const ID_SALT = 0x1d5eed;

/** Probabilities become thresholds on a 32-bit draw. */
const U32 = 4294967296;

function threshold(p: number): number {
  return Math.min(Math.max(p, 0), 1) * U32;
}

/** A whitespace-only field: trimmed to null like an empty one (spec: Cleansing 1). */
const BLANK = Buffer.from('"  "');
/** A missing value is whitespace-only in 2 of 8 cases (25 %), else empty. */
const BLANK_EIGHTHS = 2;

// Fields that DIRTY_RATES.paddedField may pad, in column order (event_type has its own noise).
const PAD_FIELDS = 8;
const F_ID = 0;
const F_USER = 1;
const F_TIME = 2;
const F_PAGE = 3;
const F_REF = 4;
const F_IP = 5;
const F_UA = 6;
const F_REVENUE = 7;

// Bit fields of a row's `aux` draw that pick among the forms of a dirty value.
const AUX_MALFORMED_IP_SHIFT = 4; // which malformed IP
const AUX_PAD_SHIFT = 8; // which padding (also which garbage time)
const AUX_BAD_REVENUE_SHIFT = 12; // which bad revenue
const AUX_BLANK_SHIFT = 16; // 3 bits: empty or whitespace-only missing value
const AUX_TIME_FORM_SHIFT = 20; // which invalid date, hour-24 or bad-offset form

/** UUID version 4 (bits 12-15 of the third group) and variant 10xx (top bits of the fourth). */
const UUID_VERSION_4 = 0x4000;
const UUID_VARIANT_10 = 8;

/** Re-deliveries shift event_time by 1-300 s later or 1-60 s earlier (DUPLICATE_KINDS). */
const LATER_MAX_SECONDS = 300;
const EARLIER_MAX_SECONDS = 60;

type Pad = [Uint8Array, Uint8Array];

function openPad(buf: Buffer, p: number, pad: Pad): number {
  buf[p++] = QUOTE;
  return putBytes(buf, p, pad[0]);
}

function closePad(buf: Buffer, p: number, pad: Pad): number {
  p = putBytes(buf, p, pad[1]);
  buf[p++] = QUOTE;
  return p;
}

function putField(buf: Buffer, p: number, field: EncodedField, padded: boolean, pad: Pad): number {
  if (!padded) return putBytes(buf, p, field.bytes);
  p = openPad(buf, p, pad);
  p = putBytes(buf, p, field.inner);
  return closePad(buf, p, pad);
}

/**
 * Renders events as CSV rows straight into reused byte batches, from pre-encoded
 * vocabularies. All dirty-data choices of a row come from a generator seeded by the event's
 * global index, so a re-delivery renders the same choices as the first delivery.
 */
export class RowRenderer {
  private readonly erng = new SplitMix32(0);
  private readonly eventSeed: number;
  private readonly idSeed: number;
  private readonly times: TimestampWriter;

  // The events, in delivery order (SessionSimulator.delivered), one field per column.
  private readonly tDay: Int32Array;
  private readonly tSec: Int32Array;
  private readonly tFrac: Int32Array;
  private readonly user: Uint32Array;
  private readonly type: Uint8Array;
  private readonly page: Uint8Array;
  private readonly ref: Uint8Array;
  private readonly ip: Uint16Array;
  private readonly ua: Uint8Array;
  private readonly fmt: Uint16Array;
  private readonly cents: Int32Array;

  // Pre-encoded vocabularies.
  private readonly pages: EncodedField[];
  private readonly refs: EncodedField[];
  private readonly agents: EncodedField[];
  private readonly ipFields: EncodedField[];
  private readonly malformedIps: EncodedField[];
  private readonly badRevenues: EncodedField[];
  private readonly types: Uint8Array[];
  private readonly typeVariants: EncodedField[][];
  private readonly pads: Pad[];
  /** "page,referrer," for every page x referrer pair. */
  private readonly pageRefs: Uint8Array[];
  /** "ip," and "user_agent," (separate: the 14 agents stay in cache, the pairs would not). */
  private readonly ipCommas: Uint8Array[];
  private readonly agentCommas: Uint8Array[];

  // Thresholds in units of 2^32.
  private readonly tDirty: number[];
  private readonly tCase: number;
  private readonly tMissingType: number;
  private readonly tPadded: number;
  private readonly tMalformedIp: number;
  private readonly tMissingIp: number;
  private readonly tBadRevenue: number;

  // Output.
  private buf: Buffer = Buffer.allocUnsafe(BATCH_BYTES);
  private pos = 0;
  private out: Buffer[] = [];
  private readonly spare: Buffer[] = [];

  constructor(cfg: ChunkConfig, events: EventColumns) {
    this.eventSeed = SplitMix32.hash2(cfg.seed, EVENT_SALT);
    this.idSeed = SplitMix32.hash2(cfg.seed, ID_SALT);
    this.times = new TimestampWriter(cfg.startMicros, cfg.days);
    this.tDay = events.tDay;
    this.tSec = events.tSec;
    this.tFrac = events.tFrac;
    this.user = events.user;
    this.type = events.type;
    this.page = events.page;
    this.ref = events.ref;
    this.ip = events.ip;
    this.ua = events.ua;
    this.fmt = events.fmt;
    this.cents = events.cents;

    this.pages = PAGES.map((p) => encodeCsvField(SITE + p.path));
    this.refs = [...EXTERNAL_REFERRERS.map((r) => encodeCsvField(r.url)), ...this.pages];
    this.agents = USER_AGENTS.map((u) => encodeCsvField(u.ua));
    this.ipFields = cfg.ips.addresses.map((a) => encodeCsvField(a));
    this.malformedIps = MALFORMED_IPS.map((a) => encodeCsvField(a));
    this.badRevenues = BAD_REVENUES.map((r) => encodeCsvField(r));
    this.types = EVENT_TYPES.map((t) => Buffer.from(t));
    this.typeVariants = EVENT_TYPES.map((t) =>
      eventTypeCaseVariants(t).map((v) => encodeCsvField(v)),
    );
    this.pads = PADS.map(([a, b]) => [Buffer.from(a), Buffer.from(b)]);
    const comma = Buffer.from(",");
    this.pageRefs = this.pages.flatMap((pg) =>
      this.refs.map((rf) => Buffer.concat([pg.bytes, comma, rf.bytes, comma])),
    );
    this.ipCommas = this.ipFields.map((f) => Buffer.concat([f.bytes, comma]));
    this.agentCommas = this.agents.map((f) => Buffer.concat([f.bytes, comma]));

    const r = cfg.rates;
    // In the order of dirtyKinds.ts (MISSING_ID .. GARBAGE_TIME).
    const kinds = [
      r.missingEventId,
      r.missingUserId,
      r.missingEventTime,
      r.invalidDate,
      r.hour24,
      r.sevenFractionDigits,
      r.badOffset,
      r.garbageTime,
    ];
    let acc = 0;
    this.tDirty = kinds.map((p) => threshold((acc += p)));
    this.tCase = threshold(r.eventTypeCase);
    this.tMissingType = threshold(r.eventTypeCase + r.missingEventType);
    this.tPadded = threshold(r.paddedField);
    this.tMalformedIp = threshold(r.malformedIp);
    this.tMissingIp = threshold(r.malformedIp + r.missingIp);
    this.tBadRevenue = threshold(r.badRevenue);
  }

  /** Starts the rows of a new chunk. */
  begin(): void {
    this.out = [];
    this.pos = 0;
  }

  /** Starts a new batch when the current one may not hold another row. */
  makeRoom(): void {
    if (this.pos > BATCH_BYTES - MAX_ROW_BYTES) this.flush();
  }

  /** The chunk's rows, as a list of filled batches in file order. */
  finish(): Buffer[] {
    this.flush();
    return this.out;
  }

  private flush(): void {
    if (this.pos === 0) return;
    this.out.push(this.buf.subarray(0, this.pos));
    this.buf = this.spare.pop() ?? Buffer.allocUnsafe(BATCH_BYTES);
    this.pos = 0;
  }

  /**
   * Gives written batches back for reuse: allocating fresh 4 MB buffers makes V8 collect
   * garbage for the external memory over and over.
   */
  recycle(batches: Uint8Array[]): void {
    for (const b of batches) {
      if (b.buffer.byteLength === BATCH_BYTES && this.spare.length < MAX_SPARE) {
        this.spare.push(Buffer.from(b.buffer, 0, BATCH_BYTES));
      }
    }
  }

  /**
   * Re-delivery of event j (global index g): identical, later, earlier, or the same instant
   * written differently. `rng` is the chunk's generator.
   */
  duplicate(g: number, j: number, rng: SplitMix32): void {
    const u = rng.float();
    if (u < DUPLICATE_KINDS.exact) {
      this.row(g, j, 0, -1, true);
    } else if (u < DUPLICATE_KINDS.exact + DUPLICATE_KINDS.later) {
      this.row(g, j, 1 + rng.below(LATER_MAX_SECONDS), -1, true);
    } else if (u < DUPLICATE_KINDS.exact + DUPLICATE_KINDS.later + DUPLICATE_KINDS.earlier) {
      this.row(g, j, -(1 + rng.below(EARLIER_MAX_SECONDS)), -1, true);
    } else {
      const f = this.fmt[j];
      const zone = (f >> ZONE_SHIFT) & ZONE_MASK;
      const keep = f & (FMT_DIGITS | FMT_SPACE | (REV_MASK << REV_SHIFT));
      let other: number;
      if (zone === ZONE_Z) {
        other =
          rng.float() < 0.5
            ? keep | (ZONE_NONE << ZONE_SHIFT)
            : keep |
              (ZONE_OFFSET << ZONE_SHIFT) |
              (rng.below(OFFSETS_MINUTES.length) << OFFSET_SHIFT);
      } else {
        other = keep | (ZONE_Z << ZONE_SHIFT);
      }
      this.row(g, j, 0, other, true);
    }
  }

  /**
   * Writes one row for event j (global index g) and returns its dirty kind (dirtyKinds.ts).
   * A re-delivery (`dup`) is never made dirty; it may shift the time or use another format.
   */
  row(g: number, j: number, shiftSeconds: number, fmtOverride: number, dup = false): number {
    const er = this.erng;
    er.reseed(SplitMix32.hash2(this.eventSeed, g));
    const dirtyDraw = er.next();
    const typeDraw = er.next();
    const padDraw = er.next();
    const ipDraw = er.next();
    const revDraw = er.next();
    const aux = er.next();

    let kind = CLEAN;
    const td = this.tDirty;
    if (!dup && dirtyDraw < td[DIRTY_KINDS - 1]) {
      kind = MISSING_ID;
      while (kind < DIRTY_KINDS && dirtyDraw >= td[kind - 1]) kind++;
    }
    let padField = padDraw < this.tPadded ? aux % PAD_FIELDS : -1;
    // Only non-blank values are padded (a blank one would just stay blank): a draw that
    // lands on a missing value pads the user agent instead, so the documented rate holds.
    if (
      (kind >= MISSING_ID && kind <= MISSING_TIME && padField === kind - MISSING_ID + F_ID) ||
      (padField === F_REVENUE && this.cents[j] < 0) ||
      (padField === F_REF && this.refs[this.ref[j]].text === "") ||
      (padField === F_IP && ipDraw >= this.tMalformedIp && ipDraw < this.tMissingIp)
    ) {
      padField = F_UA;
    }
    const pad = this.pads[(aux >>> AUX_PAD_SHIFT) % this.pads.length];
    const blankish = ((aux >>> AUX_BLANK_SHIFT) & 7) < BLANK_EIGHTHS;

    const buf = this.buf;
    let p = this.pos;

    // event_id: UUID-shaped; the first 32 bits are a bijection of g, so ids are unique.
    if (padField === F_ID) p = openPad(buf, p, pad);
    if (kind === MISSING_ID) {
      if (blankish) p = putBytes(buf, p, BLANK);
    } else {
      const h1 = SplitMix32.mix((g ^ this.idSeed) >>> 0);
      const h2 = er.next();
      const h3 = er.next();
      const h4 = er.next();
      p = putHex8(buf, p, h1);
      buf[p++] = DASH;
      p = putHex4(buf, p, h2 >>> 16);
      buf[p++] = DASH;
      p = putHex4(buf, p, UUID_VERSION_4 | (h2 & 0xfff));
      buf[p++] = DASH;
      p = putHex4(buf, p, ((UUID_VARIANT_10 | (h3 >>> 30)) << 12) | ((h3 >>> 16) & 0xfff));
      buf[p++] = DASH;
      p = putHex4(buf, p, h3 & 0xffff);
      p = putHex8(buf, p, h4);
    }
    if (padField === F_ID) p = closePad(buf, p, pad);
    buf[p++] = COMMA;

    // user_id
    if (padField === F_USER) p = openPad(buf, p, pad);
    if (kind === MISSING_USER) {
      if (blankish) p = putBytes(buf, p, BLANK);
    } else {
      buf[p++] = LOWER_U;
      p = putUint(buf, p, this.user[j]);
    }
    if (padField === F_USER) p = closePad(buf, p, pad);
    buf[p++] = COMMA;

    // event_time
    if (padField === F_TIME) p = openPad(buf, p, pad);
    let day = this.tDay[j];
    let sec = this.tSec[j] + shiftSeconds;
    if (sec < 0) {
      sec += SECONDS_PER_DAY;
      day--;
    } else if (sec >= SECONDS_PER_DAY) {
      sec -= SECONDS_PER_DAY;
      day++;
    }
    const frac = this.tFrac[j];
    const f = fmtOverride >= 0 ? fmtOverride : this.fmt[j];
    if (kind === CLEAN) {
      p = this.times.put(buf, p, day, sec, frac, f, -1);
    } else if (kind === MISSING_TIME) {
      if (blankish) p = putBytes(buf, p, BLANK);
    } else if (kind === SEVEN_DIGITS) {
      p = this.times.put(buf, p, day, sec, frac, (f & ~FMT_DIGITS) | MAX_FRACTION_DIGITS, aux % 10);
    } else if (kind >= INVALID_DATE) {
      p = putAscii(
        buf,
        p,
        this.times.invalid(kind, day, sec, aux >>> AUX_TIME_FORM_SHIFT, aux >>> AUX_PAD_SHIFT),
      );
    } else {
      p = this.times.put(buf, p, day, sec, frac, f, -1);
    }
    if (padField === F_TIME) p = closePad(buf, p, pad);
    buf[p++] = COMMA;

    // event_type
    const type = this.type[j];
    if (typeDraw < this.tCase) {
      const variants = this.typeVariants[type];
      p = putBytes(buf, p, variants[aux % variants.length].bytes);
    } else if (typeDraw >= this.tMissingType) p = putBytes(buf, p, this.types[type]);
    buf[p++] = COMMA;

    if ((padField < F_PAGE || padField === F_REVENUE) && ipDraw >= this.tMissingIp) {
      // Fast path: "page,referrer," and "ip,user_agent," are pre-joined segments.
      p = putBytes(buf, p, this.pageRefs[this.page[j] * this.refs.length + this.ref[j]]);
      p = putBytes(buf, p, this.ipCommas[this.ip[j]]);
      p = putBytes(buf, p, this.agentCommas[this.ua[j]]);
    } else {
      p = putField(buf, p, this.pages[this.page[j]], padField === F_PAGE, pad);
      buf[p++] = COMMA;
      p = putField(buf, p, this.refs[this.ref[j]], padField === F_REF, pad);
      buf[p++] = COMMA;
      let ipField: EncodedField | null = this.ipFields[this.ip[j]];
      if (ipDraw < this.tMalformedIp) {
        ipField = this.malformedIps[(aux >>> AUX_MALFORMED_IP_SHIFT) % this.malformedIps.length];
      } else if (ipDraw < this.tMissingIp) ipField = null;
      if (ipField !== null) p = putField(buf, p, ipField, padField === F_IP, pad);
      buf[p++] = COMMA;
      p = putField(buf, p, this.agents[this.ua[j]], padField === F_UA, pad);
      buf[p++] = COMMA;
    }

    // revenue: only on purchases
    const cents = this.cents[j];
    if (cents >= 0) {
      if (revDraw < this.tBadRevenue) {
        p = putField(
          buf,
          p,
          this.badRevenues[(aux >>> AUX_BAD_REVENUE_SHIFT) % this.badRevenues.length],
          padField === F_REVENUE,
          pad,
        );
      } else {
        if (padField === F_REVENUE) p = openPad(buf, p, pad);
        const whole = Math.floor(cents / 100);
        const part = cents - whole * 100;
        p = putUint(buf, p, whole);
        const form = (f >> REV_SHIFT) & REV_MASK;
        if (form === REV_TWO_DECIMALS) {
          buf[p++] = DOT;
          p = put2(buf, p, part);
        } else if (form === REV_ONE_DECIMAL) {
          buf[p++] = DOT;
          buf[p++] = ZERO + ((part / 10) | 0);
        }
        if (padField === F_REVENUE) p = closePad(buf, p, pad);
      }
    }
    buf[p++] = NEWLINE;
    this.pos = p;
    return kind;
  }
}
