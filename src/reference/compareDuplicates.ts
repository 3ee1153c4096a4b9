import { DUPLICATE_ORDER, RAW_COLUMNS } from "../lakehouse/tables.ts";
import { compareUtf8 } from "../spec/compareUtf8.ts";
import type { CleansedRow } from "./cleanseRow.ts";

/** Null first, then by value (bigint micros or cents). */
function compareNumbers(a: bigint | null, b: bigint | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/**
 * Spec §C10 order among rows sharing an event_id: the smallest is kept. The cleansed
 * columns of DUPLICATE_ORDER (earliest event_time first; text by UTF-8 bytes, revenue
 * numerically, nulls first); then the nine raw values by UTF-8 bytes, nulls first.
 */
export function compareDuplicates(a: CleansedRow, b: CleansedRow): number {
  for (const col of DUPLICATE_ORDER) {
    const c =
      col === "event_time" || col === "revenue"
        ? compareNumbers(a[col], b[col])
        : compareUtf8(a[col], b[col]);
    if (c !== 0) return c;
  }
  for (const col of RAW_COLUMNS) {
    const c = compareUtf8(a.raw[col], b.raw[col]);
    if (c !== 0) return c;
  }
  return 0;
}
