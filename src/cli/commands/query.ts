import type { Command } from "commander";
import { loadSettings } from "../../config/settings.ts";

interface QueryOptions {
  warehouse: string;
  sql?: string;
  name?: string;
  list?: boolean;
  namespace: string;
  param: string[];
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

const collect = (value: string, previous: string[]) => [...previous, value];

export function register(program: Command): void {
  program
    .command("query")
    .description(
      "run read-only SQL on the Iceberg tables of a warehouse (DuckDB views <namespace>.<table>); only SELECT/SHOW/DESCRIBE/EXPLAIN, no file access outside the tables' data files",
    )
    .option("--warehouse <dir>", "warehouse folder holding catalog.db", loadSettings().warehouse)
    .option("--sql <sql>", 'SQL text, e.g. "SELECT count(*) FROM duckdb.events"')
    .option("--name <name>", "run a named question of src/analytics/queries (see --list)")
    .option("--list", "list the named questions with their business question and columns")
    .option(
      "--namespace <ns>",
      "namespace a named question reads (its tables unqualified)",
      "duckdb",
    )
    .option("--param <k=v>", "parameter of a named question (repeatable)", collect, [])
    .option("--snapshot <id>", "read the table owning this snapshot id as of that snapshot")
    .option(
      "--days <from..to>",
      "read only these day partitions (YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD), pruned from metadata",
    )
    .option("--format <format>", "table, json or csv", "table")
    .action(async (opts: QueryOptions) => {
      const { formatRows, parseFormat } = await import("../formatRows.ts");
      if (opts.list) {
        const { formatQueryList } = await import("../../analytics/index.ts");
        console.log(formatQueryList());
        return;
      }
      if ((opts.sql === undefined) === (opts.name === undefined)) {
        throw new Error("give exactly one of --sql, --name or --list");
      }
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
        if (opts.name !== undefined) {
          const { getNamedQuery, runNamedQuery, answerRecords } =
            await import("../../analytics/index.ts");
          const query = getNamedQuery(opts.name);
          const answer = await runNamedQuery(connection, query, {
            namespace: opts.namespace,
            params: opts.param,
          });
          const columns = answer.columns.map((c) => c.name);
          console.log(formatRows(columns, answerRecords(answer), format));
          return;
        }
        const reader = await runReadOnlyQuery(connection, opts.sql!);
        const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
        console.log(formatRows(reader.columnNames(), rows, format));
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    });
}
