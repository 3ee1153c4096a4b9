import type { Command } from "commander";
import { loadSettings } from "../../config/settings.ts";

export function register(program: Command): void {
  program
    .command("tables")
    .description("list the Iceberg tables of a warehouse with their current snapshot")
    .option("--warehouse <dir>", "warehouse folder holding catalog.db", loadSettings().warehouse)
    .option("--format <format>", "table, json or csv", "table")
    .action(async (opts: { warehouse: string; format: string }) => {
      const { formatRows, parseFormat } = await import("../formatRows.ts");
      const { listTableSummaries } = await import("../../iceberg/listTableSummaries.ts");
      const rows = await listTableSummaries(opts.warehouse);
      const columns = ["table", "snapshot_id", "snapshots", "records", "data_files", "metadata"];
      console.log(formatRows(columns, rows, parseFormat(opts.format)));
    });
}
