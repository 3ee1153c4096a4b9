/** One value pre-encoded for the CSV writer, so the hot loop only copies bytes. */
export interface EncodedField {
  text: string;
  /** The whole field as written: RFC 4180 quoted when needed. */
  bytes: Uint8Array;
  /** The value with quotes doubled but without surrounding quotes (for padded variants). */
  inner: Uint8Array;
}

const NEEDS_QUOTES = /[",\r\n]|^[ \t]|[ \t]$/;

/**
 * RFC 4180 encoding, quoting exactly when the shared canonical form does (comma, quote,
 * CR, LF, leading or trailing whitespace). Never produces `""`: an empty value is written
 * as an empty unquoted field, which every engine reads as null (spec: Input).
 */
export function encodeCsvField(text: string): EncodedField {
  const doubled = text.replace(/"/g, '""');
  const inner = Buffer.from(doubled, "utf8");
  if (text === "" || !NEEDS_QUOTES.test(text)) return { text, bytes: inner, inner };
  return { text, bytes: Buffer.from(`"${doubled}"`, "utf8"), inner };
}
