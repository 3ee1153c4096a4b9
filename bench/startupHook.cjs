// Preloaded by bench/startupBench.mjs (node --require) into `etl run`. Appends to the file
// named by ETL_STARTUP_HOOK_OUT one line per point of the start-up, "<mark>\t<cpu ms>\t<now ms>":
// the process's CPU so far (all threads, process.cpuUsage()) and performance.now() (the clock
// of startup_ms). Marks: `boot` (this preload runs: Node's bootstrap is done), `cli-compiled`
// and `cli-ran` (dist/cli/main.cjs compiled with its code cache, and its top level run),
// `loading-engine` (the harness's line), `engine-compiled`, `addon-loaded`, `engine-ran` (the
// engine library's bundle and its native addon), `open-returned` (the sampler's worker is
// created right after engine.open() returns and startup_ms is taken) and `ready` (the
// harness's "ready after N ms" line, after engine.version(); N is appended to the mark).
// With ETL_STARTUP_HOOK_EXIT=1 the process exits at `ready` (start-up only, no pipeline).
// Nothing else changes in the run. CommonJS and --require, not --import: an ES module preload
// would start Node's ES module loader, which `etl` itself does not (bin/etl.js), and so add its
// cost to the figure it measures. Node's modules are patched only where they are used (vm,
// process.dlopen, Module._load for node:worker_threads), so that the hook loads nothing that
// the run would not load.
"use strict";
const { appendFileSync } = require("node:fs");

const out = process.env.ETL_STARTUP_HOOK_OUT;
if (out) {
  const lines = [];
  const mark = (name) => {
    const cpu = process.cpuUsage();
    lines.push(`${name}\t${(cpu.user + cpu.system) / 1000}\t${performance.now()}`);
  };
  mark("boot");

  // The bundles: build/codeCache.cjs compiles each through vm.Script and runs its function.
  const vm = require("node:vm");
  const Script = vm.Script;
  vm.Script = class extends Script {
    constructor(source, options) {
      super(source, options);
      this.etlRole = String(options?.filename).endsWith("/dist/cli/main.cjs") ? "cli" : "engine";
      if (this.etlRole === "engine" && !/[\\/](@duckdb|nodejs-polars)[\\/]/.test(options?.filename))
        this.etlRole = null;
      if (this.etlRole !== null) mark(`${this.etlRole}-compiled`);
    }
    runInThisContext(...args) {
      const fn = super.runInThisContext(...args);
      const role = this.etlRole;
      if (role === null) return fn;
      return function (...a) {
        const result = fn.apply(this, a);
        mark(`${role}-ran`);
        return result;
      };
    }
  };
  const dlopen = process.dlopen;
  process.dlopen = function (...args) {
    const result = dlopen.apply(this, args);
    mark("addon-loaded");
    return result;
  };
  // The harness starts the process-tree sampler's worker right after engine.open() returns.
  const Module = require("node:module");
  const load = Module._load;
  Module._load = function (request, ...rest) {
    const mod = load.call(this, request, ...rest);
    if ((request === "node:worker_threads" || request === "worker_threads") && !mod.etlHooked) {
      const Worker = mod.Worker;
      let seen = false;
      mod.Worker = class extends Worker {
        constructor(...args) {
          if (!seen) mark("open-returned");
          seen = true;
          super(...args);
        }
      };
      mod.etlHooked = true;
    }
    return mod;
  };

  const write = process.stderr.write.bind(process.stderr);
  let ready = false;
  process.stderr.write = (chunk, ...rest) => {
    const text = String(chunk);
    if (text.includes("] loading the engine")) mark("loading-engine");
    const m = / ready after (\d+) ms/.exec(text);
    if (!ready && m !== null) {
      ready = true;
      mark(`ready ${m[1]}`);
      appendFileSync(out, `${lines.join("\n")}\n`);
      if (process.env.ETL_STARTUP_HOOK_EXIT === "1") process.exit(0);
    }
    return write(chunk, ...rest);
  };
}
