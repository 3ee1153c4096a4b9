import type { Command } from "commander";
import { loadSettings } from "../../config/settings.ts";

interface OrphanOptions {
  warehouse: string;
  olderThan: string;
  delete?: boolean;
  format: string;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "1h", "2d" -> ms. */
function parseDuration(text: string): number {
  const m = /^(\d+)([smhd])$/.exec(text.trim());
  if (!m) throw new Error(`--older-than ${text}: write a whole number and s, m, h or d, e.g. 1h`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

export function register(program: Command): void {
  program
    .command("orphans")
    .description(
      "list files under the warehouse's tables that no snapshot or metadata references (left by killed runs), older than a grace period; --delete removes them",
    )
    .option("--warehouse <dir>", "warehouse folder holding catalog.db", loadSettings().warehouse)
    .option(
      "--older-than <duration>",
      "grace period: only files unchanged for this long (s, m, h, d), so a commit in progress is never touched",
      "1h",
    )
    .option("--delete", "remove the files listed")
    .option("--format <format>", "table, json or csv", "table")
    .action(async (opts: OrphanOptions) => {
      const { existsSync, rmSync } = await import("node:fs");
      const { join } = await import("node:path");
      const { formatRows, parseFormat } = await import("../formatRows.ts");
      const { findOrphanFiles } = await import("../../iceberg/findOrphanFiles.ts");
      const { SqlCatalog } = await import("../../iceberg/SqlCatalog.ts");
      const format = parseFormat(opts.format);
      const olderThanMs = parseDuration(opts.olderThan);
      if (!existsSync(join(opts.warehouse, "catalog.db"))) {
        throw new Error(
          `no Iceberg catalog at ${join(opts.warehouse, "catalog.db")}: pass --warehouse`,
        );
      }
      const catalog = new SqlCatalog(opts.warehouse);
      let orphans;
      try {
        orphans = await findOrphanFiles(catalog, { olderThanMs });
      } finally {
        catalog.close();
      }
      const rows = orphans.map((o) => ({
        table: o.table,
        path: o.path,
        bytes: o.bytes,
        modified: new Date(o.mtimeMs).toISOString(),
      }));
      console.log(formatRows(["table", "path", "bytes", "modified"], rows, format));
      const bytes = orphans.reduce((a, o) => a + o.bytes, 0);
      if (opts.delete) {
        for (const o of orphans) rmSync(o.path, { force: true });
        console.error(`deleted ${orphans.length} orphan file(s), ${bytes} bytes`);
      } else {
        console.error(
          `${orphans.length} orphan file(s), ${bytes} bytes, older than ${opts.olderThan}` +
            (orphans.length > 0 ? "; run again with --delete to remove them" : ""),
        );
      }
    });
}
