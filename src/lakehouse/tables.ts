/**
 * The three output tables of docs/pipeline-spec.md ("Output"), as Iceberg schemas.
 * One declaration shared by every TypeScript engine (Parquet field ids), the Iceberg writer
 * and reader, and mirrored by spark/etl_spark (same names, types, required flags, specs).
 */

import type { ColumnDef as AnyColumnDef, TableDef as AnyTableDef } from "../schema/tableDef.ts";

export type { PartitionFieldDef } from "../schema/tableDef.ts";

/**
 * The Iceberg types the app's tables use: a subset of src/schema's IcebergType (which
 * ColumnDef's type parameter checks), narrow so that switches over a column type are exhaustive.
 */
export type IcebergType =
  | "string"
  | "int"
  | "long"
  | "double"
  | "boolean"
  | "timestamptz"
  | "decimal(12,2)"
  | "decimal(14,2)";
export type ColumnDef = AnyColumnDef<IcebergType>;
/** One of the app's three tables. */
export type TableDef = AnyTableDef<TableName, IcebergType>;

export type TableName = "events" | "sessions" | "rejects";

/** Raw input columns, in the order of the spec's Input table. */
export const RAW_COLUMNS = [
  "event_id",
  "user_id",
  "event_time",
  "event_type",
  "page_url",
  "referrer",
  "ip_address",
  "user_agent",
  "revenue",
] as const;
export type RawColumn = (typeof RAW_COLUMNS)[number];

/** Reject reasons, in the order the spec applies them (Cleansing 2-5, 10). */
export const REJECT_REASONS = [
  "missing_event_id",
  "missing_user_id",
  "missing_event_time",
  "invalid_event_time",
  "duplicate_event_id",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/**
 * Spec §C10: among rows sharing an event_id the first under this order is kept: these
 * cleansed columns in this order, then the raw columns in RAW_COLUMNS order (text by UTF-8
 * bytes, revenue by value, nulls first). The one source of the order: the reference and
 * Polars build theirs from it; DuckDB's dedup.sql and Spark's tables.py hold copies that
 * tests/contracts.test.ts proves equal to it.
 */
export const DUPLICATE_ORDER = [
  "event_time",
  "user_id",
  "event_type",
  "page_url",
  "referrer",
  "ip_address",
  "user_agent",
  "revenue",
] as const;

function cols(spec: [string, IcebergType, boolean][]): ColumnDef[] {
  return spec.map(([name, type, required], i) => ({ id: i + 1, name, type, required }));
}

export const EVENTS: TableDef = {
  name: "events",
  columns: cols([
    ["event_id", "string", true],
    ["user_id", "string", true],
    ["event_time", "timestamptz", true],
    ["event_type", "string", true],
    ["page_url", "string", false],
    ["referrer", "string", false],
    ["ip_address", "string", false],
    ["user_agent", "string", false],
    ["revenue", "decimal(12,2)", false],
    ["country_code", "string", false],
    ["session_id", "string", true],
    ["event_seq", "int", true],
  ]),
  partition: [{ fieldId: 1000, sourceId: 3, name: "event_time_day", transform: "day" }],
};

export const SESSIONS: TableDef = {
  name: "sessions",
  columns: cols([
    ["session_id", "string", true],
    ["user_id", "string", true],
    ["session_start", "timestamptz", true],
    ["session_end", "timestamptz", true],
    ["duration_seconds", "double", true],
    ["event_count", "int", true],
    ["page_view_count", "int", true],
    ["purchase_count", "int", true],
    ["revenue_total", "decimal(14,2)", true],
    ["country_code", "string", false],
    ["landing_page", "string", false],
    ["exit_page", "string", false],
    ["is_bounce", "boolean", true],
  ]),
  partition: [{ fieldId: 1000, sourceId: 3, name: "session_start_day", transform: "day" }],
};

export const REJECTS: TableDef = {
  name: "rejects",
  columns: cols([
    ...RAW_COLUMNS.map((c): [string, IcebergType, boolean] => [c, "string", false]),
    ["reject_reason", "string", true],
  ]),
  partition: [],
};

export const TABLES: Record<TableName, TableDef> = {
  events: EVENTS,
  sessions: SESSIONS,
  rejects: REJECTS,
};

/** Staged files named by table -> with each table's definition, as the Iceberg writer takes them. */
export function withTableDefs<F>(
  staged: readonly { table: TableName; files: F }[],
): { table: TableDef; files: F }[] {
  return staged.map((t) => {
    const def = TABLES[t.table];
    if (!def) {
      throw new Error(
        `staged table ${String(t.table)} is not one of ${Object.keys(TABLES).join(", ")}`,
      );
    }
    return { table: def, files: t.files };
  });
}
