import { randomUUID } from "node:crypto";
import type { TableDef } from "./tableDef.ts";
import { CommitConflictError } from "./errors.ts";
import { icebergSchema, nameMapping, partitionSpec } from "./schema.ts";
import type { Snapshot, TableMetadata } from "./types.ts";

/** Table metadata builders (Iceberg spec, "Table Metadata"); pure, no I/O. */

/** Updates and requirements as in Iceberg's REST commit protocol, reduced to what we use. */
export type TableUpdate =
  | { action: "add-snapshot"; snapshot: Snapshot }
  | { action: "set-snapshot-ref"; "ref-name": string; type: "branch"; "snapshot-id": string }
  | { action: "set-properties"; updates: Record<string, string> };

export type TableRequirement =
  | { type: "assert-table-uuid"; uuid: string }
  | { type: "assert-ref-snapshot-id"; ref: string; "snapshot-id": string | null };

/** Metadata log length Java keeps by default (write.metadata.previous-versions-max). */
const METADATA_LOG_MAX = 100;

export function newTableMetadata(args: {
  table: TableDef;
  location: string;
  properties?: Record<string, string>;
  nowMs: number;
  uuid?: string;
}): TableMetadata {
  const schema = icebergSchema(args.table);
  const spec = partitionSpec(args.table);
  return {
    "format-version": 2,
    "table-uuid": args.uuid ?? randomUUID(),
    location: args.location,
    "last-sequence-number": 0,
    "last-updated-ms": args.nowMs,
    "last-column-id": Math.max(...schema.fields.map((f) => f.id)),
    "current-schema-id": 0,
    schemas: [schema],
    "default-spec-id": 0,
    "partition-specs": [spec],
    // 999 for an unpartitioned table: partition field ids start at 1000.
    "last-partition-id": Math.max(999, ...spec.fields.map((f) => f["field-id"])),
    "default-sort-order-id": 0,
    "sort-orders": [{ "order-id": 0, fields: [] }],
    properties: {
      "write.format.default": "parquet",
      "schema.name-mapping.default": nameMapping(schema),
      ...args.properties,
    },
    refs: {},
    snapshots: [],
    statistics: [],
    "snapshot-log": [],
    "metadata-log": [],
  };
}

export function currentSnapshot(md: TableMetadata): Snapshot | null {
  const id = md.refs.main?.["snapshot-id"] ?? md["current-snapshot-id"];
  if (id === undefined) return null;
  return md.snapshots.find((s) => s["snapshot-id"] === id) ?? null;
}

/** Throws CommitConflictError when a requirement no longer holds for `md`. */
export function checkRequirements(md: TableMetadata, requirements: TableRequirement[]): void {
  for (const r of requirements) {
    if (r.type === "assert-table-uuid" && md["table-uuid"] !== r.uuid) {
      throw new CommitConflictError(`table uuid is ${md["table-uuid"]}, expected ${r.uuid}`);
    }
    if (r.type === "assert-ref-snapshot-id") {
      const actual = md.refs[r.ref]?.["snapshot-id"] ?? null;
      if (actual !== r["snapshot-id"]) {
        throw new CommitConflictError(
          `branch ${r.ref} is at snapshot ${actual}, expected ${r["snapshot-id"]}`,
        );
      }
    }
  }
}

/** The next metadata after `updates`; `md` is not modified. */
export function applyUpdates(
  md: TableMetadata,
  updates: TableUpdate[],
  nowMs: number,
): TableMetadata {
  const next: TableMetadata = structuredClone(md);
  next["last-updated-ms"] = nowMs;
  for (const u of updates) {
    switch (u.action) {
      case "add-snapshot": {
        const s = u.snapshot;
        if (next.snapshots.some((x) => x["snapshot-id"] === s["snapshot-id"])) {
          throw new Error(`snapshot ${s["snapshot-id"]} already exists`);
        }
        if (s["sequence-number"] <= next["last-sequence-number"]) {
          throw new CommitConflictError(
            `snapshot sequence number ${s["sequence-number"]} is not above ${next["last-sequence-number"]}`,
          );
        }
        next.snapshots.push(s);
        next["last-sequence-number"] = s["sequence-number"];
        break;
      }
      case "set-snapshot-ref": {
        const id = u["snapshot-id"];
        if (!next.snapshots.some((x) => x["snapshot-id"] === id)) {
          throw new Error(`cannot set ref ${u["ref-name"]} to unknown snapshot ${id}`);
        }
        next.refs[u["ref-name"]] = { "snapshot-id": id, type: u.type };
        if (u["ref-name"] === "main") {
          next["current-snapshot-id"] = id;
          next["snapshot-log"].push({ "timestamp-ms": nowMs, "snapshot-id": id });
        }
        break;
      }
      case "set-properties":
        next.properties = { ...next.properties, ...u.updates };
        break;
    }
  }
  return next;
}

/** Records the metadata file being replaced (Iceberg spec, "metadata-log"). */
export function withPreviousMetadata(
  next: TableMetadata,
  previous: TableMetadata,
  previousLocation: string,
): TableMetadata {
  const log = [
    ...previous["metadata-log"],
    { "timestamp-ms": previous["last-updated-ms"], "metadata-file": previousLocation },
  ];
  return { ...next, "metadata-log": log.slice(-METADATA_LOG_MAX) };
}

/** `{version:05d}-{uuid}.metadata.json` (Java's naming); version from the previous file name. */
export function metadataFileName(previousLocation: string | null): string {
  const m = previousLocation ? /(\d+)-[^/]*\.metadata\.json$/.exec(previousLocation) : null;
  const version = m ? Number(m[1]) + 1 : 0;
  return `${String(version).padStart(5, "0")}-${randomUUID()}.metadata.json`;
}
