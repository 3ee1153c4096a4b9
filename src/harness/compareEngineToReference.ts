import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine } from "../engines/registry.ts";
import { GeoDb } from "../geo/GeoDb.ts";
import { TABLES, type TableName } from "../lakehouse/tables.ts";
import { runReferencePipeline } from "../reference/referencePipeline.ts";
import { toCanonicalCsv } from "../verify/canonical.ts";
import { canonicalFromParquet } from "../verify/canonicalFromParquet.ts";
import { diffCanonical } from "../verify/diffCanonical.ts";
import { checkRowBalance, recordPhases } from "./recordPhases.ts";

export interface TableComparison {
  table: TableName;
  referenceRows: number;
  equal: boolean;
  /** diffCanonical's text when not equal. */
  diff: string | null;
}

/**
 * Runs a staging engine (DuckDB, Polars) on a small input and compares its staged Parquet
 * output, table by table in canonical form (§V1), with the reference pipeline on the same
 * input and IP database. Engines that commit Iceberg themselves (Spark) are refused: read
 * their tables and compare with canonicalFromParquet instead.
 */
export async function compareEngineToReference(args: {
  engine: string;
  input: string;
  geoDbPath: string;
  threads?: number;
  memoryLimit?: string;
}): Promise<TableComparison[]> {
  const engine = await createEngine(args.engine);
  if (engine.capabilities.commitsIceberg) {
    throw new Error(`engine ${args.engine} commits Iceberg itself; compare its tables instead`);
  }
  const work = mkdtempSync(join(tmpdir(), `compare-${args.engine}-`));
  try {
    await engine.open({ threads: args.threads, memoryLimit: args.memoryLimit });
    let run;
    try {
      run = await engine.run(
        {
          input: args.input,
          geoDbPath: args.geoDbPath,
          warehouse: join(work, "warehouse"),
          namespace: args.engine,
          mode: "overwrite",
          stagingDir: join(work, "staging"),
        },
        recordPhases(),
      );
    } finally {
      await engine.close();
    }
    checkRowBalance(args.engine, args.input, run.counts);
    const reference = await runReferencePipeline(args.input, GeoDb.open(args.geoDbPath));
    const result: TableComparison[] = [];
    for (const name of ["events", "sessions", "rejects"] as const) {
      const files = run.staged.find((s) => s.table === name)?.files.map((f) => f.path) ?? [];
      const actual = await canonicalFromParquet(TABLES[name], files);
      const diff = diffCanonical(toCanonicalCsv(TABLES[name], reference[name]), actual);
      result.push({
        table: name,
        referenceRows: reference[name].length,
        equal: diff === null,
        diff,
      });
    }
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
