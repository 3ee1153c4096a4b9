import { extname } from "node:path";
import type { RejectReason } from "../lakehouse/tables.ts";
import { compareUtf8 } from "../spec/compareUtf8.ts";
import { sessionId } from "../spec/sessionId.ts";
import { cleanseRow, type CleansedRow } from "./cleanseRow.ts";
import { compareDuplicates } from "./compareDuplicates.ts";
import { readCsvStrict } from "./readCsvStrict.ts";
import { readParquetRaw } from "./readParquetRaw.ts";
import type { RawRow } from "./RawRow.ts";

/** What the reference needs from the IP database (src/geo/GeoDb.ts satisfies it). */
export interface CountryLookup {
  country(ip: string): string | null;
}

/**
 * Output rows in the value forms src/verify/canonical.ts accepts: timestamps as bigint
 * micros, decimals as bigint cents, ints as numbers.
 */
export interface ReferenceOutput {
  rowsIn: number;
  events: Record<string, unknown>[];
  sessions: Record<string, unknown>[];
  rejects: Record<string, unknown>[];
}

/** §S2: a gap strictly above 30 minutes starts a new session. */
const SESSION_GAP_MICROS = 30n * 60n * 1_000_000n;
/** decimal(14,2) holds at most 12 integer digits (§O2 revenue_total). */
const MAX_TOTAL_CENTS = 10n ** 14n - 1n;

/** Reads a CSV or Parquet (by extension `.parquet`) input and runs the whole spec on it. */
export async function runReferencePipeline(
  inputPath: string,
  geo: CountryLookup,
): Promise<ReferenceOutput> {
  const rows =
    extname(inputPath).toLowerCase() === ".parquet"
      ? await readParquetRaw(inputPath)
      : readCsvStrict(inputPath).rows;
  return referencePipeline(rows, geo);
}

/**
 * The whole spec (docs/pipeline-spec.md §C1-§O3) row by row, in plain TypeScript, as the
 * test oracle for the engines: written to be obviously right, not fast.
 */
export function referencePipeline(rawRows: readonly RawRow[], geo: CountryLookup): ReferenceOutput {
  const rejects: Record<string, unknown>[] = [];
  const reject = (raw: RawRow, reason: RejectReason) =>
    rejects.push({ ...raw, reject_reason: reason });

  // §C1-§C9, first reason wins (§R1).
  const byEventId = new Map<string, CleansedRow[]>();
  for (const raw of rawRows) {
    const result = cleanseRow(raw);
    if (!result.ok) {
      reject(raw, result.reason);
      continue;
    }
    const group = byEventId.get(result.row.event_id);
    if (group === undefined) byEventId.set(result.row.event_id, [result.row]);
    else group.push(result.row);
  }

  // §C10: keep the smallest of each event_id group.
  const kept: CleansedRow[] = [];
  for (const group of byEventId.values()) {
    const sorted = [...group].sort(compareDuplicates);
    kept.push(sorted[0]);
    for (const dup of sorted.slice(1)) reject(dup.raw, "duplicate_event_id");
  }

  // §S1: per user, by (event_time, event_id bytes).
  const byUser = new Map<string, CleansedRow[]>();
  for (const row of kept) {
    const list = byUser.get(row.user_id);
    if (list === undefined) byUser.set(row.user_id, [row]);
    else list.push(row);
  }

  const events: Record<string, unknown>[] = [];
  const sessions: Record<string, unknown>[] = [];
  for (const [userId, list] of byUser) {
    list.sort((a, b) =>
      a.event_time !== b.event_time
        ? a.event_time < b.event_time
          ? -1
          : 1
        : compareUtf8(a.event_id, b.event_id),
    );
    // §S2: cut where the gap to the previous event exceeds 30 minutes.
    let current: CleansedRow[] = [];
    const all: CleansedRow[][] = [];
    for (const row of list) {
      const prev = current.at(-1);
      if (prev !== undefined && row.event_time - prev.event_time > SESSION_GAP_MICROS) {
        all.push(current);
        current = [];
      }
      current.push(row);
    }
    all.push(current);

    for (const members of all) {
      const start = members[0].event_time;
      const end = members[members.length - 1].event_time;
      const sid = sessionId(userId, start); // §S3
      let countryOfSession: string | null = null;
      let revenueTotal = 0n;
      let pageViews = 0;
      let purchases = 0;
      members.forEach((row, i) => {
        // §E1: only valid (kept) addresses are looked up.
        const country = row.ip_address === null ? null : geo.country(row.ip_address);
        if (countryOfSession === null && country !== null) countryOfSession = country;
        if (row.revenue !== null) revenueTotal += row.revenue;
        if (row.event_type === "page_view") pageViews++;
        if (row.event_type === "purchase") purchases++;
        events.push({
          event_id: row.event_id,
          user_id: row.user_id,
          event_time: row.event_time,
          event_type: row.event_type,
          page_url: row.page_url,
          referrer: row.referrer,
          ip_address: row.ip_address,
          user_agent: row.user_agent,
          revenue: row.revenue,
          country_code: country,
          session_id: sid,
          event_seq: i + 1, // §S4
        });
      });
      if (revenueTotal > MAX_TOTAL_CENTS || revenueTotal < -MAX_TOTAL_CENTS) {
        throw new Error(
          `session ${sid} of user ${userId}: revenue_total ${revenueTotal} cents does not fit decimal(14,2) (spec §O2)`,
        );
      }
      // §O2
      sessions.push({
        session_id: sid,
        user_id: userId,
        session_start: start,
        session_end: end,
        duration_seconds: Number(end - start) / 1e6,
        event_count: members.length,
        page_view_count: pageViews,
        purchase_count: purchases,
        revenue_total: revenueTotal,
        country_code: countryOfSession,
        landing_page: members[0].page_url,
        exit_page: members[members.length - 1].page_url,
        is_bounce: members.length === 1,
      });
    }
  }

  if (events.length + rejects.length !== rawRows.length) {
    throw new Error(
      `reference pipeline lost rows: ${rawRows.length} in, ${events.length} events + ${rejects.length} rejects (spec §R1)`,
    );
  }
  return { rowsIn: rawRows.length, events, sessions, rejects };
}
