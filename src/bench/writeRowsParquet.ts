import { writeFileSync } from "node:fs";
import { parquetWriteBuffer } from "hyparquet-writer";
import type { BenchRow } from "./BenchRow.ts";
import schema from "./benchRow.schema.json" with { type: "json" };

/**
 * The rows as one Parquet file, one column per schema field in schema order: numbers as
 * DOUBLE, booleans as BOOLEAN, text as STRING, and the nested fields (phases, fingerprints,
 * host, load_avg_before) as JSON text, so a reader needs no nested types.
 */
export function writeRowsParquet(rows: readonly BenchRow[], file: string): void {
  const columnData = Object.entries(schema.properties).map(([name, def]) => {
    const types = ([] as unknown[]).concat((def as { type?: unknown }).type ?? "string");
    const values = rows.map((r) => (r as unknown as Record<string, unknown>)[name] ?? null);
    if (types.includes("object") || types.includes("array") || "oneOf" in def) {
      return {
        name,
        type: "STRING" as const,
        data: values.map((v) => (v === null ? null : JSON.stringify(v))),
      };
    }
    if (types.includes("number") || types.includes("integer")) {
      return {
        name,
        type: "DOUBLE" as const,
        data: values.map((v) => (v === null ? null : Number(v))),
      };
    }
    if (types.includes("boolean")) return { name, type: "BOOLEAN" as const, data: values };
    return {
      name,
      type: "STRING" as const,
      data: values.map((v) => (v === null ? null : String(v))),
    };
  });
  writeFileSync(file, Buffer.from(parquetWriteBuffer({ columnData })));
}
