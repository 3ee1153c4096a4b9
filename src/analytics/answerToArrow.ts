import { DateDay, Float64, Table, Utf8, vectorFromArray, type Vector } from "apache-arrow";
import type { ColumnSpec, QueryAnswer } from "./NamedQuery.ts";

/**
 * An answer as an Apache Arrow table, the form charts take (Observable Plot reads Arrow tables
 * directly): int, decimal and double as Float64 (a chart needs numbers; exact values stay in
 * the QueryAnswer), date as Date32 (milliseconds when read), text as Utf8.
 */
export function answerToArrow(answer: QueryAnswer): Table {
  const vectors: Record<string, Vector> = {};
  answer.columns.forEach((col: ColumnSpec, i) => {
    const values = answer.rows.map((r) => r[i] ?? null);
    switch (col.kind) {
      case "int":
      case "decimal":
      case "double":
        vectors[col.name] = vectorFromArray(
          values.map((v) => (v === null ? null : Number(v))),
          new Float64(),
        );
        break;
      case "date":
        vectors[col.name] = vectorFromArray(
          values.map((v) => (v === null ? null : new Date(`${String(v)}T00:00:00Z`))),
          new DateDay(),
        );
        break;
      case "text":
        vectors[col.name] = vectorFromArray(
          values.map((v) => (v === null ? null : String(v))),
          new Utf8(),
        );
        break;
    }
  });
  return new Table(vectors);
}
