import type { StagedTable } from "../engines/Engine.ts";
import type { TableName } from "../lakehouse/tables.ts";

export interface CommitStagedTablesArgs {
  warehouse: string;
  namespace: string;
  mode: "overwrite" | "append";
  tables: StagedTable[];
  properties?: Record<string, string>;
}

export interface CommittedTable {
  table: TableName;
  snapshotId: string;
  metadataLocation: string;
  addedFiles: number;
  addedRecords: number;
}

/**
 * Commits each staged table as one Iceberg v2 snapshot in the SQL catalog at
 * `<warehouse>/catalog.db`, creating the namespace and tables when absent.
 * (Signature agreed in the common brief; the implementation lands next.)
 */
export async function commitStagedTables(args: CommitStagedTablesArgs): Promise<CommittedTable[]> {
  throw new Error(
    `commitStagedTables(${args.namespace}, ${args.tables.length} tables): Iceberg writer not implemented yet`,
  );
}
