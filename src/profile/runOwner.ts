import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const OWNER_FILE = ".owner";

/** Start time of a process in clock ticks since boot (/proc/<pid>/stat field 22), or null. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * Marks a run's scratch folder with its process (pid and start time, so a reused pid is not
 * mistaken for the owner). removeDeadRunDirs later removes folders whose owner is gone.
 */
export function writeOwner(dir: string, pid: number = process.pid): void {
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ pid, start: processStart(pid) }));
}

/** True while the process that wrote the folder's owner file runs; null without one. */
export function ownerAlive(dir: string): boolean | null {
  let owner: { pid: number; start: string | null };
  try {
    owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), "utf8")) as typeof owner;
  } catch {
    return null;
  }
  const start = processStart(owner.pid);
  return start !== null && start === owner.start;
}

export interface DeadRunDir {
  path: string;
  /** "owner gone" or "no owner file, older than the grace period". */
  reason: string;
}

/**
 * The folders in `parent` left by runs that died: the owner process is gone, or there is no
 * owner file (a run killed before writing it, or an older version) and nothing in the folder
 * changed for `graceMs`. A live run's folder is never listed.
 */
export function findDeadRunDirs(parent: string, graceMs: number, now = Date.now()): DeadRunDir[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const dead: DeadRunDir[] = [];
  for (const name of names) {
    const path = join(parent, name);
    let st;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    if (!st.isDirectory()) continue;
    const alive = ownerAlive(path);
    if (alive === false) dead.push({ path, reason: "owner process gone" });
    else if (alive === null && now - st.mtimeMs > graceMs)
      dead.push({ path, reason: "no owner file, untouched for the grace period" });
  }
  return dead;
}

/** Removes a folder and everything in it; never throws (cleanup must not fail a run). */
export function removeQuietly(path: string): boolean {
  try {
    rmSync(path, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}
