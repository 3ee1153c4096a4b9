import { closeSync, ftruncateSync, openSync, readSync, fstatSync, writeSync } from "node:fs";

/**
 * Parquet footer surgery that nodejs-polars cannot do itself (docs/polars-notes.md):
 * - set `field_id` on every top-level column (Iceberg spec, "Column Projection": readers map
 *   columns by field id), given by the caller;
 * - drop the key-value metadata, i.e. Polars' embedded `ARROW:schema`, which declares every
 *   string `string_view`: pyarrow then reads strings as string_view, and PyIceberg's row
 *   filters fail on them ("array_filter has no kernel matching string_view").
 * Only the footer (Thrift compact FileMetaData, parquet.thrift) changes; data pages and their
 * absolute offsets stay where they are, so the file is cut before the footer and a new footer
 * is appended.
 *
 * Hand-written on purpose: hyparquet reads footers but only into converted objects (it cannot
 * write one back), and hyparquet-writer writes whole files from rows; neither rewrites the
 * footer of an existing file. The codec below keeps every field it does not touch as raw
 * Thrift, so nothing else in the footer changes. Footers are *read* with hyparquet everywhere
 * else (src/iceberg/dataFileStats.ts).
 */
export function rewriteFooter(path: string, fieldIds: ReadonlyMap<string, number>): void {
  const fd = openSync(path, "r+");
  try {
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(8);
    readSync(fd, tail, 0, 8, size - 8);
    if (tail.toString("latin1", 4) !== "PAR1") throw new Error(`${path}: not a Parquet file`);
    const footerLength = tail.readUInt32LE(0);
    const footerStart = size - 8 - footerLength;
    const footer = Buffer.alloc(footerLength);
    readSync(fd, footer, 0, footerLength, footerStart);
    const meta = new Reader(footer).struct();
    const rewritten = withFieldIds(meta, fieldIds, path);
    const out = new Writer();
    out.struct(rewritten.filter((f) => f.id !== KEY_VALUE_METADATA));
    const body = out.bytes();
    const end = Buffer.alloc(8);
    end.writeUInt32LE(body.length, 0);
    end.write("PAR1", 4, "latin1");
    ftruncateSync(fd, footerStart);
    writeSync(fd, body, 0, body.length, footerStart);
    writeSync(fd, end, 0, 8, footerStart + body.length);
  } finally {
    closeSync(fd);
  }
}

// parquet.thrift field ids.
const FILE_SCHEMA = 2;
const KEY_VALUE_METADATA = 5;
const SCHEMA_NAME = 4;
const SCHEMA_NUM_CHILDREN = 5;
const SCHEMA_FIELD_ID = 9;

// Thrift compact protocol type codes.
const T_TRUE = 1;
const T_FALSE = 2;
const T_I8 = 3;
const T_I16 = 4;
const T_I32 = 5;
const T_I64 = 6;
const T_DOUBLE = 7;
const T_BINARY = 8;
const T_LIST = 9;
const T_SET = 10;
const T_MAP = 11;
const T_STRUCT = 12;

type Value =
  | { kind: "raw"; bytes: Buffer }
  | { kind: "bool"; value: boolean }
  | { kind: "struct"; fields: Field[] }
  | { kind: "list"; elemType: number; items: Value[] };

interface Field {
  id: number;
  type: number;
  value: Value;
}

/** Sets field_id on the root's direct children (a flat schema: our tables have no nesting). */
function withFieldIds(meta: Field[], ids: ReadonlyMap<string, number>, path: string): Field[] {
  const schema = meta.find((f) => f.id === FILE_SCHEMA);
  if (schema?.value.kind !== "list") throw new Error(`${path}: Parquet footer has no schema`);
  const elements = schema.value.items;
  elements.forEach((el, i) => {
    if (el.kind !== "struct") throw new Error(`${path}: unexpected Parquet schema element`);
    if (i === 0) return; // the root
    if (el.fields.some((f) => f.id === SCHEMA_NUM_CHILDREN && f.value.kind === "raw"))
      throw new Error(`${path}: nested Parquet columns are not expected here`);
    const nameField = el.fields.find((f) => f.id === SCHEMA_NAME);
    const name = nameField?.value.kind === "raw" ? decodeBinary(nameField.value.bytes) : "";
    const id = ids.get(name);
    if (id === undefined) throw new Error(`${path}: column ${name} is not in the table schema`);
    const fields = el.fields.filter((f) => f.id !== SCHEMA_FIELD_ID);
    fields.push({
      id: SCHEMA_FIELD_ID,
      type: T_I32,
      value: { kind: "raw", bytes: zigzagVarint(id) },
    });
    fields.sort((a, b) => a.id - b.id);
    el.fields = fields;
  });
  return meta;
}

function decodeBinary(raw: Buffer): string {
  const r = new Reader(raw);
  const n = r.varint();
  return raw.toString("utf8", r.pos, r.pos + n);
}

function zigzagVarint(n: number): Buffer {
  let v = n >= 0 ? n * 2 : -n * 2 - 1;
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  byte(): number {
    if (this.pos >= this.buf.length) throw new Error("Parquet footer ends early");
    return this.buf[this.pos++]!;
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
  }

  struct(): Field[] {
    const fields: Field[] = [];
    let last = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === 0) return fields;
      const delta = header >> 4;
      let id: number;
      if (delta === 0) {
        const z = this.varint();
        id = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      } else {
        id = last + delta;
      }
      last = id;
      const value: Value =
        type === T_TRUE || type === T_FALSE
          ? { kind: "bool", value: type === T_TRUE }
          : this.value(type);
      fields.push({ id, type, value });
    }
  }

  value(type: number): Value {
    const start = this.pos;
    switch (type) {
      case T_TRUE:
      case T_FALSE:
      case T_I8:
        this.pos += 1;
        break;
      case T_I16:
      case T_I32:
      case T_I64:
        this.varint();
        break;
      case T_DOUBLE:
        this.pos += 8;
        break;
      case T_BINARY: {
        const length = this.varint();
        this.pos += length;
        break;
      }
      case T_LIST:
      case T_SET: {
        const header = this.byte();
        let size = header >> 4;
        if (size === 15) size = this.varint();
        const elemType = header & 0x0f;
        const items: Value[] = [];
        for (let i = 0; i < size; i++) items.push(this.value(elemType));
        return { kind: "list", elemType, items };
      }
      case T_MAP: {
        const size = this.varint();
        if (size > 0) {
          const kv = this.byte();
          for (let i = 0; i < size; i++) {
            this.value(kv >> 4);
            this.value(kv & 0x0f);
          }
        }
        break;
      }
      case T_STRUCT:
        return { kind: "struct", fields: this.struct() };
      default:
        throw new Error(`Parquet footer: unknown Thrift type ${type}`);
    }
    if (this.pos > this.buf.length) throw new Error("Parquet footer ends early");
    return { kind: "raw", bytes: this.buf.subarray(start, this.pos) };
  }
}

class Writer {
  private readonly parts: Buffer[] = [];

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }

  private push(...bytes: number[]): void {
    this.parts.push(Buffer.from(bytes));
  }

  struct(fields: Field[]): void {
    let last = 0;
    for (const f of fields) {
      const type = f.value.kind === "bool" ? (f.value.value ? T_TRUE : T_FALSE) : f.type;
      const delta = f.id - last;
      if (delta > 0 && delta <= 15) this.push((delta << 4) | type);
      else {
        this.push(type);
        this.parts.push(zigzagVarint(f.id));
      }
      last = f.id;
      if (f.value.kind !== "bool") this.value(f.value);
    }
    this.push(0);
  }

  value(v: Value): void {
    switch (v.kind) {
      case "raw":
        this.parts.push(v.bytes);
        return;
      case "bool":
        // Only reached inside lists, where a bool is one byte (1 = true, 2 = false).
        this.push(v.value ? T_TRUE : T_FALSE);
        return;
      case "struct":
        this.struct(v.fields);
        return;
      case "list":
        if (v.items.length < 15) this.push((v.items.length << 4) | v.elemType);
        else {
          this.push(0xf0 | v.elemType);
          this.parts.push(unsignedVarint(v.items.length));
        }
        for (const item of v.items) this.value(item);
        return;
    }
  }
}

function unsignedVarint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}
