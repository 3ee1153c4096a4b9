import { execFileSync } from "node:child_process";
import { parentPort, workerData } from "node:worker_threads";
import { childPids, readStat, statusKb } from "./procfs.ts";

/** Runs in the sampler's worker thread (ProcessTreeSampler), never on the main thread. */
const { rootPid, intervalMs } = workerData as { rootPid: number; intervalMs: number };
// Asked here rather than by ProcessTreeSampler: running getconf blocks the calling thread,
// and the main thread is loading the engine meanwhile (docs/engines.md, "Start-up"). Asked
// after the first sample: a short-lived process (a 3k-event cell on a loaded machine) can
// exit while getconf runs, and a tree that was never sampled reports 0 bytes.
let ticksPerSecond = 100;

function clockTicks(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}

let peakRss = 0;
let cpuTicks = 0;
let samples = 0;
let maxProcesses = 0;
let maxCores = 0;
let lastTicks = -1;
let lastAt = 0;

function sample(): void {
  const pids = [rootPid];
  for (let i = 0; i < pids.length; i++) for (const c of childPids(pids[i]!)) pids.push(c);
  let rss = 0;
  let ticks = 0;
  let n = 0;
  for (const pid of pids) {
    const s = readStat(pid);
    if (s === null) continue;
    n++;
    ticks += s.cpuTicks;
    rss += statusKb(pid, "VmRSS") * 1024;
  }
  peakRss = Math.max(peakRss, rss, statusKb(rootPid, "VmHWM") * 1024);
  cpuTicks = Math.max(cpuTicks, ticks);
  // Busy cores over the last interval; a process that left the tree lowers the sum, so
  // only rises count. Intervals under 50 ms are too coarse for 10 ms clock ticks.
  const now = Date.now();
  if (lastTicks >= 0 && now - lastAt >= 50) {
    if (cpuTicks > lastTicks) {
      maxCores = Math.max(
        maxCores,
        (cpuTicks - lastTicks) / ticksPerSecond / ((now - lastAt) / 1000),
      );
    }
    lastTicks = cpuTicks;
    lastAt = now;
  } else if (lastTicks < 0) {
    lastTicks = cpuTicks;
    lastAt = now;
  }
  maxProcesses = Math.max(maxProcesses, n);
  samples++;
}

sample();
ticksPerSecond = clockTicks();
const timer = setInterval(sample, intervalMs);
parentPort!.on("message", () => {
  clearInterval(timer);
  sample();
  parentPort!.postMessage({
    peakRssBytes: peakRss,
    cpuSeconds: cpuTicks / ticksPerSecond,
    samples,
    maxProcesses,
    maxCores,
  });
});
