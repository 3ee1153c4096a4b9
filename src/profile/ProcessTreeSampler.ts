import { execFileSync } from "node:child_process";
import { Worker } from "node:worker_threads";

/** What the sampler saw of a process and all its descendants. */
export interface ProcessTreeUsage {
  /** Largest sum of resident memory (VmRSS) over the tree in one sample, or the root's VmHWM if larger. */
  peakRssBytes: number;
  /** User + system CPU of the tree: live processes plus the children they have waited for. */
  cpuSeconds: number;
  samples: number;
  /** Most processes seen in the tree at once. */
  maxProcesses: number;
  /** Largest CPU use between two samples, in cores (1.5 = one and a half cores busy). */
  maxCores: number;
}

/**
 * Samples /proc/<pid>/{stat,status} of a process tree every ~50 ms from a worker thread,
 * so that the samples keep coming while the main thread is busy (nodejs-polars calls block
 * it). Children are found from /proc/<pid>/task/<tid>/children, or by parent pid when the
 * kernel lacks that file. Linux only.
 */
export class ProcessTreeSampler {
  private readonly worker: Worker;
  private readonly done: Promise<ProcessTreeUsage>;
  private stopped = false;

  private constructor(rootPid: number, intervalMs: number) {
    this.worker = new Worker(SAMPLER_SOURCE, {
      eval: true,
      workerData: { rootPid, intervalMs, ticksPerSecond: clockTicks() },
    });
    this.done = new Promise((resolve, reject) => {
      this.worker.once("message", (usage: ProcessTreeUsage) => resolve(usage));
      this.worker.once("error", reject);
    });
  }

  static start(rootPid: number = process.pid, intervalMs = 50): ProcessTreeSampler {
    return new ProcessTreeSampler(rootPid, intervalMs);
  }

  /** Takes a last sample and returns the totals. */
  async stop(): Promise<ProcessTreeUsage> {
    if (!this.stopped) {
      this.stopped = true;
      this.worker.postMessage("stop");
    }
    const usage = await this.done;
    await this.worker.terminate();
    return usage;
  }
}

function clockTicks(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}

// Plain JavaScript: a worker started from source text is not compiled by tsx.
const SAMPLER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { readFileSync, readdirSync } = require("node:fs");
const { rootPid, intervalMs, ticksPerSecond } = workerData;
const read = (path) => { try { return readFileSync(path, "utf8"); } catch { return null; } };

function stat(pid) {
  const text = read("/proc/" + pid + "/stat");
  if (text === null) return null;
  // Fields after the command name, which is in parentheses and may hold spaces.
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
}

function statusKb(pid, key) {
  const text = read("/proc/" + pid + "/status");
  if (text === null) return 0;
  const m = new RegExp("^" + key + ":\\\\s+(\\\\d+) kB", "m").exec(text);
  return m === null ? 0 : Number(m[1]);
}

let childrenFiles = true;
function children(pid) {
  if (childrenFiles) {
    const tasks = (() => { try { return readdirSync("/proc/" + pid + "/task"); } catch { return null; } })();
    if (tasks !== null) {
      const out = [];
      for (const tid of tasks) {
        const text = read("/proc/" + pid + "/task/" + tid + "/children");
        if (text === null) { childrenFiles = false; break; }
        for (const c of text.trim().split(" ")) if (c !== "") out.push(Number(c));
      }
      if (childrenFiles) return out;
    }
  }
  const out = [];
  for (const name of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(name)) continue;
    const s = stat(name);
    if (s !== null && s.ppid === pid) out.push(Number(name));
  }
  return out;
}

let peakRss = 0, cpuTicks = 0, samples = 0, maxProcesses = 0, maxCores = 0;
let lastTicks = -1, lastAt = 0;
function sample() {
  const pids = [rootPid];
  for (let i = 0; i < pids.length; i++) for (const c of children(pids[i])) pids.push(c);
  let rss = 0, ticks = 0, n = 0;
  for (const pid of pids) {
    const s = stat(pid);
    if (s === null) continue;
    n++;
    ticks += s.ticks;
    rss += statusKb(pid, "VmRSS") * 1024;
  }
  peakRss = Math.max(peakRss, rss, statusKb(rootPid, "VmHWM") * 1024);
  cpuTicks = Math.max(cpuTicks, ticks);
  // Busy cores over the last interval; a process that left the tree lowers the sum, so
  // only rises count. Intervals under 50 ms are too coarse for 10 ms clock ticks.
  const now = Date.now();
  if (lastTicks >= 0 && now - lastAt >= 50) {
    if (cpuTicks > lastTicks) maxCores = Math.max(maxCores, (cpuTicks - lastTicks) / ticksPerSecond / ((now - lastAt) / 1000));
    lastTicks = cpuTicks; lastAt = now;
  } else if (lastTicks < 0) { lastTicks = cpuTicks; lastAt = now; }
  maxProcesses = Math.max(maxProcesses, n);
  samples++;
}

sample();
const timer = setInterval(sample, intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  sample();
  parentPort.postMessage({ peakRssBytes: peakRss, cpuSeconds: cpuTicks / ticksPerSecond, samples, maxProcesses, maxCores });
});
`;
