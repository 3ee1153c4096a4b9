// Preloaded by bench/startupBench.mjs (node --import) into `etl run`: when the harness logs
// "<engine> ... ready after N ms" on stderr, appends the process's CPU milliseconds so far
// (all threads, process.cpuUsage()) and performance.now() to the file named by
// ETL_STARTUP_HOOK_OUT. Nothing else changes in the run.
import { appendFileSync } from "node:fs";

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
