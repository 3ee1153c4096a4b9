/**
 * How a table is described: columns with Iceberg field ids and types, and a partition spec.
 * The one declaration of these types: src/lakehouse declares the app's tables with them and
 * src/iceberg (a generic library that knows no app table) takes them as arguments. A leaf
 * module, so both may import it (docs/architecture.md).
 */

/** Iceberg primitive types the project writes and reads (Iceberg spec, "Primitive Types"). */
export type IcebergType =
  "string" | "int" | "long" | "double" | "boolean" | "timestamptz" | `decimal(${number},${number})`;

/** A column; `Type` narrows the types to the ones a caller's tables use. */
export interface ColumnDef<Type extends IcebergType = IcebergType> {
  id: number;
  name: string;
  type: Type;
  required: boolean;
}

export interface PartitionFieldDef {
  /** Partition field id; Iceberg starts them at 1000. */
  fieldId: number;
  sourceId: number;
  name: string;
  transform: "day";
}

/** A table's definition; `Name` and `Type` narrow names and types to a caller's own. */
export interface TableDef<Name extends string = string, Type extends IcebergType = IcebergType> {
  name: Name;
  columns: readonly ColumnDef<Type>[];
  partition: readonly PartitionFieldDef[];
}
