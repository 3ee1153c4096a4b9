import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import type { StagedFile, StagedTable } from "../Engine.ts";
import { TABLES, type ColumnDef, type TableDef, type TableName } from "../../lakehouse/tables.ts";
import { rewriteFooter } from "../../parquet/parquetFooter.ts";

const MICROS_PER_DAY = 86_400_000_000;

/**
 * Polars type for each Iceberg type (Iceberg spec, "Parquet" type mapping): timestamptz is
 * TIMESTAMP(MICROS, isAdjustedToUTC=true), decimals are Parquet DECIMAL (Polars writes
 * decimal(12,2)/(14,2) as INT64 with the DECIMAL annotation), int is INT32.
 */
function polarsType(col: ColumnDef): pl.DataType {
  switch (col.type) {
    case "string":
      return pl.Utf8;
    case "int":
      return pl.Int32;
    case "long":
      return pl.Int64;
    case "double":
      return pl.Float64;
    case "boolean":
      return pl.Bool;
    case "timestamptz":
      return pl.Datetime("us", "UTC");
    case "decimal(12,2)":
      return pl.Decimal(12, 2);
    case "decimal(14,2)":
      return pl.Decimal(14, 2);
  }
}

/** Columns in schema order with their Iceberg physical types; names equal the schema's. */
function conform(table: TableDef): pl.Expr[] {
  return table.columns.map((c) => pl.col(c.name).cast(polarsType(c)).alias(c.name));
}

/**
 * Stages the three tables as Parquet under stagingDir/<table>/ (docs/pipeline-spec.md
 * §O1-§O3): events and sessions one file per day partition (day of event_time /
 * session_start, UTC), rejects one unpartitioned file. A table with no rows stages no file.
 * Snappy, like DuckDB's default: at 1M events it costs ~30% less CPU than zstd here.
 * Polars cannot write Parquet field ids: rewriteFooter() adds them (the ids of
 * src/lakehouse/tables.ts) and drops Polars' ARROW:schema (string_view) from the footer.
 */
export function write(stagingDir: string, frames: Record<TableName, pl.DataFrame>): StagedTable[] {
  const created: string[] = [];
  try {
    return (["events", "sessions", "rejects"] as const).map((name) => {
      created.push(join(stagingDir, name));
      return stageTable(stagingDir, name, frames[name]);
    });
  } catch (err) {
    // A failed write leaves nothing half-staged for the Iceberg writer.
    for (const dir of created) rmSync(dir, { recursive: true, force: true });
    throw new Error(`staging Parquet under ${stagingDir} failed: ${(err as Error).message}`);
  }
}

/**
 * One table's rows as `stagingDir/<table>/[day=YYYY-MM-DD/]<fileName>`: one file per day
 * partition, or one file when the table is unpartitioned; no file when there are no rows.
 * The out-of-core path calls it once per bucket with a distinct fileName (an Iceberg
 * partition may hold many data files).
 */
export function stageTable(
  stagingDir: string,
  name: TableName,
  frame: pl.DataFrame,
  fileName = "part-0.parquet",
): StagedTable {
  const dir = join(stagingDir, name);
  mkdirSync(dir, { recursive: true });
  const table = TABLES[name];
  const df = frame.select(...conform(table));
  const ids = new Map(table.columns.map((c) => [c.name, c.id]));
  if (df.height === 0) return { table: name, files: [] };
  if (table.partition.length === 0) {
    const path = join(dir, fileName);
    df.writeParquet(path, { compression: "snappy" });
    rewriteFooter(path, ids);
    return { table: name, files: [{ path, partitionDay: null, recordCount: df.height }] };
  }
  const source = table.columns.find((c) => c.id === table.partition[0]!.sourceId)!.name;
  const withDay = df.withColumns(pl.col(source).cast(pl.Date).cast(pl.Int32).alias("__day"));
  const files: StagedFile[] = withDay.partitionBy("__day", true, true).map((part) => {
    const day = part.getColumn("__day").get(0) as number;
    const dayDir = join(
      dir,
      `day=${new Date((day * MICROS_PER_DAY) / 1000).toISOString().slice(0, 10)}`,
    );
    mkdirSync(dayDir, { recursive: true });
    const path = join(dayDir, fileName);
    part.drop("__day").writeParquet(path, { compression: "snappy" });
    rewriteFooter(path, ids);
    return { path, partitionDay: day, recordCount: part.height };
  });
  files.sort((a, b) => (a.partitionDay ?? 0) - (b.partitionDay ?? 0));
  return { table: name, files };
}
