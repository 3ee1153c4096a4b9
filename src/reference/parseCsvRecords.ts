import { RAW_COLUMNS } from "../lakehouse/tables.ts";
import { firstInvalidUtf8 } from "../input/firstInvalidUtf8.ts";
import { InputFormatError } from "./InputFormatError.ts";

export interface CsvRecord {
  /** 1-based physical line where the record starts (header = 1). */
  line: number;
  fields: string[];
  /** Whether each field was written quoted (`""` is quoted empty text). */
  quoted: boolean[];
}

/**
 * Strict RFC 4180 reader (spec §I2): UTF-8 only (a leading BOM is skipped), LF or CRLF
 * record ends, optional final line break, `"` quoting with `""` escapes, no quote inside
 * an unquoted field or after a closing quote. Returns the header and the other records
 * unchecked for field count; throws InputFormatError naming the file and line.
 */
export function parseCsvRecords(
  bytes: Uint8Array,
  file: string,
): { header: string[]; records: CsvRecord[] } {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    let line = 1;
    for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) line++;
    throw new InputFormatError({
      file,
      line,
      message: `${file} line ${line}: bytes that are not UTF-8 (byte offset ${bad}, 0x${bytes[bad].toString(16).padStart(2, "0")}) (spec §I2); re-encode the file as UTF-8`,
    });
  }
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  if (text.startsWith("\uFEFF")) text = text.slice(1);

  const records = splitRecords(text, file);
  if (records.length === 0) {
    throw new InputFormatError({
      file,
      line: 1,
      column: RAW_COLUMNS[0],
      message: `${file}: header lacks column ${RAW_COLUMNS[0]} (the file is empty) (spec §I3); the first line must name ${RAW_COLUMNS.join(", ")}`,
    });
  }
  return { header: records[0].fields, records: records.slice(1) };
}

function splitRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const rec: CsvRecord = { line, fields: [], quoted: [] };
    // One record: fields separated by commas up to LF, CRLF or the end of the text.
    for (;;) {
      let field = "";
      const isQuoted = text[i] === '"';
      if (isQuoted) {
        const openLine = line;
        i++;
        for (;;) {
          if (i >= n) {
            throw new InputFormatError({
              file,
              line: openLine,
              message: `${file} line ${openLine}: a quoted field is never closed (unbalanced quote) (spec §I2; the line is where it opens); close it or double the quote ("")`,
            });
          }
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === "\n") line++;
          field += c;
          i++;
        }
        const next = text[i];
        if (i < n && next !== "," && next !== "\n" && !(next === "\r" && text[i + 1] === "\n")) {
          throw new InputFormatError({
            file,
            line,
            message: `${file} line ${line}: text after the closing quote of a field (unbalanced quote) (spec §I2); double quotes inside quoted fields ("")`,
          });
        }
      } else {
        const start = i;
        while (
          i < n &&
          text[i] !== "," &&
          text[i] !== "\n" &&
          !(text[i] === "\r" && text[i + 1] === "\n")
        ) {
          if (text[i] === '"') {
            throw new InputFormatError({
              file,
              line,
              message: `${file} line ${line}: a quote inside an unquoted field (unbalanced quote) (spec §I2); quote the whole field and double inner quotes ("")`,
            });
          }
          i++;
        }
        field = text.slice(start, i);
      }
      rec.fields.push(field);
      rec.quoted.push(isQuoted);
      if (i >= n) break;
      if (text[i] === ",") {
        i++;
        continue;
      }
      i += text[i] === "\r" ? 2 : 1;
      line++;
      break;
    }
    records.push(rec);
  }
  return records;
}
