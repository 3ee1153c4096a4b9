import type { RawColumn } from "../lakehouse/tables.ts";

/** One input row, the nine raw columns as read (spec §I1): not trimmed, empty = null. */
export type RawRow = Record<RawColumn, string | null>;
