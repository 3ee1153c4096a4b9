import { localFileIO } from "../iceberg/fileIO.ts";
import { loadTable } from "../iceberg/loadTable.ts";
import { planFiles } from "../iceberg/scanTable.ts";
import { SqlCatalog } from "../iceberg/SqlCatalog.ts";
import { TABLES, type TableName } from "../lakehouse/tables.ts";
import { type FingerprintOptions, tableFingerprint } from "../verify/tableFingerprint.ts";

/**
 * tableFingerprint of the current snapshot of events, sessions and rejects in `namespace`,
 * read back from the Iceberg warehouse (the catalog's metadata, then the live data files):
 * what a reader of the lakehouse sees, whichever engine wrote it. A missing table is null.
 * `options.threads`: DuckDB threads for the fingerprint query (the benchmark passes the
 * cell's threads).
 */
export async function warehouseFingerprints(
  warehouse: string,
  namespace: string,
  options: FingerprintOptions = {},
): Promise<Record<TableName, string | null>> {
  const catalog = new SqlCatalog(warehouse);
  try {
    const out: Record<TableName, string | null> = { events: null, sessions: null, rejects: null };
    for (const name of Object.keys(out) as TableName[]) {
      if (!catalog.listTables().some((t) => t.namespace === namespace && t.name === name)) continue;
      const { metadata } = await loadTable(catalog, localFileIO, namespace, name);
      const plan = await planFiles(localFileIO, metadata);
      out[name] = await tableFingerprint(
        TABLES[name],
        plan.files.map((f) => f.file_path),
        options,
      );
    }
    return out;
  } finally {
    catalog.close();
  }
}
