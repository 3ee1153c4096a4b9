import { randomBytes } from "node:crypto";
import type { DataFile, Snapshot } from "./types.ts";

/** Snapshot builders (Iceberg spec, "Snapshots"); pure apart from the random id. */

/** A positive random 63-bit id, as Java makes them, not already used by the table. */
export function newSnapshotId(existing: Iterable<string>): string {
  const used = new Set(existing);
  for (;;) {
    const id = (randomBytes(8).readBigUInt64BE() & 0x7fffffffffffffffn).toString();
    if (id !== "0" && !used.has(id)) return id;
  }
}

const sum = (files: DataFile[], f: (d: DataFile) => bigint) =>
  files.reduce((acc, d) => acc + f(d), 0n);

function partitionKey(d: DataFile): string {
  return JSON.stringify(d.partition);
}

/**
 * The summary Java's SnapshotProducer writes: deltas of this snapshot and table totals
 * carried from the parent's totals (Iceberg spec, "Snapshot Summary"; values are strings).
 */
export function snapshotSummary(args: {
  operation: "append" | "overwrite";
  added: DataFile[];
  deleted: DataFile[];
  parentSummary: Record<string, string> | null;
}): Snapshot["summary"] {
  const { added, deleted } = args;
  const total = (key: string) => BigInt(args.parentSummary?.[key] ?? "0");
  const addedRecords = sum(added, (d) => d.record_count);
  const deletedRecords = sum(deleted, (d) => d.record_count);
  const addedSize = sum(added, (d) => d.file_size_in_bytes);
  const removedSize = sum(deleted, (d) => d.file_size_in_bytes);
  const changed = new Set([...added, ...deleted].map(partitionKey));
  const summary: Snapshot["summary"] = { operation: args.operation };
  if (added.length > 0) {
    summary["added-data-files"] = String(added.length);
    summary["added-records"] = String(addedRecords);
    summary["added-files-size"] = String(addedSize);
  }
  if (deleted.length > 0) {
    summary["deleted-data-files"] = String(deleted.length);
    summary["deleted-records"] = String(deletedRecords);
    summary["removed-files-size"] = String(removedSize);
  }
  summary["changed-partition-count"] = String(changed.size);
  summary["total-records"] = String(total("total-records") + addedRecords - deletedRecords);
  summary["total-files-size"] = String(total("total-files-size") + addedSize - removedSize);
  summary["total-data-files"] = String(
    total("total-data-files") + BigInt(added.length) - BigInt(deleted.length),
  );
  summary["total-delete-files"] = "0";
  summary["total-position-deletes"] = "0";
  summary["total-equality-deletes"] = "0";
  return summary;
}
