import { existsSync } from "node:fs";
import { join } from "node:path";
import { localFileIO } from "../iceberg/fileIO.ts";
import { loadTable } from "../iceberg/loadTable.ts";
import { SqlCatalog } from "../iceberg/SqlCatalog.ts";
import { currentSnapshot } from "../iceberg/tableMetadata.ts";
import { INPUT_FINGERPRINT_KEY } from "../input/fingerprintInput.ts";

/**
 * The snapshot of `<namespace>.events` whose data is still live and came from an input with
 * this fingerprint, or null: walks the current snapshot's ancestors back to the last
 * overwrite (whatever came before it was replaced). Used to refuse appending the same input
 * twice (docs/hardening.md).
 */
export async function findInputInNamespace(
  warehouse: string,
  namespace: string,
  fingerprint: string,
): Promise<{ snapshotId: string; committedAt: string } | null> {
  if (!existsSync(join(warehouse, "catalog.db"))) return null;
  const catalog = new SqlCatalog(warehouse);
  try {
    if (catalog.metadataLocation(namespace, "events") === null) return null;
    const { metadata } = await loadTable(catalog, localFileIO, namespace, "events");
    const byId = new Map(metadata.snapshots.map((s) => [s["snapshot-id"], s]));
    for (let s = currentSnapshot(metadata); s;) {
      if (s.summary[INPUT_FINGERPRINT_KEY] === fingerprint) {
        return {
          snapshotId: s["snapshot-id"],
          committedAt: new Date(s["timestamp-ms"]).toISOString(),
        };
      }
      if (s.summary.operation === "overwrite") return null;
      const parent = s["parent-snapshot-id"];
      s = (parent ? byId.get(parent) : undefined) ?? null;
    }
    return null;
  } finally {
    catalog.close();
  }
}
