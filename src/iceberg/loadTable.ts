import type { FileIO } from "./fileIO.ts";
import { parseTableMetadata } from "./metadataJson.ts";
import type { SqlCatalog } from "./SqlCatalog.ts";
import type { TableMetadata } from "./types.ts";

export interface LoadedTable {
  namespace: string;
  name: string;
  metadataLocation: string;
  metadata: TableMetadata;
}

export async function loadTable(
  catalog: SqlCatalog,
  io: FileIO,
  namespace: string,
  name: string,
): Promise<LoadedTable> {
  const metadataLocation = catalog.requireMetadataLocation(namespace, name);
  const text = (await io.read(metadataLocation)).toString("utf8");
  return {
    namespace,
    name,
    metadataLocation,
    metadata: parseTableMetadata(text, metadataLocation),
  };
}
