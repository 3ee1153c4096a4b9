/**
 * What a caller tells this library about a table: its columns with field ids and its partition
 * spec (declared once in src/schema, re-exported here as part of this library's API), and the
 * data files it staged. The library knows no application table (like pyiceberg's writer).
 */
import type { TableDef } from "../schema/tableDef.ts";

export type { ColumnDef, IcebergType, PartitionFieldDef, TableDef } from "../schema/tableDef.ts";

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
