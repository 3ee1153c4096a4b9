// Entry point of `make compare-reference` (mk/rules.mk): ENGINE=duckdb|polars INPUT=file.
// Prints one JSON line per table; exits 1 when any table differs from the reference.
import { loadSettings } from "../config/settings.ts";
import { compareEngineToReference } from "./compareEngineToReference.ts";

const [engine, input] = process.argv.slice(2);
if (!engine || !input) {
  console.error("usage: compareMain.ts <duckdb|polars> <input.csv|input.parquet>");
  process.exit(2);
}
const results = await compareEngineToReference({
  engine,
  input,
  geoDbPath: loadSettings().geoDb,
  memoryLimit: "2GB",
});
for (const r of results) {
  console.log(
    JSON.stringify({ engine, input, table: r.table, rows: r.referenceRows, equal: r.equal }),
  );
  if (r.diff !== null) console.error(`${r.table}:\n${r.diff}`);
}
process.exit(results.every((r) => r.equal) ? 0 : 1);
