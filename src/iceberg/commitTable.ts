import type { TableDef } from "./tableDef.ts";
import { CommitConflictError } from "./errors.ts";
import type { FileIO } from "./fileIO.ts";
import { loadTable } from "./loadTable.ts";
import { serializeTableMetadata } from "./metadataJson.ts";
import type { SqlCatalog } from "./SqlCatalog.ts";
import { stageSnapshot } from "./stageSnapshot.ts";
import {
  applyUpdates,
  checkRequirements,
  metadataFileName,
  newTableMetadata,
  withPreviousMetadata,
} from "./tableMetadata.ts";
import type { DataFile, Snapshot } from "./types.ts";

export interface CommitResult {
  snapshot: Snapshot;
  metadataLocation: string;
  attempts: number;
}

/** Creates the table (empty, no snapshot) unless it exists; safe against a concurrent creator. */
export async function ensureTable(args: {
  catalog: SqlCatalog;
  io: FileIO;
  namespace: string;
  table: TableDef;
  location: string;
  properties?: Record<string, string>;
}): Promise<void> {
  const { catalog, io, namespace, table } = args;
  catalog.createNamespace(namespace);
  if (catalog.metadataLocation(namespace, table.name)) return;
  const md = newTableMetadata({
    table,
    location: args.location,
    properties: args.properties,
    nowMs: Date.now(),
  });
  const loc = `${args.location}/metadata/${metadataFileName(null)}`;
  await io.writeNew(loc, Buffer.from(serializeTableMetadata(md)));
  if (!catalog.createTable(namespace, table.name, loc)) await io.delete(loc);
}

/** One table's next metadata, written and ready for the catalog's compare-and-swap. */
export interface PreparedCommit {
  namespace: string;
  name: string;
  /** Metadata location the swap expects (the one this commit was staged on). */
  expected: string;
  /** The new metadata location. */
  next: string;
  snapshot: Snapshot;
  /** Manifests, manifest list and metadata file written: orphans unless the swap happens. */
  written: string[];
}

/** What one table's commit adds, and where: the arguments prepareCommit and commitTable share. */
export interface TableCommitRequest {
  catalog: SqlCatalog;
  io: FileIO;
  namespace: string;
  name: string;
  operation: "append" | "overwrite";
  dataFiles: DataFile[];
  /** Extra snapshot summary entries. */
  summaryProperties?: Record<string, string>;
}

/** prepare + stage for one table: manifests, manifest list and the next metadata file. */
export async function prepareCommit(
  args: TableCommitRequest & {
    attempt: number;
    /** Crash-test point: manifests and list written, metadata file not yet. */
    afterManifests?: () => Promise<void>;
  },
): Promise<PreparedCommit> {
  const { catalog, io, namespace, name, operation } = args;
  const base = await loadTable(catalog, io, namespace, name);
  const nowMs = Date.now();
  const staged = await stageSnapshot({
    io,
    metadata: base.metadata,
    operation,
    dataFiles: args.dataFiles,
    nowMs,
    attempt: args.attempt,
    summaryProperties: args.summaryProperties,
  });
  await args.afterManifests?.();
  checkRequirements(base.metadata, staged.requirements);
  const next = withPreviousMetadata(
    applyUpdates(base.metadata, staged.updates, nowMs),
    base.metadata,
    base.metadataLocation,
  );
  const loc = `${base.metadata.location}/metadata/${metadataFileName(base.metadataLocation)}`;
  await io.writeNew(loc, Buffer.from(serializeTableMetadata(next)));
  return {
    namespace,
    name,
    expected: base.metadataLocation,
    next: loc,
    snapshot: staged.snapshot,
    written: [...staged.written, loc],
  };
}

/**
 * prepare -> stage -> commit for one table. The commit is the catalog's compare-and-swap of
 * the metadata location; a lost race means another snapshot landed first. An append then
 * re-stages on top of the fresh metadata (its files are still valid); an overwrite fails with
 * CommitConflictError, because replacing data someone just wrote must be a caller's decision.
 */
export async function commitTable(
  args: TableCommitRequest & {
    maxAttempts?: number;
    /** Test hook: runs after staging, before the swap. */
    beforeSwap?: () => Promise<void>;
  },
): Promise<CommitResult> {
  const { catalog, io, namespace, name, operation } = args;
  const maxAttempts = args.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const prepared = await prepareCommit({ ...args, attempt });
    await args.beforeSwap?.();
    try {
      catalog.swapMetadataLocation(namespace, name, prepared.expected, prepared.next);
      return { snapshot: prepared.snapshot, metadataLocation: prepared.next, attempts: attempt };
    } catch (err) {
      if (!(err instanceof CommitConflictError)) throw err;
      for (const f of prepared.written) await io.delete(f);
      if (operation === "overwrite" || attempt >= maxAttempts) {
        throw new CommitConflictError(
          `${operation} of ${namespace}.${name} not committed after ${attempt} attempt(s): ` +
            `${err.message}. Nothing was changed by this writer; re-run it.`,
        );
      }
    }
  }
}
