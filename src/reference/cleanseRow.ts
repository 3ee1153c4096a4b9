import type { RejectReason } from "../lakehouse/tables.ts";
import { isValidIpAddress } from "../spec/isValidIpAddress.ts";
import { normalizeEventType } from "../spec/normalizeEventType.ts";
import { parseEventTime } from "../spec/parseEventTime.ts";
import { parseRevenue } from "../spec/parseRevenue.ts";
import { trimField } from "../spec/trimField.ts";
import type { RawRow } from "./RawRow.ts";

/** A row that passed §C2-§C5, with every column cleansed (§C1, §C6-§C9). */
export interface CleansedRow {
  event_id: string;
  user_id: string;
  /** UTC microseconds (§C5). */
  event_time: bigint;
  event_type: string;
  page_url: string | null;
  referrer: string | null;
  ip_address: string | null;
  user_agent: string | null;
  /** Cents (§C8). */
  revenue: bigint | null;
  raw: RawRow;
}

export type CleanseResult = { ok: true; row: CleansedRow } | { ok: false; reason: RejectReason };

/** Spec §C1-§C9 on one raw row; the first failing check of §C2-§C5 gives the reason. */
export function cleanseRow(raw: RawRow): CleanseResult {
  const eventId = trimField(raw.event_id);
  if (eventId === null) return { ok: false, reason: "missing_event_id" };
  const userId = trimField(raw.user_id);
  if (userId === null) return { ok: false, reason: "missing_user_id" };
  const timeText = trimField(raw.event_time);
  if (timeText === null) return { ok: false, reason: "missing_event_time" };
  const eventTime = parseEventTime(timeText);
  if (eventTime === null) return { ok: false, reason: "invalid_event_time" };
  const ip = trimField(raw.ip_address);
  return {
    ok: true,
    row: {
      event_id: eventId,
      user_id: userId,
      event_time: eventTime,
      event_type: normalizeEventType(trimField(raw.event_type)),
      page_url: trimField(raw.page_url),
      referrer: trimField(raw.referrer),
      ip_address: isValidIpAddress(ip) ? ip : null,
      user_agent: trimField(raw.user_agent),
      revenue: parseRevenue(trimField(raw.revenue)),
      raw,
    },
  };
}
