import { RAW_COLUMNS } from "../lakehouse/tables.ts";
import { compareUtf8 } from "../spec/compareUtf8.ts";
import type { CleansedRow } from "./cleanseRow.ts";

const TEXT_TIE_BREAK = [
  "user_id",
  "event_type",
  "page_url",
  "referrer",
  "ip_address",
  "user_agent",
] as const;

/**
 * Spec §C10 order among rows sharing an event_id: the smallest is kept. Earliest
 * event_time; then the cleansed tuple (text by UTF-8 bytes, revenue numerically, nulls
 * first); then the nine raw values by UTF-8 bytes, nulls first.
 */
export function compareDuplicates(a: CleansedRow, b: CleansedRow): number {
  if (a.event_time !== b.event_time) return a.event_time < b.event_time ? -1 : 1;
  for (const col of TEXT_TIE_BREAK) {
    const c = compareUtf8(a[col], b[col]);
    if (c !== 0) return c;
  }
  if (a.revenue !== b.revenue) {
    if (a.revenue === null) return -1;
    if (b.revenue === null) return 1;
    return a.revenue < b.revenue ? -1 : 1;
  }
  for (const col of RAW_COLUMNS) {
    const c = compareUtf8(a.raw[col], b.raw[col]);
    if (c !== 0) return c;
  }
  return 0;
}
