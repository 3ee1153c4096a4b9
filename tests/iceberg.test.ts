import { describe, expect, it } from "vitest";
import { decodeAvroFile, encodeAvroFile } from "../src/iceberg/avro/avroFile.ts";
import {
  dataFileFromFooter,
  readFooters,
  type FooterChunk,
  type FooterValue,
} from "../src/iceberg/dataFileStats.ts";
import { CommitConflictError } from "../src/iceberg/errors.ts";
import {
  decodeManifest,
  encodeManifest,
  manifestEntrySchema,
  partitionSummaries,
} from "../src/iceberg/manifest.ts";
import { decodeManifestList, encodeManifestList } from "../src/iceberg/manifestList.ts";
import { parseTableMetadata, serializeTableMetadata } from "../src/iceberg/metadataJson.ts";
import { icebergSchema, nameMapping, partitionSpec } from "../src/iceberg/schema.ts";
import {
  decodeValue,
  encodeDecimal,
  encodeValue,
  truncateLower,
  truncateUpper,
} from "../src/iceberg/singleValue.ts";
import { snapshotSummary } from "../src/iceberg/snapshot.ts";
import {
  applyUpdates,
  checkRequirements,
  metadataFileName,
  newTableMetadata,
} from "../src/iceberg/tableMetadata.ts";
import type { DataFile, ManifestEntry, ManifestFile, Snapshot } from "../src/iceberg/types.ts";
import { EVENTS, REJECTS, SESSIONS } from "../src/lakehouse/tables.ts";

const DAY = 20454; // 2026-01-01

function dataFile(path: string, day: number | null, rows: bigint): DataFile {
  return {
    content: 0,
    file_path: path,
    file_format: "PARQUET",
    partition: day === null ? {} : { event_time_day: day },
    record_count: rows,
    file_size_in_bytes: 1234n,
    column_sizes: [{ key: 1, value: 77n }],
    value_counts: [{ key: 1, value: rows }],
    null_value_counts: [{ key: 5, value: 2n }],
    nan_value_counts: null,
    lower_bounds: [{ key: 3, value: encodeValue("timestamptz", 1767225600000123n) }],
    upper_bounds: [{ key: 3, value: encodeValue("timestamptz", 1767311999999999n) }],
    key_metadata: null,
    split_offsets: [4n],
    equality_ids: null,
    sort_order_id: null,
  };
}

/** Every Avro record field (recursively) must carry a field id, every array an element id. */
function missingIds(schema: unknown, path = ""): string[] {
  const out: string[] = [];
  const visit = (t: unknown, p: string) => {
    if (Array.isArray(t)) return t.forEach((u) => visit(u, p));
    if (!t || typeof t !== "object") return;
    const o = t as Record<string, unknown>;
    if (o.type === "record") {
      for (const f of o.fields as Record<string, unknown>[]) {
        if (typeof f["field-id"] !== "number") out.push(`${p}.${String(f.name)}`);
        visit(f.type, `${p}.${String(f.name)}`);
      }
    } else if (o.type === "array") {
      if (o.logicalType !== "map" && typeof o["element-id"] !== "number") out.push(`${p}[]`);
      visit(o.items, `${p}[]`);
    }
  };
  visit(schema, path);
  return out;
}

describe("single-value serialization (Iceberg spec Appendix D)", () => {
  it("encodes ints, longs, dates, timestamps little-endian", () => {
    expect(encodeValue("int", 1).toString("hex")).toBe("01000000");
    expect(encodeValue("date", DAY).toString("hex")).toBe("e64f0000");
    expect(encodeValue("timestamptz", 1n).toString("hex")).toBe("0100000000000000");
    expect(encodeValue("long", -2n).toString("hex")).toBe("feffffffffffffff");
    expect(encodeValue("double", 1.5).toString("hex")).toBe("000000000000f83f");
    expect(encodeValue("boolean", true).toString("hex")).toBe("01");
    expect(encodeValue("string", "ü").toString("hex")).toBe("c3bc");
  });
  it("encodes decimals as minimal big-endian two's complement", () => {
    const cases: [bigint, string][] = [
      [0n, "00"],
      [1230n, "04ce"],
      [-125n, "83"],
      [127n, "7f"],
      [128n, "0080"],
      [-128n, "80"],
      [-129n, "ff7f"],
      [-50n, "ce"],
    ];
    for (const [v, hex] of cases) {
      expect(encodeDecimal(v).toString("hex")).toBe(hex);
      expect(decodeValue("decimal(12, 2)", Buffer.from(hex, "hex"))).toBe(v);
    }
  });
  it("round-trips every type", () => {
    const vals: [string, number | bigint | boolean | string][] = [
      ["int", -7],
      ["long", 9223372036854775807n],
      ["timestamptz", -1n],
      ["double", -0.25],
      ["boolean", false],
      ["string", "Gecko/ünï"],
      ["decimal(14, 2)", -99999999999999n],
    ];
    for (const [t, v] of vals) expect(decodeValue(t, encodeValue(t, v))).toBe(v);
  });
  it("truncates string bounds by code points, upper bound incremented", () => {
    expect(truncateLower("abc")).toBe("abc");
    expect(truncateLower("Mozilla/5.0 (X11; Linux")).toBe("Mozilla/5.0 (X11");
    expect(truncateUpper("Mozilla/5.0 (X11; Linux")).toBe("Mozilla/5.0 (X12");
    expect(truncateUpper("ab", 1)).toBe("b");
    expect(truncateUpper("ü😀x", 2)).toBe("ü😁");
    expect(truncateUpper("\u{10ffff}\u{10ffff}x", 2)).toBeNull();
  });
});

describe("data files from Parquet footers", () => {
  const chunk = (
    column: string,
    min: FooterValue | null,
    max: FooterValue | null,
    nulls = 0,
  ): FooterChunk => ({
    rowGroup: 0,
    rowGroupRows: 3,
    column,
    numValues: 3,
    nullCount: nulls,
    min,
    max,
    compressedSize: 10,
  });
  const eventChunks = (minTs: bigint, maxTs: bigint) =>
    EVENTS.columns.map((c) =>
      c.name === "event_time"
        ? chunk(c.name, minTs, maxTs)
        : c.name === "revenue"
          ? chunk(c.name, -125n, 1230n)
          : c.type === "int"
            ? chunk(c.name, 1, 3)
            : c.required
              ? chunk(c.name, "a", "zzzzzzzzzzzzzzzzzzzz")
              : chunk(c.name, null, null, 3),
    );

  it("builds a data file with bounds, counts and the partition day", () => {
    const df = dataFileFromFooter({
      table: EVENTS,
      location: "file:///w/t/data/x.parquet",
      sourcePath: "/s/x.parquet",
      sizeBytes: 999,
      chunks: eventChunks(1767225600000000n, 1767311999999999n),
      partitionDay: DAY,
    });
    expect(df.partition).toEqual({ event_time_day: DAY });
    expect(df.record_count).toBe(3n);
    expect(df.file_size_in_bytes).toBe(999n);
    const lower = new Map(df.lower_bounds!.map((e) => [e.key, e.value]));
    const upper = new Map(df.upper_bounds!.map((e) => [e.key, e.value]));
    expect(decodeValue("timestamptz", lower.get(3)!)).toBe(1767225600000000n);
    expect(decodeValue("timestamptz", upper.get(3)!)).toBe(1767311999999999n);
    expect(lower.get(9)!.toString("hex")).toBe("83");
    expect(upper.get(9)!.toString("hex")).toBe("04ce");
    expect(upper.get(1)!.toString()).toBe("zzzzzzzzzzzzzzz{");
    expect(lower.has(5)).toBe(false); // all-null column: no bounds
    expect(df.null_value_counts!.find((e) => e.key === 5)?.value).toBe(3n);
  });
  it("accepts an empty file (no column chunks) as zero records", () => {
    const df = dataFileFromFooter({
      table: EVENTS,
      location: "file:///w/e.parquet",
      sourcePath: "/s/e.parquet",
      sizeBytes: 300,
      chunks: [],
      partitionDay: DAY,
    });
    expect([df.record_count, df.partition, df.lower_bounds]).toEqual([
      0n,
      { event_time_day: DAY },
      [],
    ]);
  });
  it("refuses a file staged under the wrong partition day", () => {
    expect(() =>
      dataFileFromFooter({
        table: EVENTS,
        location: "file:///w/x.parquet",
        sourcePath: "/s/bad.parquet",
        sizeBytes: 1,
        chunks: eventChunks(1767312000000000n, 1767315600000000n),
        partitionDay: DAY,
      }),
    ).toThrow(/bad\.parquet: staged as partition day 20454 but its rows are on day 20455/);
  });
  it("refuses a statistic whose type does not fit the column", () => {
    const chunks = eventChunks(1767225600000000n, 1767225601000000n);
    chunks[8] = chunk("revenue", "-1.25", "12.30");
    expect(() =>
      dataFileFromFooter({
        table: EVENTS,
        location: "x",
        sourcePath: "/s/t.parquet",
        sizeBytes: 1,
        chunks,
        partitionDay: DAY,
      }),
    ).toThrow(
      /t\.parquet column revenue: footer statistic -1\.25 does not fit Iceberg type decimal\(12,2\)/,
    );
  });
  it("refuses a file whose rows span two days and nulls in required columns", () => {
    expect(() =>
      dataFileFromFooter({
        table: EVENTS,
        location: "file:///w/x.parquet",
        sourcePath: "/s/two.parquet",
        sizeBytes: 1,
        chunks: eventChunks(1767225600000000n, 1767312000000000n),
        partitionDay: DAY,
      }),
    ).toThrow(/two\.parquet: rows span days 20454\.\.20455/);
    const chunks = eventChunks(1767225600000000n, 1767225601000000n);
    chunks[0] = chunk("event_id", "a", "b", 1);
    expect(() =>
      dataFileFromFooter({
        table: EVENTS,
        location: "x",
        sourcePath: "/s/n.parquet",
        sizeBytes: 1,
        chunks,
        partitionDay: DAY,
      }),
    ).toThrow(/n\.parquet: required column event_id has 1 null/);
  });
});

describe("manifests and manifest lists (Avro, spec v2)", () => {
  const md = newTableMetadata({ table: EVENTS, location: "file:///w/ns/events", nowMs: 1 });
  const schema = md.schemas[0]!;
  const spec = md["partition-specs"][0]!;
  const entries: ManifestEntry[] = [
    {
      status: 1,
      snapshot_id: 9223372036854775807n,
      sequence_number: null,
      file_sequence_number: null,
      data_file: dataFile("file:///w/a.parquet", DAY, 10n),
    },
    {
      status: 2,
      snapshot_id: 5n,
      sequence_number: 3n,
      file_sequence_number: 2n,
      data_file: dataFile("file:///w/b.parquet", DAY + 1, 2n ** 40n),
    },
  ];

  it("round-trips manifest entries with 64-bit longs", () => {
    const bytes = encodeManifest(entries, schema, spec);
    expect(decodeManifest(bytes, "m.avro")).toEqual(entries);
  });
  it("keeps field ids on every field and the spec metadata in the header", () => {
    expect(missingIds(manifestEntrySchema(spec))).toEqual([]);
    const file = decodeAvroFile(encodeManifest(entries, schema, spec), "m.avro");
    expect(missingIds(file.schema)).toEqual([]);
    expect(file.schema).toEqual(manifestEntrySchema(spec));
    expect(file.metadata["format-version"]).toBe("2");
    expect(file.metadata.content).toBe("data");
    expect(JSON.parse(file.metadata["partition-spec"]!)).toEqual([
      { name: "event_time_day", transform: "day", "source-id": 3, "field-id": 1000 },
    ]);
    expect(JSON.parse(file.metadata.schema!)).toEqual(schema);
    const dataFileType = (file.schema.fields as { name: string; type: unknown }[])[4]!.type as {
      fields: { name: string; type: unknown; "field-id": number }[];
    };
    const partition = dataFileType.fields.find((f) => f.name === "partition")!;
    expect(partition["field-id"]).toBe(102);
    expect(partition.type).toEqual({
      type: "record",
      name: "r102",
      fields: [
        {
          name: "event_time_day",
          type: ["null", { type: "int", logicalType: "date" }],
          default: null,
          "field-id": 1000,
        },
      ],
    });
  });
  it("summarises partitions as day bounds", () => {
    const [s] = partitionSummaries(entries, spec)!;
    expect(s!.contains_null).toBe(false);
    expect(decodeValue("date", s!.lower_bound!)).toBe(DAY);
    expect(decodeValue("date", s!.upper_bound!)).toBe(DAY + 1);
  });
  it("round-trips an unpartitioned manifest (empty partition struct)", () => {
    const rejects = newTableMetadata({ table: REJECTS, location: "file:///w/r", nowMs: 1 });
    const e: ManifestEntry = {
      ...entries[0]!,
      data_file: dataFile("file:///w/r.parquet", null, 1n),
    };
    const bytes = encodeManifest([e], rejects.schemas[0]!, rejects["partition-specs"][0]!);
    expect(decodeManifest(bytes, "r.avro")).toEqual([e]);
  });
  it("round-trips a manifest list with its header", () => {
    const m: ManifestFile = {
      manifest_path: "file:///w/ns/events/metadata/x-m0.avro",
      manifest_length: 4242n,
      partition_spec_id: 0,
      content: 0,
      sequence_number: 7n,
      min_sequence_number: 3n,
      added_snapshot_id: 8000000000000000001n,
      added_files_count: 2,
      existing_files_count: 0,
      deleted_files_count: 1,
      added_rows_count: 10n,
      existing_rows_count: 0n,
      deleted_rows_count: 5n,
      partitions: partitionSummaries(entries, spec),
      key_metadata: null,
    };
    const bytes = encodeManifestList([m], "8000000000000000001", null, 7);
    expect(decodeManifestList(bytes, "snap.avro")).toEqual([m]);
    const file = decodeAvroFile(bytes, "snap.avro");
    expect(missingIds(file.schema)).toEqual([]);
    expect(file.metadata).toMatchObject({
      "snapshot-id": "8000000000000000001",
      "parent-snapshot-id": "null",
      "sequence-number": "7",
      "format-version": "2",
    });
  });
  it("names the file when Avro bytes are corrupt", () => {
    const bytes = encodeManifest(entries, schema, spec);
    expect(() => decodeManifest(Buffer.from("nope"), "/w/m0.avro")).toThrow(
      /\/w\/m0\.avro: not an Avro/,
    );
    expect(() => decodeManifest(bytes.subarray(0, bytes.length - 40), "/w/m1.avro")).toThrow(
      /\/w\/m1\.avro: cannot decode Avro file/,
    );
  });
  it("encodes an empty container file that decodes to no records", () => {
    const bytes = encodeAvroFile({ type: "record", name: "x", fields: [] }, [], { k: "v" });
    expect(decodeAvroFile(bytes, "e.avro")).toMatchObject({ records: [], metadata: { k: "v" } });
  });
});

describe("table metadata", () => {
  const base = newTableMetadata({
    table: SESSIONS,
    location: "file:///w/ns/sessions",
    nowMs: 1000,
    uuid: "00000000-0000-4000-8000-000000000001",
  });
  const snap = (id: string, seq: number, parent?: string): Snapshot => ({
    "snapshot-id": id,
    ...(parent ? { "parent-snapshot-id": parent } : {}),
    "sequence-number": seq,
    "timestamp-ms": 2000 + seq,
    "manifest-list": `file:///w/ns/sessions/metadata/snap-${id}-1-u.avro`,
    summary: { operation: "append" },
    "schema-id": 0,
  });

  it("declares schema, day spec, name mapping and write format", () => {
    expect(base["format-version"]).toBe(2);
    expect(base["last-column-id"]).toBe(13);
    expect(base["last-partition-id"]).toBe(1000);
    expect(base.schemas[0]!.fields[2]).toEqual({
      id: 3,
      name: "session_start",
      required: true,
      type: "timestamptz",
    });
    expect(base.schemas[0]!.fields[8]!.type).toBe("decimal(14, 2)");
    expect(base["partition-specs"][0]).toEqual(partitionSpec(SESSIONS));
    expect(base.properties["write.format.default"]).toBe("parquet");
    expect(JSON.parse(base.properties["schema.name-mapping.default"]!)[0]).toEqual({
      "field-id": 1,
      names: ["session_id"],
    });
    expect(nameMapping(icebergSchema(REJECTS))).toContain('"names":["reject_reason"]');
    const rejects = newTableMetadata({ table: REJECTS, location: "x", nowMs: 0 });
    expect(rejects["last-partition-id"]).toBe(999);
  });
  it("applies updates purely and keeps 64-bit ids exact through JSON", () => {
    const id = "9223372036854775807";
    const next = applyUpdates(
      base,
      [
        { action: "add-snapshot", snapshot: snap(id, 1) },
        { action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": id },
      ],
      5000,
    );
    expect(base.snapshots).toEqual([]);
    expect(next["current-snapshot-id"]).toBe(id);
    expect(next["last-sequence-number"]).toBe(1);
    expect(next.refs.main).toEqual({ "snapshot-id": id, type: "branch" });
    expect(next["snapshot-log"]).toEqual([{ "timestamp-ms": 5000, "snapshot-id": id }]);
    const text = serializeTableMetadata(next);
    expect(text).toContain(`"current-snapshot-id": ${id}`);
    expect(text).not.toContain(`"${id}"`);
    expect(parseTableMetadata(text, "m.json")).toEqual(next);
  });
  it("rejects stale requirements and non-increasing sequence numbers", () => {
    const next = applyUpdates(base, [{ action: "add-snapshot", snapshot: snap("1", 1) }], 1);
    expect(() =>
      checkRequirements(next, [
        { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": "1" },
      ]),
    ).toThrow(CommitConflictError);
    expect(() =>
      applyUpdates(next, [{ action: "add-snapshot", snapshot: snap("2", 1) }], 2),
    ).toThrow(CommitConflictError);
  });
  it("names corrupt metadata files and reads Java's -1 current snapshot", () => {
    expect(() => parseTableMetadata("{not json", "/w/00001-x.metadata.json")).toThrow(
      /\/w\/00001-x\.metadata\.json: metadata file is not valid JSON/,
    );
    const java = serializeTableMetadata(base).replace(
      '"refs"',
      '"current-snapshot-id": -1, "refs"',
    );
    expect(parseTableMetadata(java, "j.json")["current-snapshot-id"]).toBeUndefined();
  });
  it("numbers metadata files like Java", () => {
    expect(metadataFileName(null)).toMatch(/^00000-[0-9a-f-]{36}\.metadata\.json$/);
    expect(metadataFileName("file:///w/metadata/00041-abc.metadata.json")).toMatch(/^00042-/);
  });
  it("summarises a snapshot with totals carried from the parent", () => {
    const s = snapshotSummary({
      operation: "overwrite",
      added: [dataFile("a", DAY, 10n)],
      deleted: [dataFile("b", DAY, 4n), dataFile("c", DAY + 1, 3n)],
      parentSummary: { "total-records": "7", "total-files-size": "2468", "total-data-files": "2" },
    });
    expect(s).toMatchObject({
      operation: "overwrite",
      "added-data-files": "1",
      "added-records": "10",
      "deleted-data-files": "2",
      "deleted-records": "7",
      "changed-partition-count": "2",
      "total-records": "10",
      "total-data-files": "1",
      "total-files-size": "1234",
    });
  });
});

describe("readFooters (hyparquet) on files DuckDB and Polars wrote", () => {
  it("gives typed statistics: UTC micros, unscaled decimals, ints, text, nulls", async () => {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const pl = (await import("nodejs-polars")).default;
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "footers-"));
    try {
      const duck = join(dir, "duck.parquet");
      const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
      const con = await instance.connect();
      await con.run(
        `COPY (SELECT * FROM (VALUES
           (TIMESTAMPTZ '2026-01-01 00:00:00.000123+00', -1.25::DECIMAL(12,2), 7::INTEGER, 'b', NULL::VARCHAR),
           (TIMESTAMPTZ '2026-01-01 05:30:00+05:30', 12.30::DECIMAL(12,2), -3::INTEGER, 'a', NULL::VARCHAR)
         ) t(ts, rev, n, s, z)) TO '${duck}' (FORMAT parquet)`,
      );
      con.closeSync();
      instance.closeSync();
      const polars = join(dir, "polars.parquet");
      pl.DataFrame({
        n: pl.Series("n", [5, 9], pl.Int32),
        s: pl.Series("s", ["é", "z"]),
      }).writeParquet(polars, { compression: "snappy" });
      const footers = await readFooters([duck, polars]);
      const byColumn = (path: string) =>
        Object.fromEntries(footers.get(path)!.map((c) => [c.column, [c.min, c.max, c.nullCount]]));
      expect(byColumn(duck)).toEqual({
        ts: [1767225600000000n, 1767225600000123n, 0],
        rev: [-125n, 1230n, 0],
        n: [-3, 7, 0],
        s: ["a", "b", 0],
        z: [null, null, 2],
      });
      expect(byColumn(polars)).toEqual({ n: [5, 9, 0], s: ["z", "é", 0] });
      await expect(readFooters([join(dir, "missing.parquet")])).rejects.toThrow(
        /missing\.parquet: cannot read the Parquet footer/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
