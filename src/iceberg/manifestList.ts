import { decodeAvroFile, encodeAvroFile, type AvroSchema } from "./avro/avroFile.ts";
import type { ManifestFile } from "./types.ts";

/** Manifest lists (Iceberg spec, "Manifest Lists", format v2): one manifest_file per manifest. */

const opt = (type: unknown) => ["null", type];

export const MANIFEST_LIST_SCHEMA: AvroSchema = {
  type: "record",
  name: "manifest_file",
  fields: [
    { name: "manifest_path", type: "string", "field-id": 500 },
    { name: "manifest_length", type: "long", "field-id": 501 },
    { name: "partition_spec_id", type: "int", "field-id": 502 },
    { name: "content", type: "int", "field-id": 517 },
    { name: "sequence_number", type: "long", "field-id": 515 },
    { name: "min_sequence_number", type: "long", "field-id": 516 },
    { name: "added_snapshot_id", type: "long", "field-id": 503 },
    { name: "added_files_count", type: "int", "field-id": 504 },
    { name: "existing_files_count", type: "int", "field-id": 505 },
    { name: "deleted_files_count", type: "int", "field-id": 506 },
    { name: "added_rows_count", type: "long", "field-id": 512 },
    { name: "existing_rows_count", type: "long", "field-id": 513 },
    { name: "deleted_rows_count", type: "long", "field-id": 514 },
    {
      name: "partitions",
      type: opt({
        type: "array",
        items: {
          type: "record",
          name: "r508",
          fields: [
            { name: "contains_null", type: "boolean", "field-id": 509 },
            { name: "contains_nan", type: opt("boolean"), default: null, "field-id": 518 },
            { name: "lower_bound", type: opt("bytes"), default: null, "field-id": 510 },
            { name: "upper_bound", type: opt("bytes"), default: null, "field-id": 511 },
          ],
        },
        "element-id": 508,
      }),
      default: null,
      "field-id": 507,
    },
    { name: "key_metadata", type: opt("bytes"), default: null, "field-id": 519 },
  ],
};

export function encodeManifestList(
  manifests: ManifestFile[],
  snapshotId: string,
  parentSnapshotId: string | null,
  sequenceNumber: number,
): Buffer {
  return encodeAvroFile(MANIFEST_LIST_SCHEMA, manifests, {
    "snapshot-id": snapshotId,
    "parent-snapshot-id": parentSnapshotId ?? "null",
    "sequence-number": String(sequenceNumber),
    "format-version": "2",
  });
}

export function decodeManifestList(buf: Buffer, name: string): ManifestFile[] {
  return decodeAvroFile<Record<string, unknown>>(buf, name).records.map((r) => ({
    manifest_path: r.manifest_path as string,
    manifest_length: r.manifest_length as bigint,
    partition_spec_id: r.partition_spec_id as number,
    content: (r.content as number | undefined) ?? 0,
    sequence_number: (r.sequence_number as bigint | undefined) ?? 0n,
    min_sequence_number: (r.min_sequence_number as bigint | undefined) ?? 0n,
    added_snapshot_id: r.added_snapshot_id as bigint,
    added_files_count: (r.added_files_count as number | null) ?? 0,
    existing_files_count: (r.existing_files_count as number | null) ?? 0,
    deleted_files_count: (r.deleted_files_count as number | null) ?? 0,
    added_rows_count: (r.added_rows_count as bigint | null) ?? 0n,
    existing_rows_count: (r.existing_rows_count as bigint | null) ?? 0n,
    deleted_rows_count: (r.deleted_rows_count as bigint | null) ?? 0n,
    partitions: (r.partitions ?? null) as ManifestFile["partitions"],
    key_metadata: (r.key_metadata ?? null) as Buffer | null,
  }));
}
