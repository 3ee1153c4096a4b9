import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { TableDef } from "../lakehouse/tables.ts";
import { canonicalValue } from "./canonical.ts";

/**
 * The REFERENCE implementation of the table fingerprint (one row at a time in JavaScript, one
 * thread): the definition that src/verify/tableFingerprint.ts (all in DuckDB SQL) is tested
 * against, and its fallback for data outside what the SQL form reproduces.
 *
 * Order-independent fingerprint of a table stored in Parquet files, for tables too large
 * to sort in memory (the benchmark's 10M and 100M cells). Each row becomes its canonical
 * line (the same field text as toCanonicalCsv, src/verify/canonical.ts: canonicalValue per
 * column, comma-joined); the line's sha256 is cut into two 64-bit words and the words are
 * summed modulo 2^64 over all rows. A sum does not depend on the row order, and a multiset
 * of lines gives one value: two engines that wrote the same rows, in any files and any
 * order, get the same fingerprint. Rows stream from DuckDB chunk by chunk, so memory stays
 * flat at any size. Form: `v1:<rows>:<32 hex digits>`.
 */
export async function tableFingerprintReference(
  table: TableDef,
  files: readonly string[],
): Promise<string> {
  const acc = new BigUint64Array(2);
  let rows = 0;
  if (files.length > 0) {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:", { memory_limit: "1GB", threads: "1" });
    const con = await db.connect();
    try {
      const list = files.map((f) => `'${localPath(f).replaceAll("'", "''")}'`).join(", ");
      const select = table.columns.map((c) => {
        const q = `"${c.name}"`;
        switch (c.type) {
          case "timestamptz":
            return `epoch_us(${q})`;
          case "decimal(12,2)":
          case "decimal(14,2)":
            return `CAST(CAST(${q} AS DECIMAL(18,2)) AS VARCHAR)`;
          case "int":
          case "long":
            return `CAST(${q} AS BIGINT)`;
          default:
            return q;
        }
      });
      const result = await con.stream(
        `SELECT ${select.join(", ")} FROM read_parquet([${list}], union_by_name = true)`,
      );
      const cols = table.columns;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (chunk === null || chunk.rowCount === 0) break;
        for (const values of chunk.getRows()) {
          let line = "";
          for (let i = 0; i < cols.length; i++) {
            if (i > 0) line += ",";
            line += canonicalValue(cols[i], values[i]);
          }
          const digest = createHash("sha256").update(line, "utf8").digest();
          acc[0] += digest.readBigUInt64LE(0);
          acc[1] += digest.readBigUInt64LE(8);
          rows++;
        }
      }
    } finally {
      con.closeSync();
      db.closeSync();
    }
  }
  const hex = (v: bigint) => v.toString(16).padStart(16, "0");
  return `v1:${rows}:${hex(acc[0])}${hex(acc[1])}`;
}

/** A Parquet file's location (`file:` URL or path) as a local path. */
export function localPath(location: string): string {
  return location.startsWith("file:") ? fileURLToPath(location) : location;
}
