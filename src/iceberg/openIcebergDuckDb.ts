import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { IcebergFileError } from "./errors.ts";
import { localFileIO, toLocalPath, type FileIO } from "./fileIO.ts";
import { loadTable } from "./loadTable.ts";
import { lockDownDuckDb } from "./readOnlyDuckDb.ts";
import { planFiles } from "./scanTable.ts";
import { duckDbType } from "./schema.ts";
import { SqlCatalog } from "./SqlCatalog.ts";

export interface IcebergView {
  namespace: string;
  table: string;
  snapshotId: string | null;
  files: number;
  /** Pruned by `days`: whole manifests (partition summaries) and single files. */
  manifestsSkipped: number;
  filesSkipped: number;
  /** Local paths of the data files the view reads. */
  paths: string[];
}

export interface IcebergViewOptions {
  /** Time travel: the table owning this snapshot id is read at it; others at their current one. */
  snapshotId?: string;
  /** Only files of these days (days since epoch, inclusive) in day-partitioned tables. */
  days?: { from: number; to: number };
  io?: FileIO;
  /**
   * Tables of namespaces this refuses get no view (the caller's naming rule); default: every
   * non-empty name. `onSkip` hears about each one.
   */
  acceptNamespace?: (namespace: string) => boolean;
  onSkip?: (namespace: string, table: string) => void;
}

const q = (id: string) => `"${id.replaceAll('"', '""')}"`;
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * Creates one DuckDB view per Iceberg table, `<namespace>.<table>`, over the live data files of
 * its current (or requested) snapshot. DuckDB's Parquet reader ignores field ids, so columns are
 * selected by name (the tables' name mapping) and cast to the Iceberg schema's types.
 * Every data file is checked to exist first, so a missing one is named instead of surfacing
 * as a DuckDB glob error.
 */
export async function attachIcebergViews(
  conn: DuckDBConnection,
  warehouse: string,
  options: IcebergViewOptions = {},
): Promise<IcebergView[]> {
  const io = options.io ?? localFileIO;
  const dbPath = join(resolve(warehouse), "catalog.db");
  if (!existsSync(dbPath)) {
    throw new Error(`no Iceberg catalog at ${dbPath}: run \`etl run\` first or pass --warehouse`);
  }
  const catalog = new SqlCatalog(warehouse);
  const views: IcebergView[] = [];
  let timeTravelled = false;
  try {
    const accept = options.acceptNamespace ?? ((ns: string) => ns !== "");
    for (const t of catalog.listTables()) {
      if (!accept(t.namespace)) {
        options.onSkip?.(t.namespace, t.name);
        continue;
      }
      const { metadata } = await loadTable(catalog, io, t.namespace, t.name);
      const owns =
        options.snapshotId !== undefined &&
        metadata.snapshots.some((s) => s["snapshot-id"] === options.snapshotId);
      timeTravelled ||= owns;
      const spec = metadata["partition-specs"].find(
        (x) => x["spec-id"] === metadata["default-spec-id"],
      );
      const dayField = spec?.fields.find((f) => f.transform === "day")?.name;
      const plan = await planFiles(io, metadata, {
        ...(owns ? { snapshotId: options.snapshotId } : {}),
        ...(options.days && dayField ? { dayRange: { field: dayField, ...options.days } } : {}),
      });
      const paths = plan.files.map((f) => toLocalPath(f.file_path));
      for (const [i, p] of paths.entries()) {
        if (!(await io.exists(p))) {
          throw new IcebergFileError(
            `${plan.files[i]!.file_path}: data file of ${t.namespace}.${t.name} is missing ` +
              `(snapshot ${plan.snapshot?.["snapshot-id"]}); the table needs repair or a rewrite`,
          );
        }
      }
      const schema = metadata.schemas.find(
        (s) => s["schema-id"] === metadata["current-schema-id"],
      )!;
      const select = schema.fields
        .map((f) =>
          paths.length > 0
            ? `CAST(${q(f.name)} AS ${duckDbType(f.type)}) AS ${q(f.name)}`
            : `CAST(NULL AS ${duckDbType(f.type)}) AS ${q(f.name)}`,
        )
        .join(", ");
      const from =
        paths.length > 0
          ? `FROM read_parquet([${paths.map(lit).join(", ")}], union_by_name = true)`
          : "WHERE false";
      await conn.run(`CREATE SCHEMA IF NOT EXISTS ${q(t.namespace)}`);
      await conn.run(
        `CREATE OR REPLACE VIEW ${q(t.namespace)}.${q(t.name)} AS SELECT ${select} ${from}`,
      );
      views.push({
        namespace: t.namespace,
        table: t.name,
        snapshotId: plan.snapshot?.["snapshot-id"] ?? null,
        files: paths.length,
        manifestsSkipped: plan.manifestsSkipped,
        filesSkipped: plan.filesSkipped,
        paths,
      });
    }
  } finally {
    catalog.close();
  }
  if (options.snapshotId !== undefined && !timeTravelled) {
    throw new Error(
      `snapshot ${options.snapshotId} belongs to no table in ${warehouse} (see \`etl snapshots\`)`,
    );
  }
  return views;
}

/**
 * A fresh in-memory DuckDB with the warehouse's tables as views (for the CLI and notebooks),
 * locked down (readOnlyDuckDb.ts): it can read the views' data files and nothing else on
 * disk, and its configuration cannot change. Run user SQL through runReadOnlyQuery.
 */
export async function openIcebergDuckDb(
  warehouse: string,
  options: IcebergViewOptions & { memoryLimit?: string; threads?: number } = {},
): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection; views: IcebergView[] }> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const config: Record<string, string> = {};
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.threads) config.threads = String(options.threads);
  const instance = await DuckDBInstance.create(":memory:", config);
  const connection = await instance.connect();
  try {
    // Session time zone only affects how timestamptz is printed; UTC matches the canonical form.
    await connection.run("SET TimeZone = 'UTC'");
    const views = await attachIcebergViews(connection, warehouse, options);
    await lockDownDuckDb(
      connection,
      views.flatMap((v) => v.paths),
    );
    return { instance, connection, views };
  } catch (err) {
    connection.closeSync();
    instance.closeSync();
    throw err;
  }
}
