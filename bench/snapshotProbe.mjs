#!/usr/bin/env node
// Probe for docs/engines.md "Fourth pass" (kept in the history, not in the build): would a V8
// start-up snapshot of the CLI bundle (node --build-snapshot, Node 20) start faster than
// bin/etl.js with its code cache? Builds a blob in a scratch folder whose entry runs
// dist/cli/main.cjs at build time (Node's modules only: every package it requires is required
// later, at run time, through createRequire), then runs `etl run` RUNS times each way,
// interleaved, with bench/startupHook.cjs preloaded and stopped at "ready", and prints the CPU
// ms (min / median) at Node's bootstrap, at "loading the engine" and at "ready".
// Usage: node bench/snapshotProbe.mjs [--runs 7] [--engine duckdb] [--ca with|without]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "7" },
    engine: { type: "string", default: "duckdb" },
    ca: { type: "string", default: "with" },
    input: { type: "string", default: join(root, "data/generated/clickstream-3k.csv") },
  },
});
const scratch = mkdtempSync(join(tmpdir(), "etl-snapshot-"));
const cli = join(root, "dist", "cli", "main.cjs");
const blob = join(scratch, "cli.blob");
const entry = join(scratch, "entry.cjs");
const hook = join(root, "bench", "startupHook.cjs");
try {
  writeFileSync(
    entry,
    `const v8 = require("node:v8");\n` +
      `let runtimeRequire = require;\n` +
      `const module_ = { exports: {} };\n` +
      `(function (exports, require, module, __filename, __dirname) {${readFileSync(cli, "utf8")}\n})` +
      `(module_.exports, (id) => runtimeRequire(id), module_, ${JSON.stringify(cli)}, ${JSON.stringify(join(root, "dist", "cli"))});\n` +
      `v8.startupSnapshot.setDeserializeMainFunction(() => {\n` +
      `  runtimeRequire = require("node:module").createRequire(${JSON.stringify(cli)});\n` +
      `  module_.exports.runCli([process.argv[0], "etl", ...process.argv.slice(1)]);\n` +
      `});\n`,
  );
  execFileSync(process.execPath, ["--snapshot-blob", blob, "--build-snapshot", entry], {
    stdio: ["ignore", "ignore", "ignore"],
  });
  const env = { ...process.env, ETL_STARTUP_HOOK_EXIT: "1" };
  if (values.ca === "without") delete env.NODE_EXTRA_CA_CERTS;
  const ways = { "bin/etl.js": [join(root, "bin", "etl.js")], snapshot: ["--snapshot-blob", blob] };
  const seen = Object.fromEntries(
    Object.keys(ways).map((w) => [w, { boot: [], engine: [], ready: [] }]),
  );
  console.log(
    `engine ${values.engine}, NODE_EXTRA_CA_CERTS ${values.ca}, loadavg before ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  for (let i = 0; i < Number(values.runs); i++) {
    for (const [way, args] of Object.entries(ways)) {
      const out = join(scratch, "marks.txt");
      writeFileSync(out, "");
      execFileSync(
        process.execPath,
        [
          "--require",
          hook,
          ...args,
          "run",
          "--engine",
          values.engine,
          "--input",
          values.input,
          "--warehouse",
          join(scratch, "wh"),
        ],
        { cwd: root, stdio: "ignore", env: { ...env, ETL_STARTUP_HOOK_OUT: out } },
      );
      rmSync(join(scratch, "wh"), { recursive: true, force: true });
      const marks = Object.fromEntries(
        readFileSync(out, "utf8")
          .trim()
          .split("\n")
          .map((l) => {
            const [name, cpu] = l.split("\t");
            return [name.split(" ")[0], Number(cpu)];
          }),
      );
      seen[way].boot.push(marks.boot);
      seen[way].engine.push(marks["loading-engine"]);
      seen[way].ready.push(marks.ready);
    }
  }
  const mm = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return `${s[0].toFixed(0)} / ${(s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2).toFixed(0)}`;
  };
  for (const [way, s] of Object.entries(seen)) {
    console.log(
      `${way}: cpu ms min / median at bootstrap ${mm(s.boot)}, at "loading the engine" ${mm(s.engine)}, at "ready" ${mm(s.ready)} (n=${s.boot.length})`,
    );
  }
  console.log(
    `loadavg after ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
