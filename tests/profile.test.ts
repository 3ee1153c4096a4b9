import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ProcessTreeSampler } from "../src/profile/ProcessTreeSampler.ts";

function runChild(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`child exit ${code}`))));
  });
}

describe("ProcessTreeSampler", () => {
  it("counts a child's memory and CPU in the tree's peak RSS and CPU time", async () => {
    const baseline = ProcessTreeSampler.start();
    await new Promise((r) => setTimeout(r, 200));
    const quiet = await baseline.stop();

    const sampler = ProcessTreeSampler.start(process.pid, 20);
    // 400 MB touched (filled) so that it is resident, held for 400 ms, with busy CPU.
    await runChild(
      "const b = Buffer.alloc(400 * 1024 * 1024, 1); const t = Date.now(); let x = 0;" +
        "while (Date.now() - t < 400) x += b[x % b.length]; console.log(x > 0);",
    );
    const usage = await sampler.stop();
    expect(usage.samples).toBeGreaterThan(5);
    expect(usage.maxProcesses).toBeGreaterThanOrEqual(2);
    expect(usage.peakRssBytes - quiet.peakRssBytes).toBeGreaterThan(350 * 1024 * 1024);
    // The child was reaped by this process, so its CPU counts in cutime/cstime.
    expect(usage.cpuSeconds - quiet.cpuSeconds).toBeGreaterThan(0.3);
  });
});
