import { readFileSync } from "node:fs";
import { totalmem } from "node:os";
import { readCgroupMemberships } from "./procfs.ts";

/** Memory this process may use: the machine's, or less when a cgroup confines it. */
export interface BoxMemory {
  bytes: number;
  /** "machine", or the cgroup file that set the limit. */
  source: string;
}

/**
 * The smallest of the machine's memory and every cgroup memory limit on the way from this
 * process's cgroup up to the root (v1 `memory.limit_in_bytes`, v2 `memory.max`): a box's
 * limit applies to all its descendants, and a limit set on a parent box counts too.
 */
export function boxMemory(
  cgroupRoot = "/sys/fs/cgroup",
  procCgroup = "/proc/self/cgroup",
): BoxMemory {
  let best: BoxMemory = { bytes: totalmem(), source: "machine" };
  for (const { controllers, path } of readCgroupMemberships(procCgroup)) {
    const v1 = controllers.includes("memory");
    const v2 = controllers.length === 0;
    if (!v1 && !v2) continue;
    const base = v1 ? `${cgroupRoot}/memory` : v2Root(cgroupRoot);
    const file = v1 ? "memory.limit_in_bytes" : "memory.max";
    for (let dir = path.replace(/\/+$/, ""); ; dir = dir.slice(0, dir.lastIndexOf("/"))) {
      const limitFile = `${base}${dir}/${file}`;
      const bytes = readLimit(limitFile);
      if (bytes !== null && bytes < best.bytes) best = { bytes, source: limitFile };
      if (dir === "") break;
    }
  }
  return best;
}

function v2Root(cgroupRoot: string): string {
  // Hybrid hosts mount the v2 hierarchy at /sys/fs/cgroup/unified.
  try {
    readFileSync(`${cgroupRoot}/unified/cgroup.controllers`);
    return `${cgroupRoot}/unified`;
  } catch {
    return cgroupRoot;
  }
}

function readLimit(file: string): number | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch {
    return null;
  }
  if (text === "max" || text === "") return null;
  const n = Number(text);
  // v1 writes "no limit" as a huge page-rounded number.
  return Number.isFinite(n) && n > 0 && n < 2 ** 60 ? n : null;
}
