// Entry point of `make fuzz-rules` (mk/rules.mk): adversarial CSVs from the vector edge
// cases, each engine compared with the reference. Args: rows seeds... (default 3000 1 2 3).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings } from "../config/settings.ts";
import { compareEngineToReference } from "./compareEngineToReference.ts";
import { writeAdversarialCsv } from "../verify/writeAdversarialCsv.ts";

const [rowsArg, ...seedArgs] = process.argv.slice(2);
const rows = Number(rowsArg ?? 3000);
const seeds = seedArgs.length > 0 ? seedArgs.map(Number) : [1, 2, 3];
const engines = (process.env.ENGINES ?? "duckdb,polars").split(",");
const dir = mkdtempSync(join(tmpdir(), "fuzz-rules-"));
let failed = false;
try {
  for (const seed of seeds) {
    const input = join(dir, `adversarial-${seed}.csv`);
    writeAdversarialCsv(input, rows, seed);
    for (const engine of engines) {
      const results = await compareEngineToReference({
        engine,
        input,
        geoDbPath: loadSettings().geoDb,
        memoryLimit: "1GB",
      });
      for (const r of results) {
        console.log(JSON.stringify({ engine, seed, rows, table: r.table, equal: r.equal }));
        if (r.diff !== null) {
          failed = true;
          console.error(`${engine} seed ${seed} ${r.table}:\n${r.diff}`);
        }
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
