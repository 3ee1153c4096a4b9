/**
 * The Iceberg artifacts as plain values (Iceberg spec, "Table Metadata" and "Manifests").
 * Metadata JSON keys are kept verbatim; 64-bit ids (snapshot ids) are decimal strings in
 * memory and bare JSON numbers on disk (see metadataJson.ts). Manifest records use the Avro
 * field names of the spec, with every Avro long as a bigint (see avro/avroFile.ts).
 */

export interface SchemaField {
  id: number;
  name: string;
  required: boolean;
  type: string;
}

export interface IcebergSchema {
  type: "struct";
  "schema-id": number;
  fields: SchemaField[];
}

export interface PartitionField {
  name: string;
  transform: string;
  "source-id": number;
  "field-id": number;
}

export interface PartitionSpec {
  "spec-id": number;
  fields: PartitionField[];
}

export interface Snapshot {
  "snapshot-id": string;
  "parent-snapshot-id"?: string;
  "sequence-number": number;
  "timestamp-ms": number;
  "manifest-list": string;
  summary: Record<string, string> & { operation: string };
  "schema-id"?: number;
}

export interface SnapshotRef {
  "snapshot-id": string;
  type: "branch" | "tag";
}

export interface TableMetadata {
  "format-version": 2;
  "table-uuid": string;
  location: string;
  "last-sequence-number": number;
  "last-updated-ms": number;
  "last-column-id": number;
  "current-schema-id": number;
  schemas: IcebergSchema[];
  "default-spec-id": number;
  "partition-specs": PartitionSpec[];
  "last-partition-id": number;
  "default-sort-order-id": number;
  "sort-orders": { "order-id": number; fields: unknown[] }[];
  properties: Record<string, string>;
  "current-snapshot-id"?: string;
  refs: Record<string, SnapshotRef>;
  snapshots: Snapshot[];
  statistics: unknown[];
  "snapshot-log": { "timestamp-ms": number; "snapshot-id": string }[];
  "metadata-log": { "timestamp-ms": number; "metadata-file": string }[];
}

/** Avro map<int, T> is an array of key/value records (Iceberg spec, Appendix A, "Avro"). */
export type IntMap<T> = { key: number; value: T }[];

/** Manifest entry status (Iceberg spec, "Manifests"). */
export const EXISTING = 0;
export const ADDED = 1;
export const DELETED = 2;

export interface DataFile {
  content: number;
  file_path: string;
  file_format: string;
  /** Partition tuple keyed by partition field name; day transform values are days since epoch. */
  partition: Record<string, number | null>;
  record_count: bigint;
  file_size_in_bytes: bigint;
  column_sizes: IntMap<bigint> | null;
  value_counts: IntMap<bigint> | null;
  null_value_counts: IntMap<bigint> | null;
  nan_value_counts: IntMap<bigint> | null;
  lower_bounds: IntMap<Buffer> | null;
  upper_bounds: IntMap<Buffer> | null;
  key_metadata: Buffer | null;
  split_offsets: bigint[] | null;
  equality_ids: number[] | null;
  sort_order_id: number | null;
}

export interface ManifestEntry {
  status: number;
  snapshot_id: bigint | null;
  /** Null means "inherit from the manifest" (Iceberg spec, "Sequence Number Inheritance"). */
  sequence_number: bigint | null;
  file_sequence_number: bigint | null;
  data_file: DataFile;
}

export interface FieldSummary {
  contains_null: boolean;
  contains_nan: boolean | null;
  lower_bound: Buffer | null;
  upper_bound: Buffer | null;
}

export interface ManifestFile {
  manifest_path: string;
  manifest_length: bigint;
  partition_spec_id: number;
  content: number;
  sequence_number: bigint;
  min_sequence_number: bigint;
  added_snapshot_id: bigint;
  added_files_count: number;
  existing_files_count: number;
  deleted_files_count: number;
  added_rows_count: bigint;
  existing_rows_count: bigint;
  deleted_rows_count: bigint;
  partitions: FieldSummary[] | null;
  key_metadata: Buffer | null;
}
