import { describe, expect, it } from "vitest";
import {
  childPids,
  listPids,
  loadAverages,
  parseCgroupMemberships,
  parseStat,
  readStat,
  statusKb,
} from "../src/profile/procfs.ts";

describe("procfs (the one /proc reader in TypeScript)", () => {
  it("parses stat lines whose command holds spaces and parentheses", () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[0] = "S";
    fields[1] = "41"; // ppid
    fields[2] = "42"; // pgrp
    fields[11] = "10"; // utime
    fields[12] = "20"; // stime
    fields[13] = "3"; // cutime
    fields[14] = "4"; // cstime
    expect(parseStat(`1234 (a b) (c)) ${fields.join(" ")}`)).toEqual({
      state: "S",
      ppid: 41,
      pgrp: 42,
      cpuTicks: 37,
    });
  });

  it("reads this process: parent, memory, and the pid list", () => {
    const me = readStat(process.pid)!;
    expect(me.ppid).toBe(process.ppid);
    expect(statusKb(process.pid, "VmRSS")).toBeGreaterThan(1000);
    expect(listPids()).toContain(process.pid);
    expect(childPids(process.ppid)).toContain(process.pid);
    expect(readStat(2 ** 30)).toBeNull();
  });

  it("parses cgroup v1 and v2 membership lines, a path may hold colons", () => {
    const text = "12:cpuset:/etl/cell-1\n4:memory,foo:/etl/cell-1\n0::/user.slice/a:b\n\n";
    expect(parseCgroupMemberships(text)).toEqual([
      { controllers: ["cpuset"], path: "/etl/cell-1" },
      { controllers: ["memory", "foo"], path: "/etl/cell-1" },
      { controllers: [], path: "/user.slice/a:b" },
    ]);
  });

  it("reads the three load averages", () => {
    const load = loadAverages();
    expect(load).toHaveLength(3);
    for (const l of load) expect(Number.isFinite(l) && l >= 0).toBe(true);
  });
});
