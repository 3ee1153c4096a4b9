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
// From the hooked runs it also prints where the CPU to "ready" goes, min/median per part
// (the marks of bench/startupHook.cjs): Node's bootstrap, bin/etl.js and the code-cache loader
// (the staleness check, reading the CLI bundle), the CLI bundle (compile + top level), the CLI
// and the run's checks up to "loading the engine", the engine library (bundle, native addon),
// engine.open() (DuckDB: instance, connection, settings, macros; Polars: the stages).
// Usage: node bench/startupBench.mjs [--runs 20] [--input data/generated/clickstream-3k.csv]
//        [--engines duckdb,polars] [--root DIR (a checkout with dist/ built; repeat it to
//        compare builds, runs interleaved)] [--ca with|without|both] [--quick]
// --ca without runs the children without NODE_EXTRA_CA_CERTS (Node 20 parses that bundle at
// boot, before anything of ours runs); the default is the environment as it is. --quick runs
// only the hooked runs and stops each at "ready" (startup_ms then comes from the harness's
// "ready after N ms" line, rounded), with no full runs and no floors.
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
    root: { type: "string", multiple: true, default: [join(here, "..")] },
    ca: { type: "string", default: "with" },
    quick: { type: "boolean", default: false },
  },
});
const roots = values.root.map((r) => resolve(r));
const caModes = { with: ["with"], without: ["without"], both: ["with", "without"] }[values.ca];
if (caModes === undefined) throw new Error(`--ca ${values.ca}: choose with, without or both`);
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
const timed = (args, env = {}, { cwd = roots[0], withCa = true } = {}) =>
  new Promise((done, fail) => {
    const c0 = childCpuMs();
    const t0 = performance.now();
    const childEnv = { ...process.env, ...env };
    if (!withCa) delete childEnv.NODE_EXTRA_CA_CERTS;
    const child = spawn(process.execPath, args, {
      cwd,
      env: childEnv,
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

/** Where the CPU goes, from one hooked run's marks (null: the process start): [part, from, to]. */
const PARTS = [
  ["bootstrap", null, "boot"],
  ["bin/etl.js + loader", "boot", "cli-compiled"],
  ["CLI bundle", "cli-compiled", "cli-ran"],
  ["CLI + run checks", "cli-ran", "loading-engine"],
  ["engine library", "loading-engine", "engine-ran"],
  ["open()", "engine-ran", "open-returned"],
  ["total to open()", null, "open-returned"],
  ["total to ready line", null, "ready"],
];

/** The hook's lines -> { mark: cpu ms }, plus startupMs from the ready line. */
const readMarks = (file) => {
  const marks = {};
  let startupMs = null;
  for (const line of readFileSync(file, "utf8").trim().split("\n")) {
    const [name, cpu] = line.split("\t");
    const [mark, value] = name.split(" ");
    if (!(mark in marks)) marks[mark] = Number(cpu);
    if (mark === "ready") startupMs = Number(value);
  }
  return { marks, startupMs };
};

try {
  console.log(
    `roots ${roots.join(", ")}, input ${input}, ${runs} runs, NODE_EXTRA_CA_CERTS ${values.ca}` +
      `${process.env.NODE_EXTRA_CA_CERTS ? "" : " (not set here)"}, loadavg before ${load()}`,
  );
  const engines = values.engines.split(",");
  const floor = { wall: [], cpu: [] };
  const bare = Object.fromEntries(engines.map((e) => [e, { wall: [], cpu: [] }]));
  const cells = [];
  for (const root of roots) {
    for (const engine of engines) {
      for (const ca of caModes) {
        cells.push({
          root,
          engine,
          ca,
          startup: [],
          readySeen: [],
          readyCpu: [],
          hookedStartup: [],
          cpu: [],
          parts: Object.fromEntries(PARTS.map(([p]) => [p, []])),
        });
      }
    }
  }
  for (let i = 0; i < runs; i++) {
    if (!values.quick) {
      const e0 = await timed(["-e", "0"]);
      floor.wall.push(e0.wall);
      floor.cpu.push(e0.cpu);
      for (const engine of engines) {
        const b = await timed(["--input-type=module", "-e", bareScript[engine]]);
        bare[engine].wall.push(b.wall);
        bare[engine].cpu.push(b.cpu);
      }
    }
    for (const cell of cells) {
      const { root, engine, ca } = cell;
      for (const hooked of values.quick ? [true] : [false, true]) {
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
        const env = hooked
          ? { ETL_STARTUP_HOOK_OUT: hookOut, ETL_STARTUP_HOOK_EXIT: values.quick ? "1" : "0" }
          : {};
        const r = await timed(args, env, { cwd: root, withCa: ca === "with" });
        rmSync(warehouse, { recursive: true, force: true });
        if (hooked) {
          const { marks, startupMs } = readMarks(hookOut);
          if (marks.ready === undefined) throw new Error(`${engine}: the run never got ready`);
          cell.readyCpu.push(marks.ready);
          for (const [part, from, to] of PARTS) {
            if (marks[to] !== undefined && (from === null || marks[from] !== undefined)) {
              cell.parts[part].push(marks[to] - (from === null ? 0 : marks[from]));
            }
          }
          if (values.quick) cell.hookedStartup.push(startupMs);
        }
        if (values.quick) continue;
        const summary = JSON.parse(r.stdout.trim().split("\n").at(-1));
        if (!summary.success) throw new Error(`${engine}: run failed: ${summary.error}`);
        if (hooked) {
          cell.hookedStartup.push(summary.startup_ms);
        } else {
          cell.startup.push(summary.startup_ms);
          cell.readySeen.push(r.readySeenMs);
          cell.cpu.push(summary.cpu_seconds * 1000);
        }
      }
    }
  }
  if (!values.quick) {
    console.log(`node -e 0 wall ms ${stats(floor.wall)}; cpu ms ${stats(floor.cpu)}`);
    for (const [engine, b] of Object.entries(bare)) {
      console.log(`bare ${engine} wall ms ${stats(b.wall)}; cpu ms ${stats(b.cpu)}`);
    }
  }
  for (const r of cells) {
    const name = `etl run ${r.engine}${roots.length > 1 ? ` [${r.root}]` : ""}${caModes.length > 1 || r.ca === "without" ? ` (NODE_EXTRA_CA_CERTS ${r.ca === "with" ? "as set" : "unset"})` : ""}`;
    if (!values.quick) {
      console.log(`${name} startup_ms ${stats(r.startup)}`);
      console.log(`${name} spawn to "ready" line ms ${stats(r.readySeen)}`);
    }
    console.log(
      `${name} ready_cpu_ms ${stats(r.readyCpu)} (startup_ms of these hooked runs ${stats(r.hookedStartup)})`,
    );
    const minMedian = (xs) => {
      const s = [...xs].sort((a, b) => a - b);
      const mid = s.length >> 1;
      const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
      return `${s[0].toFixed(0)} / ${median.toFixed(0)}`;
    };
    const parts = PARTS.filter(([p]) => r.parts[p].length > 0);
    console.log(
      `${name} cpu ms min / median: ${parts.map(([p]) => `${p} ${minMedian(r.parts[p])}`).join("; ")}`,
    );
    if (!values.quick) console.log(`${name} run cpu ms ${stats(r.cpu)}`);
  }
  console.log(`loadavg after ${load()}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
