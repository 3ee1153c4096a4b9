import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { loadSettings } from "../../config/settings.ts";
import type { RunSummary } from "../../harness/RunSummary.ts";

interface CompareOptions {
  warehouse?: string;
  namespaces: string;
  summaries?: string[];
}

export function register(program: Command): void {
  program
    .command("compare")
    .description(
      "side-by-side run summaries, and a row-for-row check that namespaces hold equal tables",
    )
    .option("--warehouse <dir>", "warehouse folder (default ETL_WAREHOUSE or ./warehouse)")
    .option(
      "--namespaces <list>",
      "comma-separated namespaces, the first is the base",
      "duckdb,polars",
    )
    .option(
      "--summaries <files...>",
      "JSON summary files written by `etl run` to print side by side",
    )
    .action(async (opts: CompareOptions) => {
      const { formatRunTable } = await import("../../report/formatRunTable.ts");
      const { compareNamespaces } = await import("../../report/compareNamespaces.ts");
      const { openIcebergDuckDb } = await import("../../iceberg/openIcebergDuckDb.ts");
      if (opts.summaries?.length) {
        const runs = opts.summaries.map((f) => {
          const lines = readFileSync(f, "utf8").trim().split("\n");
          try {
            return JSON.parse(lines[lines.length - 1]!) as RunSummary;
          } catch {
            throw new Error(`${f}: last line is not an etl run JSON summary`);
          }
        });
        console.log(formatRunTable(runs));
        console.log("");
      }
      const warehouse = opts.warehouse ?? loadSettings().warehouse;
      const [base, ...others] = opts.namespaces.split(",").map((x) => x.trim());
      if (!base || others.length === 0) throw new Error("--namespaces needs at least two names");
      const { isValidNamespace, validateNamespace } = await import("../../lakehouse/namespace.ts");
      for (const ns of [base, ...others]) validateNamespace(ns);
      const { instance, connection } = await openIcebergDuckDb(warehouse, {
        acceptNamespace: isValidNamespace,
      });
      let allEqual = true;
      try {
        for (const other of others) {
          for (const c of await compareNamespaces(connection, base, other)) {
            allEqual &&= c.equal;
            console.log(
              `${c.equal ? "equal    " : "DIFFERENT"} ${c.table.padEnd(8)} ${base}=${c.baseRows} ${other}=${c.otherRows} rows` +
                (c.equal
                  ? ""
                  : `, only in ${base}: ${c.onlyInBase}, only in ${other}: ${c.onlyInOther}`),
            );
          }
        }
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
      if (!allEqual) {
        process.exitCode = 1;
        console.log("engines disagree: see the tables marked DIFFERENT");
      } else console.log(`engines agree row for row: ${[base, ...others].join(", ")}`);
    });
}
