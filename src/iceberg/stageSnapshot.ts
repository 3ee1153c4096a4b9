import { randomUUID } from "node:crypto";
import type { FileIO } from "./fileIO.ts";
import { encodeManifest, partitionSummaries } from "./manifest.ts";
import { encodeManifestList } from "./manifestList.ts";
import { readManifestEntries, readManifestList } from "./scanTable.ts";
import { newSnapshotId, snapshotSummary } from "./snapshot.ts";
import { currentSnapshot, type TableRequirement, type TableUpdate } from "./tableMetadata.ts";
import {
  ADDED,
  DELETED,
  type DataFile,
  type ManifestEntry,
  type ManifestFile,
  type Snapshot,
  type TableMetadata,
} from "./types.ts";

export interface StagedCommit {
  requirements: TableRequirement[];
  updates: TableUpdate[];
  snapshot: Snapshot;
  /** Manifests and manifest list written by this attempt (orphans if the commit fails). */
  written: string[];
}

/**
 * The "stage" step of a write: writes the new manifests and manifest list for one snapshot on
 * top of `md`'s current snapshot and returns what the commit must check and apply.
 * append: one new manifest of ADDED entries plus the parent's manifests that still hold live
 * files. overwrite (replace everything): the new manifest plus one manifest that marks every
 * live parent file DELETED, so the snapshot records what it removed (Iceberg spec, "Snapshots",
 * operation "overwrite").
 */
export async function stageSnapshot(args: {
  io: FileIO;
  metadata: TableMetadata;
  operation: "append" | "overwrite";
  dataFiles: DataFile[];
  nowMs: number;
  attempt: number;
  /** Extra snapshot summary entries (e.g. the input's fingerprint); the spec's own keys win. */
  summaryProperties?: Record<string, string>;
}): Promise<StagedCommit> {
  const { io, metadata: md, operation } = args;
  const parent = currentSnapshot(md);
  const snapshotId = newSnapshotId(md.snapshots.map((s) => s["snapshot-id"]));
  const id = BigInt(snapshotId);
  const seq = BigInt(md["last-sequence-number"] + 1);
  const schema = md.schemas.find((s) => s["schema-id"] === md["current-schema-id"])!;
  const spec = md["partition-specs"].find((s) => s["spec-id"] === md["default-spec-id"])!;
  const dir = `${md.location}/metadata`;
  const uuid = randomUUID();
  const written: string[] = [];
  const manifests: ManifestFile[] = [];
  let n = 0;

  const writeManifest = async (entries: ManifestEntry[], minSeq: bigint) => {
    const path = `${dir}/${uuid}-m${n++}.avro`;
    const bytes = encodeManifest(entries, schema, spec);
    await io.writeNew(path, bytes);
    written.push(path);
    const count = (status: number) => entries.filter((e) => e.status === status);
    const rows = (es: ManifestEntry[]) => es.reduce((a, e) => a + e.data_file.record_count, 0n);
    manifests.push({
      manifest_path: path,
      manifest_length: BigInt(bytes.length),
      partition_spec_id: spec["spec-id"],
      content: 0,
      sequence_number: seq,
      min_sequence_number: minSeq,
      added_snapshot_id: id,
      added_files_count: count(ADDED).length,
      existing_files_count: 0,
      deleted_files_count: count(DELETED).length,
      added_rows_count: rows(count(ADDED)),
      existing_rows_count: 0n,
      deleted_rows_count: rows(count(DELETED)),
      partitions: partitionSummaries(entries, spec),
      key_metadata: null,
    });
  };

  if (args.dataFiles.length > 0) {
    const added = args.dataFiles.map((d): ManifestEntry => ({
      status: ADDED,
      snapshot_id: id,
      sequence_number: null,
      file_sequence_number: null,
      data_file: d,
    }));
    await writeManifest(added, seq);
  }

  const parentManifests = parent ? await readManifestList(io, parent) : [];
  const deleted: ManifestEntry[] = [];
  if (operation === "append") {
    // Manifests holding only DELETED entries served their snapshot and are dropped (as Java does).
    manifests.push(
      ...parentManifests.filter((m) => m.added_files_count + m.existing_files_count > 0),
    );
  } else {
    for (const m of parentManifests) {
      for (const e of await readManifestEntries(io, m)) {
        if (e.status === DELETED) continue;
        deleted.push({ ...e, status: DELETED, snapshot_id: id });
      }
    }
    if (deleted.length > 0) {
      const minSeq = deleted.reduce(
        (a, e) => (e.sequence_number! < a ? e.sequence_number! : a),
        seq,
      );
      await writeManifest(deleted, minSeq);
    }
  }

  const listPath = `${dir}/snap-${snapshotId}-${args.attempt}-${uuid}.avro`;
  const parentId = parent?.["snapshot-id"] ?? null;
  await io.writeNew(listPath, encodeManifestList(manifests, snapshotId, parentId, Number(seq)));
  written.push(listPath);

  const snapshot: Snapshot = {
    "snapshot-id": snapshotId,
    ...(parentId ? { "parent-snapshot-id": parentId } : {}),
    "sequence-number": Number(seq),
    "timestamp-ms": args.nowMs,
    "manifest-list": listPath,
    summary: {
      ...args.summaryProperties,
      ...snapshotSummary({
        operation,
        added: args.dataFiles,
        deleted: deleted.map((e) => e.data_file),
        parentSummary: parent?.summary ?? null,
      }),
    },
    "schema-id": schema["schema-id"],
  };
  return {
    requirements: [
      { type: "assert-table-uuid", uuid: md["table-uuid"] },
      { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": parentId },
    ],
    updates: [
      { action: "add-snapshot", snapshot },
      { action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": snapshotId },
    ],
    snapshot,
    written,
  };
}
