#!/usr/bin/env node
// Start-up of the compiled CLI (docs/engines.md, "Start-up"): runs `node bin/etl.js run` of
// each engine RUNS times on a small input into a scratch warehouse (deleted after each run)
// and prints, per engine, min/median of
//   startup_ms        the run summary's figure: Node's time origin (performance.now() = 0,
//                     when Node's main() starts) to the engine being ready, wall;
//   spawn to "ready"  wall from this script's spawn() to reading the "ready after" line on
//                     the child's stderr: fork, exec and loading the node binary included;
//   ready_cpu_ms      CPU of the process (all threads) when the harness logs "ready", taken
//                     by bench/startupHook.cjs (preloaded with --require in every other run;
//                     the two wall figures come from the runs without it);
//   run cpu ms        the run's own cpu_seconds (whole process, start to summary);
// plus the floors: `node -e 0` (wall and CPU of an empty process) and a bare import of the
// engine library with an engine instance (DuckDB) or the module (Polars), from node_modules.
// Usage: node bench/startupBench.mjs [--runs 20] [--input data/generated/clickstream-3k.csv]
//        [--engines duckdb,polars] [--root DIR (a checkout with dist/ built)]
// Timing figures depend on the machine's load: the load average is printed with them.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = fileURLToPath(new URL(".", import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "20" },
    input: { type: "string", default: "data/generated/clickstream-3k.csv" },
    engines: { type: "string", default: "duckdb,polars" },
    root: { type: "string", default: join(here, "..") },
  },
});
const root = resolve(values.root);
const runs = Number(values.runs);
const input = resolve(values.input);
const hook = join(here, "startupHook.cjs");
const scratch = mkdtempSync(join(tmpdir(), "etl-startup-"));

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return `min ${s[0].toFixed(1)} median ${median.toFixed(1)} (n=${s.length})`;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/** CPU ms of the children this process has waited for (utime + stime of reaped children). */
const childCpuMs = () => {
  const f = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // cutime, cstime in USER_HZ (100)
};

/**
 * Runs one child to its end: wall ms, CPU ms, stdout, and `readySeenMs`, the wall ms from
 * the spawn() call to the moment this process read the harness's "ready after" line on the
 * child's stderr.
 */
const timed = (args, env = {}) =>
  new Promise((done, fail) => {
    const c0 = childCpuMs();
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let readySeenMs = null;
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => {
      stderr += d;
      if (readySeenMs === null && stderr.includes(" ready after ")) {
        readySeenMs = performance.now() - t0;
      }
    });
    child.on("error", fail);
    child.on("close", (code) => {
      const wall = performance.now() - t0;
      if (code !== 0) fail(new Error(`${args.join(" ")}: exit ${code}\n${stderr}`));
      else done({ wall, cpu: childCpuMs() - c0, stdout, readySeenMs });
    });
  });

const bareScript = {
  duckdb:
    'const { DuckDBInstance } = await import("@duckdb/node-api"); const i = await DuckDBInstance.create(":memory:"); await i.connect();',
  polars:
    'const pl = await import("nodejs-polars"); if (typeof pl.default.DataFrame !== "function") throw new Error("polars");',
};

try {
  console.log(`root ${root}, input ${input}, ${runs} runs, loadavg before ${load()}`);
  const engines = values.engines.split(",");
  const floor = { wall: [], cpu: [] };
  const bare = Object.fromEntries(engines.map((e) => [e, { wall: [], cpu: [] }]));
  const result = Object.fromEntries(
    engines.map((e) => [
      e,
      { startup: [], readySeen: [], readyCpu: [], hookedStartup: [], cpu: [] },
    ]),
  );
  for (let i = 0; i < runs; i++) {
    const e0 = await timed(["-e", "0"]);
    floor.wall.push(e0.wall);
    floor.cpu.push(e0.cpu);
    for (const engine of engines) {
      const b = await timed(["--input-type=module", "-e", bareScript[engine]]);
      bare[engine].wall.push(b.wall);
      bare[engine].cpu.push(b.cpu);
      for (const hooked of [false, true]) {
        const warehouse = join(scratch, `wh-${engine}-${i}`);
        const hookOut = join(scratch, "hook.txt");
        writeFileSync(hookOut, "");
        const args = [
          ...(hooked ? ["--require", hook] : []),
          "bin/etl.js",
          "run",
          "--engine",
          engine,
          "--input",
          input,
          "--warehouse",
          warehouse,
          "--namespace",
          "startup",
        ];
        const r = await timed(args, hooked ? { ETL_STARTUP_HOOK_OUT: hookOut } : {});
        rmSync(warehouse, { recursive: true, force: true });
        const summary = JSON.parse(r.stdout.trim().split("\n").at(-1));
        if (!summary.success) throw new Error(`${engine}: run failed: ${summary.error}`);
        const res = result[engine];
        if (hooked) {
          const [cpu] = readFileSync(hookOut, "utf8").trim().split(" ").map(Number);
          res.readyCpu.push(cpu);
          res.hookedStartup.push(summary.startup_ms);
        } else {
          res.startup.push(summary.startup_ms);
          res.readySeen.push(r.readySeenMs);
          res.cpu.push(summary.cpu_seconds * 1000);
        }
      }
    }
  }
  console.log(`node -e 0 wall ms ${stats(floor.wall)}; cpu ms ${stats(floor.cpu)}`);
  for (const [engine, b] of Object.entries(bare)) {
    console.log(`bare ${engine} wall ms ${stats(b.wall)}; cpu ms ${stats(b.cpu)}`);
  }
  for (const [engine, r] of Object.entries(result)) {
    console.log(`etl run ${engine} startup_ms ${stats(r.startup)}`);
    console.log(`etl run ${engine} spawn to "ready" line ms ${stats(r.readySeen)}`);
    console.log(
      `etl run ${engine} ready_cpu_ms ${stats(r.readyCpu)} (startup_ms of these hooked runs ${stats(r.hookedStartup)})`,
    );
    console.log(`etl run ${engine} run cpu ms ${stats(r.cpu)}`);
  }
  console.log(`loadavg after ${load()}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
