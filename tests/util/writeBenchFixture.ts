// Writes the synthetic bench fixture (tests/util/benchFixture.ts, NOT measurements) as JSONL,
// for tests that need it as a file: node node_modules/tsx/dist/cli.mjs tests/util/writeBenchFixture.ts OUT
import { writeFileSync } from "node:fs";
import { fixtureRows } from "./benchFixture.ts";

const out = process.argv[2];
if (!out) throw new Error("usage: writeBenchFixture.ts OUT.jsonl");
writeFileSync(
  out,
  fixtureRows()
    .map((r) => JSON.stringify(r))
    .join("\n") + "\n",
);
