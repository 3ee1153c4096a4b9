import type { Command } from "commander";
import { loadSettings } from "../../config/settings.ts";

export function register(program: Command): void {
  program
    .command("query")
    .description("run SQL on the Iceberg tables of a warehouse (DuckDB views <namespace>.<table>)")
    .option("--warehouse <dir>", "warehouse folder holding catalog.db", loadSettings().warehouse)
    .requiredOption("--sql <sql>", 'SQL text, e.g. "SELECT count(*) FROM duckdb.events"')
    .option("--snapshot <id>", "read the table owning this snapshot id as of that snapshot")
    .option("--format <format>", "table, json or csv", "table")
    .action(async (opts: { warehouse: string; sql: string; snapshot?: string; format: string }) => {
      const { formatRows, parseFormat } = await import("../../iceberg/formatRows.ts");
      const { openIcebergDuckDb } = await import("../../iceberg/openIcebergDuckDb.ts");
      const format = parseFormat(opts.format);
      const { instance, connection } = await openIcebergDuckDb(opts.warehouse, {
        snapshotId: opts.snapshot,
      });
      try {
        const reader = await connection.runAndReadAll(opts.sql);
        const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
        console.log(formatRows(reader.columnNames(), rows, format));
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    });
}
