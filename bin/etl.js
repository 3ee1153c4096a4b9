#!/usr/bin/env node
// The `etl` CLI. Runs the JavaScript that `make install` compiles into dist/ (tsc, see
// tsconfig.build.json): loading TypeScript through tsx costs ~250 ms of start-up on every
// run. Falls back to tsx on src/ when there is no build, when any file under src/ is newer
// than the build (edited since `make install`), or when ETL_TSX=1.
import { readdirSync, statSync } from "node:fs";

const root = new URL("../", import.meta.url);
const stamp = new URL("dist/.built", root);

function compiledIsCurrent() {
  if (process.env.ETL_TSX === "1") return false;
  let built;
  try {
    built = statSync(stamp).mtimeMs;
  } catch {
    return false;
  }
  const src = new URL("src/", root);
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    if (statSync(`${entry.parentPath}/${entry.name}`).mtimeMs > built) return false;
  }
  return true;
}

if (compiledIsCurrent()) {
  await import("../dist/cli/main.js");
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
