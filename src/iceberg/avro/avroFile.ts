import { randomBytes } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import avro from "avsc";

/**
 * Avro object container files (Avro spec, "Object Container Files"), written and read whole in
 * memory: Iceberg manifests and manifest lists are small. We write the header ourselves from the
 * raw schema object so Iceberg's `field-id` / `element-id` attributes survive byte for byte.
 */

/** Iceberg longs are 64-bit (snapshot ids use all 63 bits), so every Avro long is a bigint. */
const BigIntLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (v: unknown) => BigInt(v as string),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === "bigint",
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
});

const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]);
const META_TYPE = avro.Type.forSchema({ type: "map", values: "bytes" });
const COUNT_TYPE = avro.Type.forSchema("long");

export type AvroSchema = Record<string, unknown>;

/** Builds an avsc type whose longs are bigints (see BigIntLong). */
export function avroType(schema: AvroSchema): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, { registry: { long: BigIntLong } });
}

export interface AvroFile<T> {
  schema: AvroSchema;
  metadata: Record<string, string>;
  records: T[];
}

/** Encodes one container file with a single block, null codec (what readers must all accept). */
export function encodeAvroFile(
  schema: AvroSchema,
  records: unknown[],
  metadata: Record<string, string>,
): Buffer {
  const type = avroType(schema);
  const meta: Record<string, Buffer> = {
    "avro.schema": Buffer.from(JSON.stringify(schema)),
    "avro.codec": Buffer.from("null"),
  };
  for (const [k, v] of Object.entries(metadata)) meta[k] = Buffer.from(v);
  const sync = randomBytes(16);
  const parts: Buffer[] = [MAGIC, META_TYPE.toBuffer(meta), sync];
  if (records.length > 0) {
    const body = Buffer.concat(records.map((r) => type.toBuffer(r)));
    parts.push(COUNT_TYPE.toBuffer(records.length), COUNT_TYPE.toBuffer(body.length), body, sync);
  }
  return Buffer.concat(parts);
}

/** Decodes a container file (null or deflate codec); `name` is used in error messages. */
export function decodeAvroFile<T>(buf: Buffer, name: string): AvroFile<T> {
  if (buf.length < 4 || !buf.subarray(0, 4).equals(MAGIC)) {
    throw new Error(`${name}: not an Avro container file (bad magic); the file is corrupt`);
  }
  try {
    const head = META_TYPE.decode(buf, 4) as { value: Record<string, Buffer>; offset: number };
    const metaRaw = head.value;
    let pos = head.offset;
    const sync = buf.subarray(pos, pos + 16);
    pos += 16;
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(metaRaw)) metadata[k] = v.toString("utf8");
    const schema = JSON.parse(metadata["avro.schema"] ?? "null") as AvroSchema;
    const codec = metadata["avro.codec"] ?? "null";
    if (codec !== "null" && codec !== "deflate") {
      throw new Error(`unsupported Avro codec ${codec}`);
    }
    const type = avroType(schema);
    const records: T[] = [];
    while (pos < buf.length) {
      const count = COUNT_TYPE.decode(buf, pos) as { value: number; offset: number };
      const size = COUNT_TYPE.decode(buf, count.offset) as { value: number; offset: number };
      const start = size.offset;
      let block = buf.subarray(start, start + size.value);
      if (block.length !== size.value) throw new Error("truncated block");
      if (codec === "deflate") block = inflateRawSync(block);
      let off = 0;
      for (let i = 0; i < count.value; i++) {
        const rec = type.decode(block, off) as { value: T; offset: number };
        if (rec.offset < 0) throw new Error("truncated record");
        records.push(rec.value);
        off = rec.offset;
      }
      pos = start + size.value;
      if (!buf.subarray(pos, pos + 16).equals(sync)) throw new Error("sync marker mismatch");
      pos += 16;
    }
    return { schema, metadata, records };
  } catch (err) {
    throw new Error(
      `${name}: cannot decode Avro file (${(err as Error).message}); the file is corrupt`,
    );
  }
}
