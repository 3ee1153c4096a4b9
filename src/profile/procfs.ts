import { readdirSync, readFileSync } from "node:fs";

/**
 * The one reader of Linux /proc in TypeScript (proc(5)): the process-tree sampler and the
 * Spark cluster's stop() use it. Every function answers null/empty for a process that is gone.
 */

/** Fields of /proc/<pid>/stat that we use. */
export interface ProcStat {
  /** One letter: R running, S sleeping, Z zombie, ... */
  state: string;
  ppid: number;
  pgrp: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  cpuTicks: number;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** Parses the text of /proc/<pid>/stat. */
export function parseStat(text: string): ProcStat {
  // The fields after the command name, which is in parentheses and may hold spaces or ")".
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return {
    state: f[0]!,
    ppid: Number(f[1]),
    pgrp: Number(f[2]),
    cpuTicks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]),
  };
}

export function readStat(pid: number | string): ProcStat | null {
  const text = read(`/proc/${pid}/stat`);
  return text === null ? null : parseStat(text);
}

/** A `<key>: <n> kB` line of /proc/<pid>/status (VmRSS, VmHWM, ...) in kB; 0 when absent. */
export function statusKb(pid: number, key: string): number {
  const text = read(`/proc/${pid}/status`);
  if (text === null) return 0;
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text);
  return m === null ? 0 : Number(m[1]);
}

/** Every pid in /proc. */
export function listPids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^[0-9]+$/.test(name))
    .map(Number);
}

let childrenFiles = true;

/**
 * Direct children of a process, from /proc/<pid>/task/<tid>/children, or by parent pid when
 * the kernel lacks that file (CONFIG_PROC_CHILDREN).
 */
export function childPids(pid: number): number[] {
  if (childrenFiles) {
    let tasks: string[] | null = null;
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      tasks = null;
    }
    if (tasks !== null) {
      const out: number[] = [];
      for (const tid of tasks) {
        const text = read(`/proc/${pid}/task/${tid}/children`);
        if (text === null) {
          childrenFiles = false;
          break;
        }
        for (const c of text.trim().split(" ")) if (c !== "") out.push(Number(c));
      }
      if (childrenFiles) return out;
    }
  }
  return listPids().filter((p) => readStat(p)?.ppid === pid);
}

/** /proc/loadavg: the 1, 5 and 15 minute load averages. */
export function loadAverages(): [number, number, number] {
  const [a, b, c] = (read("/proc/loadavg") ?? "0 0 0").split(" ").map(Number);
  return [a!, b!, c!];
}

/** One line of /proc/<pid>/cgroup: v1 `4:memory:/path`, v2 `0::/path` (controllers empty). */
export interface CgroupMembership {
  controllers: string[];
  path: string;
}

/** Parses the text of /proc/<pid>/cgroup (cgroups(7)). */
export function parseCgroupMemberships(text: string): CgroupMembership[] {
  const out: CgroupMembership[] = [];
  for (const line of text.split("\n")) {
    const first = line.indexOf(":");
    const second = line.indexOf(":", first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    out.push({
      controllers: controllers === "" ? [] : controllers.split(","),
      path: line.slice(second + 1),
    });
  }
  return out;
}

/** The cgroups a process belongs to; empty when the file cannot be read. */
export function readCgroupMemberships(file = "/proc/self/cgroup"): CgroupMembership[] {
  const text = read(file);
  return text === null ? [] : parseCgroupMemberships(text);
}
