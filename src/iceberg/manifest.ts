import { decodeAvroFile, encodeAvroFile, type AvroSchema } from "./avro/avroFile.ts";
import { encodeValue } from "./singleValue.ts";
import type {
  DataFile,
  IcebergSchema,
  ManifestEntry,
  ManifestFile,
  PartitionSpec,
} from "./types.ts";

/**
 * Manifest files (Iceberg spec, "Manifests", format v2): Avro, one manifest_entry per data
 * file, every field carrying its spec field id so readers can project by id.
 */

const opt = (type: unknown) => ["null", type];

/** Avro map<int, V> with the spec's key/value ids (Appendix A: array of k{K}_v{V} records). */
function intMap(keyId: number, valueId: number, valueType: string): unknown {
  return {
    type: "array",
    logicalType: "map",
    items: {
      type: "record",
      name: `k${keyId}_v${valueId}`,
      fields: [
        { name: "key", type: "int", "field-id": keyId },
        { name: "value", type: valueType, "field-id": valueId },
      ],
    },
  };
}

/** Avro type of a partition field value: the day transform yields a date (Appendix A). */
function partitionValueType(transform: string): unknown {
  if (transform === "day") return { type: "int", logicalType: "date" };
  throw new Error(`partition transform ${transform} is not supported by this writer`);
}

export function manifestEntrySchema(spec: PartitionSpec): AvroSchema {
  const partition = {
    type: "record",
    name: "r102",
    fields: spec.fields.map((f) => ({
      name: f.name,
      type: opt(partitionValueType(f.transform)),
      default: null,
      "field-id": f["field-id"],
    })),
  };
  const dataFile = {
    type: "record",
    name: "r2",
    fields: [
      { name: "content", type: "int", "field-id": 134 },
      { name: "file_path", type: "string", "field-id": 100 },
      { name: "file_format", type: "string", "field-id": 101 },
      { name: "partition", type: partition, "field-id": 102 },
      { name: "record_count", type: "long", "field-id": 103 },
      { name: "file_size_in_bytes", type: "long", "field-id": 104 },
      { name: "column_sizes", type: opt(intMap(117, 118, "long")), default: null, "field-id": 108 },
      { name: "value_counts", type: opt(intMap(119, 120, "long")), default: null, "field-id": 109 },
      {
        name: "null_value_counts",
        type: opt(intMap(121, 122, "long")),
        default: null,
        "field-id": 110,
      },
      {
        name: "nan_value_counts",
        type: opt(intMap(138, 139, "long")),
        default: null,
        "field-id": 137,
      },
      {
        name: "lower_bounds",
        type: opt(intMap(126, 127, "bytes")),
        default: null,
        "field-id": 125,
      },
      {
        name: "upper_bounds",
        type: opt(intMap(129, 130, "bytes")),
        default: null,
        "field-id": 128,
      },
      { name: "key_metadata", type: opt("bytes"), default: null, "field-id": 131 },
      {
        name: "split_offsets",
        type: opt({ type: "array", items: "long", "element-id": 133 }),
        default: null,
        "field-id": 132,
      },
      {
        name: "equality_ids",
        type: opt({ type: "array", items: "int", "element-id": 136 }),
        default: null,
        "field-id": 135,
      },
      { name: "sort_order_id", type: opt("int"), default: null, "field-id": 140 },
    ],
  };
  return {
    type: "record",
    name: "manifest_entry",
    fields: [
      { name: "status", type: "int", "field-id": 0 },
      { name: "snapshot_id", type: opt("long"), default: null, "field-id": 1 },
      { name: "sequence_number", type: opt("long"), default: null, "field-id": 3 },
      { name: "file_sequence_number", type: opt("long"), default: null, "field-id": 4 },
      { name: "data_file", type: dataFile, "field-id": 2 },
    ],
  };
}

/** Key/value metadata Java's ManifestWriter puts in the Avro header (readers use schema/spec). */
function manifestMetadata(schema: IcebergSchema, spec: PartitionSpec): Record<string, string> {
  return {
    schema: JSON.stringify(schema),
    "schema-id": String(schema["schema-id"]),
    "partition-spec": JSON.stringify(spec.fields),
    "partition-spec-id": String(spec["spec-id"]),
    "format-version": "2",
    content: "data",
  };
}

export function encodeManifest(
  entries: ManifestEntry[],
  schema: IcebergSchema,
  spec: PartitionSpec,
): Buffer {
  return encodeAvroFile(manifestEntrySchema(spec), entries, manifestMetadata(schema, spec));
}

/** Decodes a manifest written by us or by Java; unknown fields are dropped, absent ones null. */
export function decodeManifest(buf: Buffer, name: string): ManifestEntry[] {
  const file = decodeAvroFile<Record<string, unknown>>(buf, name);
  return file.records.map((r) => {
    const df = r.data_file as Record<string, unknown>;
    const dataFile: DataFile = {
      content: (df.content as number | undefined) ?? 0,
      file_path: df.file_path as string,
      file_format: df.file_format as string,
      partition: { ...(df.partition as Record<string, number | null>) },
      record_count: df.record_count as bigint,
      file_size_in_bytes: df.file_size_in_bytes as bigint,
      column_sizes: (df.column_sizes ?? null) as DataFile["column_sizes"],
      value_counts: (df.value_counts ?? null) as DataFile["value_counts"],
      null_value_counts: (df.null_value_counts ?? null) as DataFile["null_value_counts"],
      nan_value_counts: (df.nan_value_counts ?? null) as DataFile["nan_value_counts"],
      lower_bounds: (df.lower_bounds ?? null) as DataFile["lower_bounds"],
      upper_bounds: (df.upper_bounds ?? null) as DataFile["upper_bounds"],
      key_metadata: (df.key_metadata ?? null) as Buffer | null,
      split_offsets: (df.split_offsets ?? null) as bigint[] | null,
      equality_ids: (df.equality_ids ?? null) as number[] | null,
      sort_order_id: (df.sort_order_id ?? null) as number | null,
    };
    return {
      status: r.status as number,
      snapshot_id: (r.snapshot_id ?? null) as bigint | null,
      sequence_number: (r.sequence_number ?? null) as bigint | null,
      file_sequence_number: (r.file_sequence_number ?? null) as bigint | null,
      data_file: dataFile,
    };
  });
}

/** Partition field summaries for the manifest list (Iceberg spec, "Manifest Lists"). */
export function partitionSummaries(
  entries: ManifestEntry[],
  spec: PartitionSpec,
): ManifestFile["partitions"] {
  return spec.fields.map((f) => {
    let lo: number | null = null;
    let hi: number | null = null;
    let containsNull = false;
    for (const e of entries) {
      const v = e.data_file.partition[f.name] ?? null;
      if (v === null) {
        containsNull = true;
        continue;
      }
      if (lo === null || v < lo) lo = v;
      if (hi === null || v > hi) hi = v;
    }
    return {
      contains_null: containsNull,
      contains_nan: null,
      lower_bound: lo === null ? null : encodeValue("date", lo),
      upper_bound: hi === null ? null : encodeValue("date", hi),
    };
  });
}
