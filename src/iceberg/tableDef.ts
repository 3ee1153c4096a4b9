/**
 * What a caller tells this library about a table: its columns with field ids and its partition
 * spec. The library knows no application table (like pyiceberg's writer); callers pass these in.
 */

/** Iceberg primitive types this library writes and reads (Iceberg spec, "Primitive Types"). */
export type IcebergType =
  "string" | "int" | "long" | "double" | "boolean" | "timestamptz" | `decimal(${number},${number})`;

export interface ColumnDef {
  id: number;
  name: string;
  type: IcebergType;
  required: boolean;
}

export interface PartitionFieldDef {
  /** Partition field id; Iceberg starts them at 1000. */
  fieldId: number;
  sourceId: number;
  name: string;
  transform: "day";
}

export interface TableDef {
  name: string;
  columns: readonly ColumnDef[];
  partition: readonly PartitionFieldDef[];
}

/** One Parquet file written by a caller, ready to be added to a table. */
export interface StagedDataFile {
  path: string;
  /** Days since 1970-01-01 of the partition (day transform), null for unpartitioned tables. */
  partitionDay: number | null;
  recordCount: number;
}

/** The staged files of one table, with the table's definition. */
export interface StagedTable {
  table: TableDef;
  files: readonly StagedDataFile[];
}
