import type { IcebergType, TableDef } from "./tableDef.ts";
import type { IcebergSchema, PartitionSpec } from "./types.ts";

/**
 * Iceberg JSON type strings (Iceberg spec, Appendix C). Java's parser wants a space after the
 * comma in decimal(P, S); PyIceberg accepts either.
 */
export function icebergTypeJson(type: IcebergType): string {
  const m = /^decimal\((\d+),(\d+)\)$/.exec(type);
  return m ? `decimal(${m[1]}, ${m[2]})` : type;
}

/** Parses "decimal(12, 2)" into precision and scale; null for other types. */
export function decimalOf(type: string): { precision: number; scale: number } | null {
  const m = /^decimal\((\d+),\s*(\d+)\)$/.exec(type);
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : null;
}

export function icebergSchema(table: TableDef): IcebergSchema {
  return {
    type: "struct",
    "schema-id": 0,
    fields: table.columns.map((c) => ({
      id: c.id,
      name: c.name,
      required: c.required,
      type: icebergTypeJson(c.type),
    })),
  };
}

export function partitionSpec(table: TableDef): PartitionSpec {
  return {
    "spec-id": 0,
    fields: table.partition.map((p) => ({
      name: p.name,
      transform: p.transform,
      "source-id": p.sourceId,
      "field-id": p.fieldId,
    })),
  };
}

/**
 * `schema.name-mapping.default` (Iceberg spec, "Column Projection" / name mapping): readers map
 * Parquet columns without field ids to table columns by these names.
 */
export function nameMapping(schema: IcebergSchema): string {
  return JSON.stringify(schema.fields.map((f) => ({ "field-id": f.id, names: [f.name] })));
}

/** DuckDB SQL type of an Iceberg primitive, for views over the data files. */
export function duckDbType(type: string): string {
  const dec = decimalOf(type);
  if (dec) return `DECIMAL(${dec.precision},${dec.scale})`;
  const map: Record<string, string> = {
    string: "VARCHAR",
    int: "INTEGER",
    long: "BIGINT",
    double: "DOUBLE",
    float: "FLOAT",
    boolean: "BOOLEAN",
    timestamptz: "TIMESTAMPTZ",
    timestamp: "TIMESTAMP",
    date: "DATE",
  };
  const t = map[type];
  if (!t) throw new Error(`Iceberg type ${type} has no DuckDB mapping in src/iceberg/schema.ts`);
  return t;
}
