// Loads a CommonJS bundle of dist/ (build/dist.mjs) with V8's code cache: the bundle is
// compiled through vm.Script with the cached data that `make install` wrote next to it
// (`<bundle>.cache`), so V8 skips parsing and compiling the functions that ran when the cache
// was made. Node 20 has no compile cache for modules (module.enableCompileCache is Node 22),
// and vm.Script is the only public way to hand V8 cached data. A cache V8 refuses (another
// Node or V8 version, other V8 flags) only costs the normal compile: `rejected` says so.
// CommonJS itself, so that bin/etl.js loads the CLI without starting Node's ES module loader.
// A bundle run here must not contain import(): vm.Script cannot run it without
// --experimental-vm-modules (build/dist.mjs turns them into require()).
"use strict";
const { readFileSync, writeFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { dirname } = require("node:path");
const { fileURLToPath } = require("node:url");
const { Script } = require("node:vm");

/** Bundle file -> whether V8 refused its cache (false: used; null: there was none). */
const rejected = new Map();
/** Bundle file -> its compiled script, for writeCodeCache. */
const scripts = new Map();

const toPath = (fileOrUrl) =>
  fileOrUrl instanceof URL || String(fileOrUrl).startsWith("file:")
    ? fileURLToPath(fileOrUrl)
    : String(fileOrUrl);

/**
 * Runs `bundle` (a CommonJS file; a path or file URL) as if it were `main` (the package's own
 * entry: require() and __dirname resolve from there, so native addons load from
 * node_modules) and returns its module.exports. With `writeCache`, writes the code cache
 * right after running it (else writeCodeCache does, later).
 */
function loadCommonJs(bundle, main, { writeCache = false } = {}) {
  const file = toPath(bundle);
  const mainFile = toPath(main);
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
  scripts.set(file, script);
  const module = { exports: {} };
  script.runInThisContext()(
    module.exports,
    createRequire(mainFile),
    module,
    mainFile,
    dirname(mainFile),
  );
  if (writeCache) writeCodeCache(file);
  return module.exports;
}

/**
 * Writes `<bundle>.cache` from the script loadCommonJs compiled: it holds every function that
 * has run so far in this process, so call it after a representative workload.
 */
function writeCodeCache(bundle) {
  const file = toPath(bundle);
  const script = scripts.get(file);
  if (script === undefined) throw new Error(`${file}: not loaded by loadCommonJs`);
  writeFileSync(`${file}.cache`, script.createCachedData());
}

module.exports = { loadCommonJs, writeCodeCache, rejected };
