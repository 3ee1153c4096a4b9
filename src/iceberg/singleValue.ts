import { decimalOf } from "./schema.ts";

/**
 * Iceberg's single-value binary serialization (Iceberg spec, Appendix D), used for
 * lower_bounds / upper_bounds and partition summaries. In memory: int/date -> number,
 * long/timestamptz (micros) -> bigint, decimal -> bigint unscaled, double -> number,
 * boolean -> boolean, string -> string.
 */
export type BoundValue = number | bigint | boolean | string;

export function encodeValue(type: string, value: BoundValue): Buffer {
  if (decimalOf(type)) return encodeDecimal(value as bigint);
  switch (type) {
    case "boolean":
      return Buffer.from([value ? 1 : 0]);
    case "int":
    case "date": {
      const b = Buffer.alloc(4);
      b.writeInt32LE(value as number);
      return b;
    }
    case "long":
    case "timestamp":
    case "timestamptz": {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt(value as bigint));
      return b;
    }
    case "double": {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(value as number);
      return b;
    }
    case "string":
      return Buffer.from(value as string, "utf8");
    default:
      throw new Error(`single-value serialization of ${type} is not implemented`);
  }
}

export function decodeValue(type: string, buf: Buffer): BoundValue {
  if (decimalOf(type)) return decodeDecimal(buf);
  switch (type) {
    case "boolean":
      return buf[0] !== 0;
    case "int":
    case "date":
      return buf.readInt32LE(0);
    case "long":
    case "timestamp":
    case "timestamptz":
      return buf.readBigInt64LE(0);
    case "double":
      return buf.readDoubleLE(0);
    case "string":
      return buf.toString("utf8");
    default:
      throw new Error(`single-value serialization of ${type} is not implemented`);
  }
}

/** Minimal big-endian two's complement bytes of the unscaled value. */
export function encodeDecimal(unscaled: bigint): Buffer {
  const bytes: number[] = [];
  let v = unscaled;
  for (;;) {
    const byte = Number(BigInt.asUintN(8, v));
    bytes.unshift(byte);
    v >>= 8n;
    const signBit = (byte & 0x80) !== 0;
    if ((v === 0n && !signBit) || (v === -1n && signBit)) break;
  }
  return Buffer.from(bytes);
}

export function decodeDecimal(buf: Buffer): bigint {
  let v = 0n;
  for (const b of buf) v = (v << 8n) | BigInt(b);
  return BigInt.asIntN(buf.length * 8, v);
}

/** Byte-wise unsigned comparison for strings (the order Iceberg defines for bounds). */
export function compareValues(a: BoundValue, b: BoundValue): number {
  if (typeof a === "string" && typeof b === "string") {
    return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
  }
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Truncated string bounds (Iceberg's default metrics mode truncate(16), in code points): the
 * lower bound is a prefix; the upper bound is a prefix whose last code point is incremented so
 * it still sorts after every value, or null when no such prefix exists.
 */
export function truncateLower(s: string, length = 16): string {
  const cps = Array.from(s);
  return cps.length <= length ? s : cps.slice(0, length).join("");
}

export function truncateUpper(s: string, length = 16): string | null {
  const cps = Array.from(s);
  if (cps.length <= length) return s;
  const prefix = cps.slice(0, length);
  for (let i = prefix.length - 1; i >= 0; i--) {
    let cp = prefix[i]!.codePointAt(0)! + 1;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xe000;
    if (cp <= 0x10ffff) return prefix.slice(0, i).join("") + String.fromCodePoint(cp);
  }
  return null;
}
