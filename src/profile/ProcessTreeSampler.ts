import { createRequire } from "node:module";
import type { Worker } from "node:worker_threads";

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
 * Samples /proc/<pid>/{stat,status} of a process tree every ~50 ms from a worker thread
 * (samplerWorker.ts, reading /proc through procfs.ts), so that the samples keep coming while
 * the main thread is busy (nodejs-polars calls block it). Linux only.
 */
export class ProcessTreeSampler {
  private readonly worker: Worker;
  private readonly done: Promise<ProcessTreeUsage>;
  private stopped = false;

  private constructor(rootPid: number, intervalMs: number) {
    // Loaded here, not when the module loads: the run harness imports this module before the
    // engine is ready and starts the sampler after; node:worker_threads (with perf_hooks)
    // costs ~2 ms of CPU to load (docs/engines.md, "Fourth pass").
    const { Worker } = createRequire(import.meta.url)(
      "node:worker_threads",
    ) as typeof import("node:worker_threads");
    this.worker = new Worker(new URL("./samplerWorker.mjs", import.meta.url), {
      workerData: { rootPid, intervalMs },
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
