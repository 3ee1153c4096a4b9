import { ActivityCurve } from "./ActivityCurve.ts";
import type { ChunkConfig } from "./ChunkConfig.ts";
import { DeliveryOrder } from "./DeliveryOrder.ts";
import {
  DAY,
  FMT_DIGITS,
  FMT_SPACE,
  MAX_FRACTION_DIGITS,
  MIN,
  OFFSET_SHIFT,
  REV_ONE_DECIMAL,
  REV_SHIFT,
  REV_TWO_DECIMALS,
  REV_WHOLE,
  SEC,
  ZONE_NONE,
  ZONE_OFFSET,
  ZONE_SHIFT,
  eventColumns,
} from "./eventColumns.ts";
import { CHUNK_EVENTS, SHAPE } from "./rates.ts";
import { SplitMix32 } from "./SplitMix32.ts";
import {
  ADD_TO_CART,
  CHECKOUT_COMPLETE_PAGE,
  CHECKOUT_PAGE,
  EXTERNAL_REFERRERS,
  OFFSETS_MINUTES,
  PAGE_VIEW,
  PAGES,
  PURCHASE,
  TRANSITIONS,
  USER_AGENTS,
} from "./vocabulary.ts";

/** Salt of the per-user hash (home IP and user agent); the seed is mixed with it. */
const USER_SALT = 0x05e45;
/**
 * User number = rank x stride mod users + 1: a bijection that scatters the busy ranks over the
 * id space. The stride is prime, so it is coprime to `users` unless `users` is a multiple of
 * it; then the other prime is used.
 */
const USER_STRIDE = 1_000_003;
const USER_STRIDE_ALT = 999_983;

/** Weighted draws use the top WEIGHT_BITS of a 32-bit draw as an index into a lookup table. */
const WEIGHT_BITS = 12;
const WEIGHT_TABLE_SIZE = 1 << WEIGHT_BITS;
const WEIGHT_SHIFT = 32 - WEIGHT_BITS;
/** The timestamp-form draw cuts 10-bit fields of one 32-bit draw against shares x 1024. */
const FORM_BITS = 10;
const FORM_SCALE = 1 << FORM_BITS;
const FORM_MASK = FORM_SCALE - 1;

/** The first rows of a chunk are never re-deliveries: there is nothing to copy yet. */
const FIRST_DUPLICATE_SLOT = 16;
/** Cap on the duplicate rate, so the geometric skip stays finite at absurd --dirty-rate. */
const MAX_DUPLICATE_RATE = 0.999999;

/** Sessions: non-bounce ones have at least 2 events; long ones 20 + up to 180 more. */
const MIN_SESSION_EVENTS = 2;
const LONG_SESSION_EVENTS = 20;
const LONG_SESSION_EXTRA = 180;
/** The spec's session gap (Sessionization): 30 minutes of inactivity start a new session. */
const SESSION_GAP = 30 * MIN;
/** Gaps just over or under 30 minutes miss it by 1 µs, 1 ms, 1 s or up to 5 s. */
const NEAR_GAP_MAX_SECONDS = 5;
/** Gaps of 25 to 30 minutes, and 2 to 25 minutes. */
const NEAR_25_GAP = 25 * MIN;
const NEAR_25_SPREAD_MINUTES = 5;
const MINUTES_GAP = 2 * MIN;
const MINUTES_SPREAD_MINUTES = 23;
/** Click gaps are log-uniform from 2 s to 120 s: 2 s x e^(u x ln 60). */
const CLICK_GAP = 2 * SEC;
const CLICK_GAP_LOG_RANGE = 4.0943445622221; // ln(60)

/** Purchases: whole dollars log-uniform from 5 to 600 (5 x e^(u x ln 120)) plus cents. */
const MIN_DOLLARS = 5;
const DOLLARS_LOG_RANGE = 4.787491742782046; // ln(120)
/** Cents of two-decimal prices, and of one-decimal ones (`x.5`). */
const CENT_ENDINGS = [99, 0, 50, 95, 49];
const ONE_DECIMAL_CENTS = 50;

/** A late row is written after rows 2 minutes to 3 hours newer than itself. */
const LATE_DELAY = 2 * MIN;
const LATE_SPREAD_MINUTES = 178;

/** 10^(6 - digits): the unit a timestamp with that many fraction digits is truncated to. */
const UNITS = [1_000_000, 100_000, 10_000, 1000, 100, 10, 1];

/** Truncates microseconds t to `digits` fraction digits. */
function quantize(t: number, digits: number): number {
  const unit = UNITS[digits];
  return unit === 1 ? t : Math.floor(t / unit) * unit;
}

/** Lookup table for O(1) weighted draws: table[rng.next() >>> WEIGHT_SHIFT]. */
function weightedTable(weights: readonly number[]): Uint8Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const table = new Uint8Array(WEIGHT_TABLE_SIZE);
  let acc = 0;
  let i = 0;
  for (let slot = 0; slot < WEIGHT_TABLE_SIZE; slot++) {
    while (
      i < weights.length - 1 &&
      (slot + 0.5) / WEIGHT_TABLE_SIZE >= (acc + weights[i]) / total
    ) {
      acc += weights[i];
      i++;
    }
    table[slot] = i;
  }
  return table;
}

/**
 * Simulates the users of one chunk: which slots re-deliver an earlier row, sessions drawn over
 * the chunk's time window (ActivityCurve) until the chunk has its events, each event's page,
 * referrer, IP, user agent, revenue and timestamp form, and the delivery order (late rows
 * move back). The result is `delivered` (events in file order) and `origin` (each one's
 * generation index, which seeds its per-row choices in RowRenderer).
 */
export class SessionSimulator {
  /** Events in delivery order, filled by simulate(). */
  readonly delivered = eventColumns(CHUNK_EVENTS);
  /** Generation index of the event delivered at each position. */
  readonly origin = new Uint32Array(CHUNK_EVENTS);
  /** 1 where the row at that slot of the chunk re-delivers an earlier row. */
  readonly dupSlot = new Uint8Array(CHUNK_EVENTS);

  private readonly cfg: ChunkConfig;
  private readonly rng: SplitMix32;
  private readonly curve: ActivityCurve;
  private readonly userSeed: number;
  private readonly userStride: number;
  /** Events in generation order; gathered into `delivered` in delivery order. */
  private readonly sk = eventColumns(CHUNK_EVENTS);
  private readonly keys = new Float64Array(CHUNK_EVENTS);
  private readonly deliveryOrder = new DeliveryOrder(CHUNK_EVENTS);

  private readonly pageTable = weightedTable(PAGES.map((p) => p.weight));
  private readonly refTable = weightedTable(EXTERNAL_REFERRERS.map((r) => r.weight));
  private readonly uaTable = weightedTable(USER_AGENTS.map((u) => u.weight));
  private readonly digitTable = weightedTable(SHAPE.fractionDigitShares);
  private readonly transition = TRANSITIONS.map((w) => weightedTable(w));
  private readonly productPages = PAGES.flatMap((p, i) => (p.kind === "product" ? [i] : []));
  // drawFormat cut-offs out of FORM_SCALE.
  private readonly spaceCut = Math.round(SHAPE.spaceSeparatorShare * FORM_SCALE);
  private readonly noZoneCut = Math.round(SHAPE.noZoneShare * FORM_SCALE);
  private readonly offsetCut = Math.round((SHAPE.noZoneShare + SHAPE.offsetZoneShare) * FORM_SCALE);
  private readonly pLate: number;
  private readonly pDuplicate: number;

  /** `rng` is the chunk's generator, shared with the caller (reseeded per chunk there). */
  constructor(cfg: ChunkConfig, rng: SplitMix32) {
    this.cfg = cfg;
    this.rng = rng;
    this.curve = new ActivityCurve(cfg.startMicros, cfg.days);
    this.userSeed = SplitMix32.hash2(cfg.seed, USER_SALT);
    this.userStride = cfg.users % USER_STRIDE === 0 ? USER_STRIDE_ALT : USER_STRIDE;
    this.pLate = cfg.rates.lateRow;
    this.pDuplicate = cfg.rates.duplicate;
  }

  /**
   * Simulates the `slots` rows starting at row `first` of the file: marks the re-delivery
   * slots in `dupSlot` and fills `delivered`/`origin` with the other rows' events. Returns
   * the number of those events.
   */
  simulate(first: number, slots: number): number {
    const dups = this.markDuplicates(slots);
    const n = slots - dups;
    const events = this.cfg.events;
    const windowStart = this.curve.at(first / events);
    const windowEnd = Math.max(this.curve.at((first + slots) / events), windowStart + 1);
    this.sessions(n, first / events, (first + slots) / events, windowEnd);
    this.gather(this.deliveryOrder.sort(this.keys, n, windowStart, windowEnd), n);
    return n;
  }

  /** Geometric skips between duplicate slots: one draw per duplicate, not per row. */
  private markDuplicates(slots: number): number {
    const rng = this.rng;
    this.dupSlot.fill(0, 0, slots);
    let dups = 0;
    if (this.pDuplicate > 0) {
      const logKeep = Math.log1p(-Math.min(this.pDuplicate, MAX_DUPLICATE_RATE));
      for (
        let s = FIRST_DUPLICATE_SLOT + Math.floor(Math.log(1 - rng.float()) / logKeep);
        s < slots;
      ) {
        this.dupSlot[s] = 1;
        dups++;
        s += 1 + Math.floor(Math.log(1 - rng.float()) / logKeep);
      }
    }
    return dups;
  }

  /** Draws sessions until n events exist; sessions stop at the chunk's window end. */
  private sessions(n: number, massStart: number, massEnd: number, windowEnd: number): void {
    const rng = this.rng;
    const cfg = this.cfg;
    const sk = this.sk;
    const span = massEnd - massStart;
    const nExternal = EXTERNAL_REFERRERS.length;
    let e = 0;
    while (e < n) {
      const start = this.curve.at(massStart + rng.float() * span);
      const rank = Math.floor(cfg.users * Math.pow(rng.float(), SHAPE.userActivityExponent));
      const userNo = ((rank * this.userStride) % cfg.users) + 1;
      const uh = SplitMix32.hash2(userNo, this.userSeed);
      const ipIndex =
        rng.float() < SHAPE.homeIpShare
          ? this.pickIp(uh, SplitMix32.mix(uh))
          : this.pickIp(rng.next(), rng.next());
      const uaIndex =
        rng.float() < SHAPE.homeUserAgentShare
          ? this.uaTable[uh >>> WEIGHT_SHIFT]
          : this.uaTable[rng.next() >>> WEIGHT_SHIFT];
      const length = this.sessionLength();

      let t = start;
      let type = PAGE_VIEW;
      let page = this.pageTable[rng.next() >>> WEIGHT_SHIFT];
      let ref = this.refTable[rng.next() >>> WEIGHT_SHIFT];
      let f = this.drawFormat();
      t = quantize(t, f & FMT_DIGITS);
      for (let i = 0; i < length && e < n; i++) {
        if (i > 0) {
          const prevDigits = f & FMT_DIGITS;
          f = this.drawFormat();
          const u = rng.float();
          let gap: number;
          let exact = false;
          if (u < SHAPE.gapNear30Share) {
            const v = rng.float();
            if (v < SHAPE.gapExact30Share) {
              // Exactly 30:00.000000 continues the session (spec: Sessionization); keep the
              // previous precision so the gap survives formatting unchanged.
              gap = SESSION_GAP;
              f = (f & ~FMT_DIGITS) | prevDigits;
              exact = true;
            } else {
              const deltas = [1, 1000, SEC, 1 + rng.below(NEAR_GAP_MAX_SECONDS * SEC)];
              const delta = deltas[rng.below(4)];
              gap =
                v < SHAPE.gapExact30Share + SHAPE.gapOver30Share
                  ? SESSION_GAP + delta
                  : SESSION_GAP - delta;
              f = (f & ~FMT_DIGITS) | MAX_FRACTION_DIGITS;
              exact = true;
            }
          } else if (u < SHAPE.gapNear30Share + SHAPE.gapNear25Share) {
            gap = NEAR_25_GAP + Math.floor(rng.float() * NEAR_25_SPREAD_MINUTES * MIN - 1);
          } else if (u < SHAPE.gapNear30Share + SHAPE.gapNear25Share + SHAPE.gapMinutesShare) {
            gap = MINUTES_GAP + Math.floor(rng.float() * MINUTES_SPREAD_MINUTES * MIN);
          } else {
            // Log-uniform 2-120 s: most clicks follow within seconds.
            gap = Math.floor(CLICK_GAP * Math.exp(rng.float() * CLICK_GAP_LOG_RANGE));
          }
          t = exact ? t + gap : quantize(t + gap, f & FMT_DIGITS);
          if (t >= windowEnd) break;

          const prevPage = page;
          type = this.transition[type][rng.next() >>> WEIGHT_SHIFT];
          if (type === PAGE_VIEW) {
            ref = nExternal + prevPage;
            page = this.pageTable[rng.next() >>> WEIGHT_SHIFT];
          } else if (type === ADD_TO_CART && PAGES[page].kind !== "product") {
            page = this.productPages[rng.below(this.productPages.length)];
          } else if (type === PURCHASE) {
            ref = nExternal + CHECKOUT_PAGE;
            page = CHECKOUT_COMPLETE_PAGE;
          }
        }
        const day = Math.floor(t / DAY);
        const sec = Math.floor((t - day * DAY) / SEC);
        sk.tDay[e] = day;
        sk.tSec[e] = sec;
        sk.tFrac[e] = t - day * DAY - sec * SEC;
        sk.user[e] = userNo;
        sk.type[e] = type;
        sk.page[e] = page;
        sk.ref[e] = ref;
        sk.ip[e] = ipIndex;
        sk.ua[e] = uaIndex;
        if (type === PURCHASE) {
          const form = rng.float();
          const dollars = Math.floor(MIN_DOLLARS * Math.exp(rng.float() * DOLLARS_LOG_RANGE));
          let revForm = REV_TWO_DECIMALS;
          let part: number;
          if (form < SHAPE.revenueWholeShare) {
            revForm = REV_WHOLE;
            part = 0;
          } else if (form < SHAPE.revenueWholeShare + SHAPE.revenueOneDecimalShare) {
            revForm = REV_ONE_DECIMAL;
            part = ONE_DECIMAL_CENTS;
          } else {
            part = CENT_ENDINGS[rng.below(CENT_ENDINGS.length)];
          }
          sk.cents[e] = dollars * 100 + part;
          f |= revForm << REV_SHIFT;
        } else {
          sk.cents[e] = -1;
        }
        sk.fmt[e] = f;
        this.keys[e] =
          rng.float() < this.pLate
            ? t + LATE_DELAY + Math.floor(rng.float() * LATE_SPREAD_MINUTES * MIN)
            : t;
        e++;
      }
    }
  }

  private sessionLength(): number {
    const rng = this.rng;
    if (rng.float() < SHAPE.bounceShare) return 1;
    if (rng.float() < SHAPE.longSessionShare)
      return LONG_SESSION_EVENTS + Math.floor(rng.float() * rng.float() * LONG_SESSION_EXTRA);
    return (
      MIN_SESSION_EVENTS + Math.floor(-Math.log(1 - rng.float()) * SHAPE.sessionMeanExtraEvents)
    );
  }

  /** Timestamp form from one 32-bit draw: digits (top bits), separator, zone, offset. */
  private drawFormat(): number {
    const r = this.rng.next();
    let f = this.digitTable[r >>> WEIGHT_SHIFT];
    if ((r & FORM_MASK) < this.spaceCut) f |= FMT_SPACE;
    const z = (r >>> FORM_BITS) & FORM_MASK;
    if (z < this.noZoneCut) f |= ZONE_NONE << ZONE_SHIFT;
    else if (z < this.offsetCut)
      f |= (ZONE_OFFSET << ZONE_SHIFT) | ((z % OFFSETS_MINUTES.length) << OFFSET_SHIFT);
    return f;
  }

  /** An index into the IP pool: private, IPv6 or public IPv4 by the shares of SHAPE. */
  private pickIp(a: number, b: number): number {
    const ips = this.cfg.ips;
    const u = (a & 0xffff) / 0x10000; // uniform in [0, 1) from the low 16 bits
    if (u < SHAPE.privateIpShare) return ips.publicV4 + ips.publicV6 + (b % ips.private);
    if (u < SHAPE.privateIpShare + SHAPE.ipv6Share && ips.publicV6 > 0)
      return ips.publicV4 + (b % ips.publicV6);
    return b % ips.publicV4;
  }

  /**
   * Copies the events into delivery order in one pass of independent loads; rendering then
   * reads every array sequentially instead of missing the cache once per field.
   */
  private gather(order: Uint32Array, n: number): void {
    const sk = this.sk;
    const d = this.delivered;
    for (let i = 0; i < n; i++) {
      const j = order[i];
      this.origin[i] = j;
      d.tDay[i] = sk.tDay[j];
      d.tSec[i] = sk.tSec[j];
      d.tFrac[i] = sk.tFrac[j];
      d.fmt[i] = sk.fmt[j];
      d.user[i] = sk.user[j];
      d.type[i] = sk.type[j];
      d.page[i] = sk.page[j];
      d.ref[i] = sk.ref[j];
      d.ip[i] = sk.ip[j];
      d.ua[i] = sk.ua[j];
      d.cents[i] = sk.cents[j];
    }
  }
}
