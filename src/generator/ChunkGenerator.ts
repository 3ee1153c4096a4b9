import { civilFromDays } from "../spec/calendar.ts";
import { ActivityCurve } from "./ActivityCurve.ts";
import {
  COLON,
  COMMA,
  DASH,
  DOT,
  LOWER_U,
  NEWLINE,
  QUOTE,
  SPACE,
  UPPER_T,
  UPPER_Z,
  ZERO,
  putAscii,
  putBytes,
  putHex4,
  putHex8,
  putUint,
  put2,
  DIG3,
} from "./byteWriter.ts";
import { encodeCsvField, type EncodedField } from "./encodeCsvField.ts";
import {
  CHUNK_EVENTS,
  DUPLICATE_KINDS,
  DUPLICATE_WINDOW,
  SHAPE,
  type DirtyRates,
} from "./rates.ts";
import { SplitMix32 } from "./SplitMix32.ts";
import {
  ADD_TO_CART,
  BAD_OFFSETS,
  BAD_REVENUES,
  CHECKOUT_COMPLETE_PAGE,
  CHECKOUT_PAGE,
  EVENT_TYPES,
  EXTERNAL_REFERRERS,
  GARBAGE_TIMES,
  MALFORMED_IPS,
  OFFSETS_MINUTES,
  PADS,
  PAGE_VIEW,
  PAGES,
  PURCHASE,
  SITE,
  TRANSITIONS,
  USER_AGENTS,
  eventTypeCaseVariants,
} from "./vocabulary.ts";

/** Everything a chunk depends on; the same config gives the same bytes for every chunk. */
export interface ChunkConfig {
  events: number;
  seed: number;
  users: number;
  startMicros: number;
  days: number;
  rates: DirtyRates;
  /** Client addresses (IpPool.addresses) and the sizes of its three parts. */
  ips: { addresses: string[]; publicV4: number; publicV6: number; private: number };
}

/** Bytes written per output batch; a batch never splits a row. */
export const BATCH_BYTES = 4 << 20;
/** Reused batches kept per generator: about two chunks' worth (a chunk is ~38 MB). */
const MAX_SPARE = 20;
/** Upper bound of one row's length (longest vocabulary values, padded, plus a timestamp). */
const MAX_ROW_BYTES = 2048;

const SEC = 1_000_000;
const MIN = 60 * SEC;
const DAY = 86_400 * SEC;
const U32 = 4294967296;

/** A whitespace-only field: trimmed to null like an empty one (spec: Cleansing 1). */
const BLANK = Buffer.from('"  "');

// Row-level dirty kinds (mutually exclusive; spec Cleansing 2-5 reject reasons).
const CLEAN = 0;
const MISSING_ID = 1;
const MISSING_USER = 2;
const MISSING_TIME = 3;
const INVALID_DATE = 4;
const HOUR_24 = 5;
const SEVEN_DIGITS = 6;
const BAD_OFFSET = 7;
// 8 = garbage text: the fall-through of badTime().

// Fields that DIRTY_RATES.paddedField may pad (event_type has its own noise).
const PAD_FIELDS = 8;
const F_ID = 0;
const F_USER = 1;
const F_TIME = 2;
const F_PAGE = 3;
const F_REF = 4;
const F_IP = 5;
const F_UA = 6;
const F_REVENUE = 7;

// Layout of the per-event format word.
const FMT_DIGITS = 0x7; // fraction digits 0-6
const FMT_SPACE = 0x8; // space instead of T
const ZONE_SHIFT = 4; // 0 = Z, 1 = no zone, 2 = offset
const OFFSET_SHIFT = 6; // 4 bits: index into OFFSETS_MINUTES
const REV_SHIFT = 10; // 0 = two decimals, 1 = whole, 2 = one decimal

/** Lookup table of 4096 entries for O(1) weighted draws: table[rng.next() >>> 20]. */
function weightedTable(weights: readonly number[]): Uint8Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const table = new Uint8Array(4096);
  let acc = 0;
  let i = 0;
  for (let slot = 0; slot < 4096; slot++) {
    while (i < weights.length - 1 && (slot + 0.5) / 4096 >= (acc + weights[i]) / total) {
      acc += weights[i];
      i++;
    }
    table[slot] = i;
  }
  return table;
}

function threshold(p: number): number {
  return Math.min(Math.max(p, 0), 1) * U32;
}

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

/** 10^(6 - digits): the unit a timestamp with that many fraction digits is truncated to. */
const UNITS = [1_000_000, 100_000, 10_000, 1000, 100, 10, 1];

/**
 * Generates chunk k of the clickstream: events [k*CHUNK_EVENTS, ...) of the file, as CSV
 * rows without header. A chunk depends only on the config and k, so chunks can be made in
 * any order or on any worker and concatenated. Within a chunk, sessions are drawn over the
 * chunk's time window (ActivityCurve), sorted by delivery time, and rendered straight into
 * byte buffers from pre-encoded vocabularies.
 */
export class ChunkGenerator {
  readonly chunks: number;
  private readonly cfg: ChunkConfig;
  private readonly curve: ActivityCurve;
  private readonly rng = new SplitMix32(0);
  private readonly erng = new SplitMix32(0);
  private readonly eventSeed: number;
  private readonly idSeed: number;
  private readonly userSeed: number;
  private readonly userMultiplier: number;

  // Skeleton of the current chunk (struct of arrays, reused).
  /** Events in generation order; gathered into the fields below in delivery order. */
  private readonly sk = {
    tDay: new Int32Array(CHUNK_EVENTS),
    tSec: new Int32Array(CHUNK_EVENTS),
    tFrac: new Int32Array(CHUNK_EVENTS),
    fmt: new Uint16Array(CHUNK_EVENTS),
    user: new Uint32Array(CHUNK_EVENTS),
    type: new Uint8Array(CHUNK_EVENTS),
    page: new Uint8Array(CHUNK_EVENTS),
    ref: new Uint8Array(CHUNK_EVENTS),
    ip: new Uint16Array(CHUNK_EVENTS),
    ua: new Uint8Array(CHUNK_EVENTS),
    cents: new Int32Array(CHUNK_EVENTS),
  };
  /** Generation index of the event delivered at each position (seeds its per-row choices). */
  private readonly origin = new Uint32Array(CHUNK_EVENTS);
  // Delivery order. The instant as small integers, so rendering never boxes a double.
  private readonly tDay = new Int32Array(CHUNK_EVENTS);
  private readonly tSec = new Int32Array(CHUNK_EVENTS);
  private readonly tFrac = new Int32Array(CHUNK_EVENTS);
  private readonly keys = new Float64Array(CHUNK_EVENTS);
  private readonly user = new Uint32Array(CHUNK_EVENTS);
  private readonly type = new Uint8Array(CHUNK_EVENTS);
  private readonly page = new Uint8Array(CHUNK_EVENTS);
  private readonly ref = new Uint8Array(CHUNK_EVENTS);
  private readonly ip = new Uint16Array(CHUNK_EVENTS);
  private readonly ua = new Uint8Array(CHUNK_EVENTS);
  private readonly fmt = new Uint16Array(CHUNK_EVENTS);
  private readonly cents = new Int32Array(CHUNK_EVENTS);
  private readonly dupSlot = new Uint8Array(CHUNK_EVENTS);
  private readonly recent = new Uint32Array(DUPLICATE_WINDOW);
  private readonly order = new Uint32Array(CHUNK_EVENTS);
  private readonly bucketOf = new Uint32Array(CHUNK_EVENTS);
  private readonly bucketStarts = new Uint32Array(CHUNK_EVENTS + 1);
  private readonly bucketFill = new Uint32Array(CHUNK_EVENTS);

  // Pre-encoded vocabularies.
  private readonly pages: EncodedField[];
  private readonly refs: EncodedField[];
  private readonly agents: EncodedField[];
  private readonly ipFields: EncodedField[];
  private readonly malformedIps: EncodedField[];
  private readonly badRevenues: EncodedField[];
  private readonly types: Uint8Array[];
  private readonly typeVariants: EncodedField[][];
  private readonly zones: Uint8Array[];
  private readonly offsetSeconds: number[];
  private readonly pads: [Uint8Array, Uint8Array][];
  private readonly pageTable: Uint8Array;
  /** "page,referrer," for every page x referrer pair. */
  private readonly pageRefs: Uint8Array[];
  /** "ip," and "user_agent," (separate: the 14 agents stay in cache, the pairs would not). */
  private readonly ipCommas: Uint8Array[];
  private readonly agentCommas: Uint8Array[];
  private readonly refTable: Uint8Array;
  private readonly uaTable: Uint8Array;
  private readonly digitTable: Uint8Array;
  private readonly productPages: number[];
  private readonly transition: Uint8Array[];
  private readonly dateCache: Uint8Array[] = [];
  private readonly dateBase: number;

  // Thresholds in units of 2^32.
  private readonly tDirty: number[];
  private readonly tCase: number;
  private readonly tMissingType: number;
  private readonly tPadded: number;
  private readonly tMalformedIp: number;
  private readonly tMissingIp: number;
  private readonly tBadRevenue: number;
  private readonly pDuplicate: number;
  // drawFormat cut-offs out of 1024.
  private readonly spaceCut = Math.round(SHAPE.spaceSeparatorShare * 1024);
  private readonly noZoneCut = Math.round(SHAPE.noZoneShare * 1024);
  private readonly offsetCut = Math.round((SHAPE.noZoneShare + SHAPE.offsetZoneShare) * 1024);
  private readonly pLate: number;

  // Output.
  private buf: Buffer = Buffer.allocUnsafe(BATCH_BYTES);
  private pos = 0;
  private out: Buffer[] = [];
  private readonly spare: Buffer[] = [];

  constructor(cfg: ChunkConfig) {
    if (cfg.events > 4_000_000_000) {
      throw new Error(`--events ${cfg.events} is above 4e9: event ids are unique on 32 bits.`);
    }
    this.cfg = cfg;
    this.chunks = Math.ceil(cfg.events / CHUNK_EVENTS);
    this.curve = new ActivityCurve(cfg.startMicros, cfg.days);
    this.eventSeed = SplitMix32.hash2(cfg.seed, 0xe7e47);
    this.idSeed = SplitMix32.hash2(cfg.seed, 0x1d5eed);
    this.userSeed = SplitMix32.hash2(cfg.seed, 0x05e45);
    this.userMultiplier = cfg.users % 1_000_003 === 0 ? 999_983 : 1_000_003;

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
    this.zones = OFFSETS_MINUTES.map((m) => {
      const a = Math.abs(m);
      return Buffer.from(`${m < 0 ? "-" : "+"}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`);
    });
    this.offsetSeconds = OFFSETS_MINUTES.map((m) => m * 60);
    this.pads = PADS.map(([a, b]) => [Buffer.from(a), Buffer.from(b)]);
    this.pageTable = weightedTable(PAGES.map((p) => p.weight));
    const comma = Buffer.from(",");
    this.pageRefs = this.pages.flatMap((pg) =>
      this.refs.map((rf) => Buffer.concat([pg.bytes, comma, rf.bytes, comma])),
    );
    this.ipCommas = this.ipFields.map((f) => Buffer.concat([f.bytes, comma]));
    this.agentCommas = this.agents.map((f) => Buffer.concat([f.bytes, comma]));
    this.refTable = weightedTable(EXTERNAL_REFERRERS.map((r) => r.weight));
    this.uaTable = weightedTable(USER_AGENTS.map((u) => u.weight));
    this.digitTable = weightedTable(SHAPE.fractionDigitShares);
    this.productPages = PAGES.flatMap((p, i) => (p.kind === "product" ? [i] : []));
    this.transition = TRANSITIONS.map((w) => weightedTable(w));
    this.dateBase = Math.floor(cfg.startMicros / DAY) - 2;
    for (let d = 0; d < cfg.days + 5; d++)
      this.dateCache.push(Buffer.from(dateText(this.dateBase + d)));

    const r = cfg.rates;
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
    this.pDuplicate = r.duplicate;
    this.pLate = r.lateRow;
  }

  /** CSV rows of chunk k, as a list of filled buffers in file order. */
  generate(k: number): Buffer[] {
    const first = k * CHUNK_EVENTS;
    const slots = Math.min(CHUNK_EVENTS, this.cfg.events - first);
    if (slots <= 0) return [];
    const rng = this.rng;
    rng.reseed(SplitMix32.hash2(this.cfg.seed, (k * 2 + 1) | 0));

    // Which rows re-deliver an earlier row; the first rows have nothing to copy yet.
    // Geometric skips between duplicate slots: one draw per duplicate, not per row.
    this.dupSlot.fill(0, 0, slots);
    let dups = 0;
    if (this.pDuplicate > 0) {
      const logKeep = Math.log1p(-Math.min(this.pDuplicate, 0.999999));
      for (let s = 16 + Math.floor(Math.log(1 - rng.float()) / logKeep); s < slots;) {
        this.dupSlot[s] = 1;
        dups++;
        s += 1 + Math.floor(Math.log(1 - rng.float()) / logKeep);
      }
    }
    const n = slots - dups;
    const windowStart = this.curve.at(first / this.cfg.events);
    const windowEnd = Math.max(this.curve.at((first + slots) / this.cfg.events), windowStart + 1);
    this.skeleton(n, first / this.cfg.events, (first + slots) / this.cfg.events, windowEnd);
    const order = this.sortByDelivery(n, windowStart, windowEnd);
    this.gather(order, n);

    this.out = [];
    this.pos = 0;
    let next = 0;
    let recentCount = 0;
    for (let s = 0; s < slots; s++) {
      if (this.pos > BATCH_BYTES - MAX_ROW_BYTES) this.flush();
      if (this.dupSlot[s] === 1) {
        // With no clean row yet (only at absurd --dirty-rate), re-send the last row, made clean.
        const window = Math.min(recentCount, DUPLICATE_WINDOW);
        const src =
          window > 0
            ? this.recent[(recentCount - 1 - rng.below(window)) % DUPLICATE_WINDOW]
            : next - 1;
        this.renderDuplicate(first, src);
        continue;
      }
      const j = next++;
      if (this.renderRow(first + this.origin[j], j, 0, -1) === CLEAN) {
        this.recent[recentCount % DUPLICATE_WINDOW] = j;
        recentCount++;
      }
    }
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

  /** Draws sessions until n events exist; sessions stop at the chunk's window end. */
  private skeleton(n: number, massStart: number, massEnd: number, windowEnd: number): void {
    const rng = this.rng;
    const cfg = this.cfg;
    const span = massEnd - massStart;
    const nExternal = EXTERNAL_REFERRERS.length;
    let e = 0;
    while (e < n) {
      const start = this.curve.at(massStart + rng.float() * span);
      const rank = Math.floor(cfg.users * Math.pow(rng.float(), SHAPE.userActivityExponent));
      const userNo = ((rank * this.userMultiplier) % cfg.users) + 1;
      const uh = SplitMix32.hash2(userNo, this.userSeed);
      const ipIndex =
        rng.float() < SHAPE.homeIpShare
          ? this.pickIp(uh, SplitMix32.mix(uh))
          : this.pickIp(rng.next(), rng.next());
      const uaIndex =
        rng.float() < SHAPE.homeUserAgentShare
          ? this.uaTable[uh >>> 20]
          : this.uaTable[rng.next() >>> 20];
      const length = this.sessionLength();

      let t = start;
      let type = PAGE_VIEW;
      let page = this.pageTable[rng.next() >>> 20];
      let ref = this.refTable[rng.next() >>> 20];
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
              gap = 30 * MIN;
              f = (f & ~FMT_DIGITS) | prevDigits;
              exact = true;
            } else {
              const deltas = [1, 1000, SEC, 1 + rng.below(5 * SEC)];
              const delta = deltas[rng.below(4)];
              gap =
                v < SHAPE.gapExact30Share + SHAPE.gapOver30Share
                  ? 30 * MIN + delta
                  : 30 * MIN - delta;
              f = (f & ~FMT_DIGITS) | 6;
              exact = true;
            }
          } else if (u < SHAPE.gapNear30Share + SHAPE.gapNear25Share) {
            gap = 25 * MIN + Math.floor(rng.float() * 5 * MIN - 1);
          } else if (u < SHAPE.gapNear30Share + SHAPE.gapNear25Share + SHAPE.gapMinutesShare) {
            gap = 2 * MIN + Math.floor(rng.float() * 23 * MIN);
          } else {
            // Log-uniform 2-120 s: most clicks follow within seconds.
            gap = Math.floor(2 * SEC * Math.exp(rng.float() * 4.0943445622221));
          }
          t = exact ? t + gap : quantize(t + gap, f & FMT_DIGITS);
          if (t >= windowEnd) break;

          const prevPage = page;
          type = this.transition[type][rng.next() >>> 20];
          if (type === PAGE_VIEW) {
            ref = nExternal + prevPage;
            page = this.pageTable[rng.next() >>> 20];
          } else if (type === ADD_TO_CART && PAGES[page].kind !== "product") {
            page = this.productPages[rng.below(this.productPages.length)];
          } else if (type === PURCHASE) {
            ref = nExternal + CHECKOUT_PAGE;
            page = CHECKOUT_COMPLETE_PAGE;
          }
        }
        const day = Math.floor(t / DAY);
        const sec = Math.floor((t - day * DAY) / SEC);
        this.sk.tDay[e] = day;
        this.sk.tSec[e] = sec;
        this.sk.tFrac[e] = t - day * DAY - sec * SEC;
        this.sk.user[e] = userNo;
        this.sk.type[e] = type;
        this.sk.page[e] = page;
        this.sk.ref[e] = ref;
        this.sk.ip[e] = ipIndex;
        this.sk.ua[e] = uaIndex;
        if (type === PURCHASE) {
          const form = rng.float();
          const dollars = Math.floor(5 * Math.exp(rng.float() * 4.787491742782046));
          let revForm = 0;
          let part: number;
          if (form < SHAPE.revenueWholeShare) {
            revForm = 1;
            part = 0;
          } else if (form < SHAPE.revenueWholeShare + SHAPE.revenueOneDecimalShare) {
            revForm = 2;
            part = 50;
          } else {
            part = [99, 0, 50, 95, 49][rng.below(5)];
          }
          this.sk.cents[e] = dollars * 100 + part;
          f |= revForm << REV_SHIFT;
        } else {
          this.sk.cents[e] = -1;
        }
        this.sk.fmt[e] = f;
        // Late delivery: the row is written after rows 2 min to 3 h newer than itself.
        this.keys[e] =
          rng.float() < this.pLate ? t + 2 * MIN + Math.floor(rng.float() * 178 * MIN) : t;
        e++;
      }
    }
  }

  private sessionLength(): number {
    const rng = this.rng;
    if (rng.float() < SHAPE.bounceShare) return 1;
    if (rng.float() < SHAPE.longSessionShare)
      return 20 + Math.floor(rng.float() * rng.float() * 180);
    return 2 + Math.floor(-Math.log(1 - rng.float()) * SHAPE.sessionMeanExtraEvents);
  }

  /** Timestamp form from one 32-bit draw: digits (top 12 bits), separator, zone, offset. */
  private drawFormat(): number {
    const r = this.rng.next();
    let f = this.digitTable[r >>> 20];
    if ((r & 0x3ff) < this.spaceCut) f |= FMT_SPACE;
    const z = (r >>> 10) & 0x3ff;
    if (z < this.noZoneCut) f |= 1 << ZONE_SHIFT;
    else if (z < this.offsetCut)
      f |= (2 << ZONE_SHIFT) | ((z % OFFSETS_MINUTES.length) << OFFSET_SHIFT);
    return f;
  }

  private pickIp(a: number, b: number): number {
    const ips = this.cfg.ips;
    const u = (a & 0xffff) / 65536;
    if (u < SHAPE.privateIpShare) return ips.publicV4 + ips.publicV6 + (b % ips.private);
    if (u < SHAPE.privateIpShare + SHAPE.ipv6Share && ips.publicV6 > 0)
      return ips.publicV4 + (b % ips.publicV6);
    return b % ips.publicV4;
  }

  /**
   * Indices 0..n-1 ordered by delivery key, ties by index: a bucket sort over the chunk's
   * window (keys are spread evenly by construction), insertion sort inside each bucket.
   */
  private sortByDelivery(n: number, windowStart: number, windowEnd: number): Uint32Array {
    const keys = this.keys;
    const bucketOf = this.bucketOf;
    const starts = this.bucketStarts;
    const order = this.order;
    const buckets = Math.max(1, n);
    const scale = buckets / Math.max(1, windowEnd - windowStart);
    starts.fill(0, 0, buckets + 1);
    for (let i = 0; i < n; i++) {
      let b = Math.floor((keys[i] - windowStart) * scale);
      if (b < 0) b = 0;
      else if (b >= buckets) b = buckets - 1;
      bucketOf[i] = b;
      starts[b + 1]++;
    }
    for (let b = 0; b < buckets; b++) starts[b + 1] += starts[b];
    const fill = this.bucketFill;
    fill.set(starts.subarray(0, buckets));
    for (let i = 0; i < n; i++) order[fill[bucketOf[i]]++] = i;
    for (let b = 0; b < buckets; b++) {
      const lo = starts[b];
      const hi = starts[b + 1];
      if (hi - lo < 2) continue;
      if (hi - lo > 48) {
        // Late rows past the window end pile up in the last bucket.
        order.subarray(lo, hi).sort((x, y) => keys[x] - keys[y] || x - y);
        continue;
      }
      for (let i = lo + 1; i < hi; i++) {
        const v = order[i];
        const kv = keys[v];
        let j = i - 1;
        while (j >= lo && keys[order[j]] > kv) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = v;
      }
    }
    return order.subarray(0, n);
  }

  /**
   * Copies the skeleton into delivery order in one pass of independent loads; rendering
   * then reads every array sequentially instead of missing the cache once per field.
   */
  private gather(order: Uint32Array, n: number): void {
    const sk = this.sk;
    for (let i = 0; i < n; i++) {
      const j = order[i];
      this.origin[i] = j;
      this.tDay[i] = sk.tDay[j];
      this.tSec[i] = sk.tSec[j];
      this.tFrac[i] = sk.tFrac[j];
      this.fmt[i] = sk.fmt[j];
      this.user[i] = sk.user[j];
      this.type[i] = sk.type[j];
      this.page[i] = sk.page[j];
      this.ref[i] = sk.ref[j];
      this.ip[i] = sk.ip[j];
      this.ua[i] = sk.ua[j];
      this.cents[i] = sk.cents[j];
    }
  }

  /** Re-delivery of event j: identical, later, earlier, or the same instant written differently. */
  private renderDuplicate(first: number, j: number): void {
    const rng = this.rng;
    const u = rng.float();
    if (u < DUPLICATE_KINDS.exact) {
      this.renderRow(first + this.origin[j], j, 0, -1, true);
    } else if (u < DUPLICATE_KINDS.exact + DUPLICATE_KINDS.later) {
      this.renderRow(first + this.origin[j], j, 1 + rng.below(300), -1, true);
    } else if (u < DUPLICATE_KINDS.exact + DUPLICATE_KINDS.later + DUPLICATE_KINDS.earlier) {
      this.renderRow(first + this.origin[j], j, -(1 + rng.below(60)), -1, true);
    } else {
      const f = this.fmt[j];
      const zone = (f >> ZONE_SHIFT) & 3;
      const keep = f & (FMT_DIGITS | FMT_SPACE | (3 << REV_SHIFT));
      let other: number;
      if (zone === 0) {
        other =
          rng.float() < 0.5
            ? keep | (1 << ZONE_SHIFT)
            : keep | (2 << ZONE_SHIFT) | (rng.below(OFFSETS_MINUTES.length) << OFFSET_SHIFT);
      } else {
        other = keep; // zone Z
      }
      this.renderRow(first + this.origin[j], j, 0, other, true);
    }
  }

  /**
   * Writes one row for event j (global index g) and returns its dirty kind. All per-row
   * choices come from a generator seeded by g, so a re-delivery renders the same choices.
   */
  private renderRow(
    g: number,
    j: number,
    shiftSeconds: number,
    fmtOverride: number,
    dup = false,
  ): number {
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
    if (!dup && dirtyDraw < td[7]) {
      kind = 1;
      while (kind < 8 && dirtyDraw >= td[kind - 1]) kind++;
    }
    let padField = padDraw < this.tPadded ? aux % PAD_FIELDS : -1;
    // Only non-blank values are padded (a blank one would just stay blank): a draw that
    // lands on a missing value pads the user agent instead, so the documented rate holds.
    if (
      (kind >= MISSING_ID && kind <= MISSING_TIME && padField === kind - 1) ||
      (padField === F_REVENUE && this.cents[j] < 0) ||
      (padField === F_REF && this.refs[this.ref[j]].text === "") ||
      (padField === F_IP && ipDraw >= this.tMalformedIp && ipDraw < this.tMissingIp)
    ) {
      padField = F_UA;
    }
    const pad = this.pads[(aux >>> 8) % this.pads.length];
    const blankish = ((aux >>> 16) & 7) < 2; // whitespace-only instead of empty for missing values

    const buf = this.buf;
    let p = this.pos;

    // event_id: UUID-shaped; the first 32 bits are a bijection of g, so ids are unique.
    if (padField === F_ID) p = this.openPad(buf, p, pad);
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
      p = putHex4(buf, p, 0x4000 | (h2 & 0xfff)); // version 4
      buf[p++] = DASH;
      p = putHex4(buf, p, ((8 | (h3 >>> 30)) << 12) | ((h3 >>> 16) & 0xfff)); // variant 10xx
      buf[p++] = DASH;
      p = putHex4(buf, p, h3 & 0xffff);
      p = putHex8(buf, p, h4);
    }
    if (padField === F_ID) p = this.closePad(buf, p, pad);
    buf[p++] = COMMA;

    // user_id
    if (padField === F_USER) p = this.openPad(buf, p, pad);
    if (kind === MISSING_USER) {
      if (blankish) p = putBytes(buf, p, BLANK);
    } else {
      buf[p++] = LOWER_U;
      p = putUint(buf, p, this.user[j]);
    }
    if (padField === F_USER) p = this.closePad(buf, p, pad);
    buf[p++] = COMMA;

    // event_time
    if (padField === F_TIME) p = this.openPad(buf, p, pad);
    let day = this.tDay[j];
    let sec = this.tSec[j] + shiftSeconds;
    if (sec < 0) {
      sec += 86_400;
      day--;
    } else if (sec >= 86_400) {
      sec -= 86_400;
      day++;
    }
    const frac = this.tFrac[j];
    const f = fmtOverride >= 0 ? fmtOverride : this.fmt[j];
    if (kind === CLEAN) {
      p = this.putTime(buf, p, day, sec, frac, f, -1);
    } else if (kind === MISSING_TIME) {
      if (blankish) p = putBytes(buf, p, BLANK);
    } else if (kind === SEVEN_DIGITS) {
      p = this.putTime(buf, p, day, sec, frac, (f & ~FMT_DIGITS) | 6, aux % 10);
    } else if (kind >= INVALID_DATE) {
      p = putAscii(buf, p, this.badTime(kind, day, sec, aux));
    } else {
      p = this.putTime(buf, p, day, sec, frac, f, -1);
    }
    if (padField === F_TIME) p = this.closePad(buf, p, pad);
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
      p = this.putField(buf, p, this.pages[this.page[j]], padField === F_PAGE, pad);
      buf[p++] = COMMA;
      p = this.putField(buf, p, this.refs[this.ref[j]], padField === F_REF, pad);
      buf[p++] = COMMA;
      let ipField: EncodedField | null = this.ipFields[this.ip[j]];
      if (ipDraw < this.tMalformedIp) {
        ipField = this.malformedIps[(aux >>> 4) % this.malformedIps.length];
      } else if (ipDraw < this.tMissingIp) ipField = null;
      if (ipField !== null) p = this.putField(buf, p, ipField, padField === F_IP, pad);
      buf[p++] = COMMA;
      p = this.putField(buf, p, this.agents[this.ua[j]], padField === F_UA, pad);
      buf[p++] = COMMA;
    }

    // revenue: only on purchases
    const cents = this.cents[j];
    if (cents >= 0) {
      if (revDraw < this.tBadRevenue) {
        p = this.putField(
          buf,
          p,
          this.badRevenues[(aux >>> 12) % this.badRevenues.length],
          padField === F_REVENUE,
          pad,
        );
      } else {
        if (padField === F_REVENUE) p = this.openPad(buf, p, pad);
        const whole = Math.floor(cents / 100);
        const part = cents - whole * 100;
        p = putUint(buf, p, whole);
        const form = (f >> REV_SHIFT) & 3;
        if (form === 0) {
          buf[p++] = DOT;
          p = put2(buf, p, part);
        } else if (form === 2) {
          buf[p++] = DOT;
          buf[p++] = ZERO + ((part / 10) | 0);
        }
        if (padField === F_REVENUE) p = this.closePad(buf, p, pad);
      }
    }
    buf[p++] = NEWLINE;
    this.pos = p;
    return kind;
  }

  private putField(
    buf: Buffer,
    p: number,
    field: EncodedField,
    padded: boolean,
    pad: [Uint8Array, Uint8Array],
  ): number {
    if (!padded) return putBytes(buf, p, field.bytes);
    p = this.openPad(buf, p, pad);
    p = putBytes(buf, p, field.inner);
    return this.closePad(buf, p, pad);
  }

  private openPad(buf: Buffer, p: number, pad: [Uint8Array, Uint8Array]): number {
    buf[p++] = QUOTE;
    return putBytes(buf, p, pad[0]);
  }

  private closePad(buf: Buffer, p: number, pad: [Uint8Array, Uint8Array]): number {
    p = putBytes(buf, p, pad[1]);
    buf[p++] = QUOTE;
    return p;
  }

  /** Timestamp text in format f; extraDigit >= 0 appends a 7th fraction digit (dirty). */
  private putTime(
    buf: Buffer,
    p: number,
    utcDay: number,
    utcSec: number,
    frac: number,
    f: number,
    extraDigit: number,
  ): number {
    const zone = (f >> ZONE_SHIFT) & 3;
    const offsetIndex = (f >> OFFSET_SHIFT) & 15;
    let day = utcDay;
    let secs = utcSec;
    if (zone === 2) {
      secs += this.offsetSeconds[offsetIndex];
      if (secs < 0) {
        secs += 86_400;
        day--;
      } else if (secs >= 86_400) {
        secs -= 86_400;
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
    if (zone === 0) buf[p++] = UPPER_Z;
    else if (zone === 2) p = putBytes(buf, p, this.zones[offsetIndex]);
    return p;
  }

  /** Text of the invalid event_time kinds (DIRTY_RATES; all fail spec Cleansing 5). */
  private badTime(kind: number, day: number, secs: number, aux: number): string {
    const [y, , d] = civil(day);
    const hh = pad2(Math.floor(secs / 3600));
    const mi = pad2(Math.floor((secs % 3600) / 60));
    const ss = pad2(secs % 60);
    const date = dateText(day);
    const pick = (aux >>> 20) % 6;
    if (kind === INVALID_DATE) {
      const common = y % 4 === 0 ? y - 1 : y;
      switch (pick) {
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
      return pick < 3
        ? `${date}T24:00:00Z`
        : pick < 5
          ? `${date} 24:00:00`
          : `${date}T24:00:00.000000Z`;
    }
    if (kind === BAD_OFFSET)
      return `${date}T${hh}:${mi}:${ss}${BAD_OFFSETS[pick % BAD_OFFSETS.length]}`;
    return GARBAGE_TIMES[(aux >>> 8) % GARBAGE_TIMES.length];
  }
}

/** Truncates microseconds t to `digits` fraction digits. */
function quantize(t: number, digits: number): number {
  const unit = UNITS[digits];
  return unit === 1 ? t : Math.floor(t / unit) * unit;
}
