// Loads a CommonJS bundle of dist/ (build/dist.mjs) with V8's code cache: the bundle is
// compiled through vm.Script with the cached data that `make install` wrote next to it
// (`<bundle>.cache`), so V8 skips parsing and compiling the functions that ran when the cache
// was made. Node 20 has no compile cache for modules (module.enableCompileCache is Node 22),
// and vm.Script is the only public way to hand V8 cached data. A cache V8 refuses (another
// Node or V8 version, other V8 flags) only costs the normal compile: `rejected` says so.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

/** Bundle file -> whether V8 refused its cache (false: used; null: there was none). */
export const rejected = new Map();

/**
 * Runs `bundle` (a CommonJS file) as if it were `main` (the package's own entry: require()
 * and __dirname resolve from there, so native addons load from node_modules) and returns
 * its module.exports. With `writeCache`, writes the code cache after running it.
 */
export function loadCommonJs(bundle, main, { writeCache = false } = {}) {
  const file = fileURLToPath(bundle);
  const mainFile = fileURLToPath(main);
  const source = readFileSync(file, "utf8");
  let cachedData;
  if (!writeCache) {
    try {
      cachedData = readFileSync(`${file}.cache`);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    { filename: file, cachedData },
  );
  rejected.set(file, cachedData === undefined ? null : script.cachedDataRejected === true);
  const module = { exports: {} };
  script.runInThisContext()(
    module.exports,
    createRequire(mainFile),
    module,
    mainFile,
    dirname(mainFile),
  );
  if (writeCache) writeFileSync(`${file}.cache`, script.createCachedData());
  return module.exports;
}
