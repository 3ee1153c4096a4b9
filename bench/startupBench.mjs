#!/usr/bin/env node
// Start-up of the compiled CLI (docs/engines.md, "Start-up"): runs `node bin/etl.js run` of
// each engine RUNS times on a small input into a scratch warehouse (deleted after each run)
// and prints, per engine, min/median of
//   startup_ms  the run summary's figure (process start to engine ready, wall),
//   ready_cpu_ms  CPU of the process (all threads) when the harness logs "ready", taken by
//                 bench/startupHook.mjs (preloaded with --import in every other run, so the
//                 startup_ms figures come from the runs without the hook),
//   cpu_s       the run's own cpu_seconds (whole process, start to summary),
// plus the floors: `node -e 0` (wall and CPU of an empty process) and a bare import of the
// engine library with an engine instance (DuckDB) or the module (Polars).
// Usage: node bench/startupBench.mjs [--runs 20] [--input data/generated/clickstream-3k.csv]
//        [--engines duckdb,polars] [--root DIR (a checkout with dist/ built)]
// Timing figures depend on the machine's load: the load average is printed with them.
import { execFileSync, spawnSync } from "node:child_process";
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
const hook = join(here, "startupHook.mjs");
const scratch = mkdtempSync(join(tmpdir(), "etl-startup-"));

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return `min ${s[0].toFixed(1)} median ${median.toFixed(1)} (n=${s.length})`;
};
/** CPU ms of one child, from /proc of this process: children's utime+stime before/after. */
const childCpuMs = () => {
  const f = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // cutime, cstime in USER_HZ (100)
};
const timed = (args, env = {}) => {
  const c0 = childCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  return { wall, cpu: childCpuMs() - c0, stdout: r.stdout };
};

try {
  console.log(
    `root ${root}, input ${input}, ${runs} runs, loadavg before ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const floor = { wall: [], cpu: [] };
  const bare = {};
  const bareScript = {
    duckdb:
      'const { DuckDBInstance } = await import("@duckdb/node-api"); const i = await DuckDBInstance.create(":memory:"); await i.connect();',
    polars:
      'const pl = await import("nodejs-polars"); if (typeof pl.default.DataFrame !== "function") throw new Error("polars");',
  };
  const engines = values.engines.split(",");
  const result = Object.fromEntries(
    engines.map((e) => [e, { startup: [], readyCpu: [], hookedStartup: [], cpuS: [] }]),
  );
  for (let i = 0; i < runs; i++) {
    const e0 = timed(["-e", "0"]);
    floor.wall.push(e0.wall);
    floor.cpu.push(e0.cpu);
    for (const engine of engines) {
      const b = timed(["--input-type=module", "-e", bareScript[engine]]);
      (bare[engine] ??= { wall: [], cpu: [] }).wall.push(b.wall);
      bare[engine].cpu.push(b.cpu);
      for (const hooked of [false, true]) {
        const warehouse = join(scratch, `wh-${engine}-${i}`);
        const hookOut = join(scratch, "hook.txt");
        writeFileSync(hookOut, "");
        const args = [
          ...(hooked ? ["--import", hook] : []),
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
        const r = timed(args, hooked ? { ETL_STARTUP_HOOK_OUT: hookOut } : {});
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
          res.cpuS.push(summary.cpu_seconds * 1000);
        }
      }
    }
  }
  console.log(`node -e 0            wall ms ${stats(floor.wall)}; cpu ms ${stats(floor.cpu)}`);
  for (const [engine, b] of Object.entries(bare)) {
    console.log(
      `bare ${engine.padEnd(7)}         wall ms ${stats(b.wall)}; cpu ms ${stats(b.cpu)}`,
    );
  }
  for (const [engine, r] of Object.entries(result)) {
    console.log(`etl run ${engine.padEnd(7)} startup_ms ${stats(r.startup)}`);
    console.log(
      `etl run ${engine.padEnd(7)} ready_cpu_ms ${stats(r.readyCpu)} (startup_ms of these hooked runs ${stats(r.hookedStartup)})`,
    );
    console.log(`etl run ${engine.padEnd(7)} run cpu ms ${stats(r.cpuS)}`);
  }
  console.log(
    `loadavg after ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
