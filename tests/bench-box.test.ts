import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CgroupBox, parseSize } from "../src/bench/CgroupBox.ts";

// Boxes need cgroup v1 cpuset + memory and root (as on the benchmark machine); elsewhere
// CgroupBox.create must say why and the cell runs unboxed (box_enforced=false).
const v1 = existsSync("/sys/fs/cgroup/memory/memory.limit_in_bytes") && process.getuid?.() === 0;

describe("cgroup v1 boxes", () => {
  it("parses sizes", () => {
    expect(parseSize("4g")).toBe(4 * 2 ** 30);
    expect(parseSize("512MB")).toBe(512 * 2 ** 20);
    expect(() => parseSize("lots")).toThrow(/not understood/);
  });

  it.runIf(v1)("confines a process tree: the kernel kills it over the ceiling and says so", () => {
    const { box, note } = CgroupBox.create(
      { name: "1c-64m", cores: 1, memoryBytes: 64 * 2 ** 20 },
      `test-${process.pid}`,
    );
    expect(note).toBeNull();
    try {
      const inside = box!.wrap("/bin/sh", ["-c", "cat /proc/self/cgroup"]);
      const seen = spawnSync(inside.command, inside.args, { encoding: "utf8" }).stdout;
      expect(seen).toMatch(new RegExp(`memory:/etl-bench/test-${process.pid}`));
      // 200 MB in a 64 MB box: SIGKILL from the OOM killer, counted in memory.oom_control.
      const hog = box!.wrap("python3", ["-c", "x = bytearray(200 * 1024 * 1024); print(len(x))"]);
      const r = spawnSync(hog.command, hog.args, { encoding: "utf8" });
      expect(r.signal).toBe("SIGKILL");
      const c = box!.counters();
      expect(c.oomKilled).toBe(true);
    } finally {
      box!.remove();
    }
    expect(existsSync(`/sys/fs/cgroup/memory/etl-bench/test-${process.pid}`)).toBe(false);
  });

  it("refuses a box larger than the host and says why", () => {
    const { box, note } = CgroupBox.create(
      { name: "huge", cores: 4096, memoryBytes: 2 ** 30 },
      `test-huge-${process.pid}`,
    );
    expect(box).toBeNull();
    expect(note).toMatch(/huge/);
  });
});
