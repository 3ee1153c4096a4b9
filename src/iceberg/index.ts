/** Public surface of the Iceberg writer and reader. */
export { commitStagedTables, type CommittedTable } from "./commitStagedTables.ts";
export { attachIcebergViews, openIcebergDuckDb, type IcebergView } from "./openIcebergDuckDb.ts";
export { loadTable } from "./loadTable.ts";
export { planFiles, type DayRange, type ScanPlan } from "./scanTable.ts";
export { SqlCatalog } from "./SqlCatalog.ts";
export { localFileIO, type FileIO } from "./fileIO.ts";
export { CommitConflictError, IcebergFileError, NoSuchTableError } from "./errors.ts";
