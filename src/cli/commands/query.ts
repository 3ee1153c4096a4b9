import type { Command } from "commander";
import { loadSettings } from "../../config/settings.ts";

interface QueryOptions {
  warehouse: string;
  sql: string;
  snapshot?: string;
  days?: string;
  format: string;
}

/** "2026-01-02" or "2026-01-02..2026-01-05" -> inclusive days since epoch. */
function parseDays(text: string): { from: number; to: number } {
  const m = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/.exec(text);
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  if (!m || Number.isNaN(day(m[1]!)) || (m[2] && Number.isNaN(day(m[2])))) {
    throw new Error(`--days ${text}: use YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD`);
  }
  return { from: day(m[1]!), to: day(m[2] ?? m[1]!) };
}

export function register(program: Command): void {
  program
    .command("query")
    .description(
      "run read-only SQL on the Iceberg tables of a warehouse (DuckDB views <namespace>.<table>); only SELECT/SHOW/DESCRIBE/EXPLAIN, no file access outside the tables' data files",
    )
    .option("--warehouse <dir>", "warehouse folder holding catalog.db", loadSettings().warehouse)
    .requiredOption("--sql <sql>", 'SQL text, e.g. "SELECT count(*) FROM duckdb.events"')
    .option("--snapshot <id>", "read the table owning this snapshot id as of that snapshot")
    .option(
      "--days <from..to>",
      "read only these day partitions (YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD), pruned from metadata",
    )
    .option("--format <format>", "table, json or csv", "table")
    .action(async (opts: QueryOptions) => {
      const { formatRows, parseFormat } = await import("../../iceberg/formatRows.ts");
      const { openIcebergDuckDb } = await import("../../iceberg/openIcebergDuckDb.ts");
      const { runReadOnlyQuery } = await import("../../iceberg/readOnlyDuckDb.ts");
      const { isValidNamespace, NAMESPACE_RULE } = await import("../../lakehouse/namespace.ts");
      const format = parseFormat(opts.format);
      const { instance, connection, views } = await openIcebergDuckDb(opts.warehouse, {
        snapshotId: opts.snapshot,
        days: opts.days ? parseDays(opts.days) : undefined,
        // Written before namespaces were checked (docs/hardening.md): named, not queried.
        acceptNamespace: isValidNamespace,
        onSkip: (ns, table) =>
          console.error(
            `skipped ${JSON.stringify(ns)}.${table}: namespace is not ${NAMESPACE_RULE}`,
          ),
      });
      if (opts.days) {
        for (const v of views) {
          console.error(
            `${v.namespace}.${v.table}: ${v.files} file(s); pruned ${v.manifestsSkipped} manifest(s), ${v.filesSkipped} file(s)`,
          );
        }
      }
      try {
        const reader = await runReadOnlyQuery(connection, opts.sql);
        const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
        console.log(formatRows(reader.columnNames(), rows, format));
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    });
}
