import { IcebergFileError } from "./errors.ts";
import type { TableMetadata } from "./types.ts";

/**
 * Metadata JSON with 64-bit snapshot ids: JSON.parse would round ids above 2^53, so the id keys
 * are quoted before parsing (kept as decimal strings) and unquoted again when writing.
 */
const ID_KEYS = /"(snapshot-id|parent-snapshot-id|current-snapshot-id)"\s*:\s*(-?\d+)/g;
const ID_MARK = "@@iceberg-long@@";

export function parseTableMetadata(text: string, location: string): TableMetadata {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text.replace(ID_KEYS, '"$1":"$2"')) as Record<string, unknown>;
  } catch (err) {
    throw new IcebergFileError(
      `${location}: metadata file is not valid JSON (${(err as Error).message}); it is corrupt`,
    );
  }
  if (raw["format-version"] !== 2 || typeof raw.location !== "string" || !raw.schemas) {
    throw new IcebergFileError(
      `${location}: not Iceberg v2 table metadata (format-version ${String(raw["format-version"])})`,
    );
  }
  const md = raw as unknown as TableMetadata;
  // Java writes -1 when there is no current snapshot (Iceberg spec, "Table Metadata Fields").
  if (md["current-snapshot-id"] === "-1") delete md["current-snapshot-id"];
  md.snapshots ??= [];
  md.refs ??= {};
  md["snapshot-log"] ??= [];
  md["metadata-log"] ??= [];
  md.properties ??= {};
  return md;
}

export function serializeTableMetadata(md: TableMetadata): string {
  const text = JSON.stringify(
    md,
    (key, value: unknown) =>
      ID_KEYS_SET.has(key) && typeof value === "string" ? `${ID_MARK}${value}` : value,
    2,
  );
  return text.replace(new RegExp(`"${ID_MARK}(-?\\d+)"`, "g"), "$1");
}

const ID_KEYS_SET = new Set(["snapshot-id", "parent-snapshot-id", "current-snapshot-id"]);
