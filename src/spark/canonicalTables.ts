import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { loadSettings, projectRoot } from "../config/settings.ts";

/**
 * The three tables of `namespace` in canonical form (docs/pipeline-spec.md §V1), as PyIceberg
 * reads them (spark/etl_spark/readback.py): an independent reader of what Spark committed.
 * A table that does not exist is null.
 */
export function canonicalTables(
  warehouse: string,
  namespace: string,
): Record<"events" | "sessions" | "rejects", string | null> {
  const out = execFileSync(
    loadSettings().python,
    ["-m", "etl_spark.readback", "--warehouse", warehouse, "--namespace", namespace],
    { cwd: join(projectRoot, "spark"), encoding: "utf8", maxBuffer: 1 << 30 },
  );
  return JSON.parse(out) as Record<"events" | "sessions" | "rejects", string | null>;
}
