// Preloaded by bench/startupBench.mjs (node --require) into `etl run`: when the harness logs
// "<engine> ... ready after N ms" on stderr, appends the process's CPU milliseconds so far
// (all threads, process.cpuUsage()) and performance.now() to the file named by
// ETL_STARTUP_HOOK_OUT. Nothing else changes in the run. CommonJS and --require, not
// --import: an ES module preload would start Node's ES module loader, which `etl` itself
// does not (bin/etl.js), and so add its cost to the figure it measures.
"use strict";
const { appendFileSync } = require("node:fs");

const out = process.env.ETL_STARTUP_HOOK_OUT;
if (out) {
  const write = process.stderr.write.bind(process.stderr);
  let seen = false;
  process.stderr.write = (chunk, ...rest) => {
    if (!seen && String(chunk).includes(" ready after ")) {
      seen = true;
      const cpu = process.cpuUsage();
      appendFileSync(out, `${(cpu.user + cpu.system) / 1000} ${performance.now()}\n`);
    }
    return write(chunk, ...rest);
  };
}
