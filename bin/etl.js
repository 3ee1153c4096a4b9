#!/usr/bin/env node
// The `etl` CLI. Runs the CommonJS bundle that `make install` builds into dist/cli/
// (build/dist.mjs) with V8's code cache: loading TypeScript through tsx costs ~250 ms of
// start-up on every run. Falls back to tsx on src/ when there is no build, when src/ has
// changed since the build (a file edited, added or removed), or when ETL_TSX=1.
// CommonJS (bin/package.json), like the bundle: an ES module here would start Node's ES
// module loader, ~10-20 ms of CPU before anything of ours runs (docs/engines.md, "Start-up").
"use strict";
const { readFileSync, statSync } = require("node:fs");
const { join } = require("node:path");

const checkout = join(__dirname, "..");

/**
 * Whether `root`'s dist/ was built from its src/ as it is now. `dist/.built` lists every folder and file
 * of src/ at build time, and its mtime is the time the build started: a file edited since
 * then has a newer mtime, and a file added, removed or renamed changes its folder's mtime.
 * One stat per listed path and no directory walk (docs/engines.md, "What startup_ms covers").
 */
function compiledIsCurrent(root = checkout) {
  const stamp = join(root, "dist", ".built");
  let built;
  let listed;
  try {
    built = statSync(stamp).mtimeMs;
    listed = readFileSync(stamp, "utf8").split("\n");
  } catch {
    return false;
  }
  if (listed[0] !== "src") return false;
  // The listed paths are relative, with "/" (build/dist.mjs): a concatenation, not join(),
  // which normalises each one (half the CPU of this loop, measured: docs/engines.md, "Fourth
  // pass").
  const prefix = `${root}/`;
  for (const path of listed) {
    if (path === "") continue;
    const stat = statSync(prefix + path, { throwIfNoEntry: false });
    if (stat === undefined || stat.mtimeMs > built) return false;
  }
  return true;
}

module.exports = { compiledIsCurrent };

if (require.main === module) {
  if (process.env.ETL_TSX !== "1" && compiledIsCurrent()) {
    const cli = join(checkout, "dist", "cli", "main.cjs");
    require(join(checkout, "dist", "codeCache.cjs"))
      .loadCommonJs(cli, cli)
      .runCli(process.argv);
  } else {
    import("tsx/esm/api").then(({ register }) => {
      register();
      return import("../src/cli/main.ts");
    });
  }
}
