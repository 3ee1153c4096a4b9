import type { Command } from "commander";
import { loadSettings } from "../../config/settings.ts";

export function register(program: Command): void {
  program
    .command("snapshots")
    .description("list the snapshots of one Iceberg table, oldest first")
    .option("--warehouse <dir>", "warehouse folder holding catalog.db", loadSettings().warehouse)
    .requiredOption("--table <ns.name>", "table as namespace.name, e.g. duckdb.events")
    .option("--format <format>", "table, json or csv", "table")
    .action(async (opts: { warehouse: string; table: string; format: string }) => {
      const { formatRows, parseFormat } = await import("../formatRows.ts");
      const { listSnapshots } = await import("../../iceberg/listTableSummaries.ts");
      const { validateNamespace } = await import("../../lakehouse/namespace.ts");
      const dot = opts.table.lastIndexOf(".");
      if (dot > 0) validateNamespace(opts.table.slice(0, dot));
      const rows = await listSnapshots(opts.warehouse, opts.table);
      const columns = [
        "snapshot_id",
        "parent_id",
        "sequence",
        "committed_at",
        "operation",
        "added_records",
        "deleted_records",
        "total_records",
        "current",
      ];
      console.log(formatRows(columns, rows, parseFormat(opts.format)));
    });
}
