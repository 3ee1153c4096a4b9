import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A machine shape: cores and a hard memory ceiling for one process tree. */
export interface BoxShape {
  name: string;
  cores: number;
  memoryBytes: number;
}

/** What the memory cgroup saw, read after the tree has exited. */
export interface BoxCounters {
  /** Times the tree hit the memory ceiling (the kernel then reclaimed or killed). */
  failcnt: number;
  /** The kernel's OOM killer ended a process in the box (memory.oom_control oom_kill > 0). */
  oomKilled: boolean;
  maxUsageBytes: number;
}

const ROOT = process.env.ETL_CGROUP_ROOT ?? "/sys/fs/cgroup";

/**
 * One cgroup v1 `cpuset` + `memory` pair under <root>/{cpuset,memory}/etl-bench/<id>: the
 * box a benchmark cell (or one Spark worker) runs in. The process enters the box BEFORE it
 * execs the engine (`wrap` gives a shell that writes its own pid to cgroup.procs and then
 * execs the command), so every child, JVMs and Python workers included, is born inside.
 * `create` returns null with the reason when the host does not allow it (no cgroup v1, not
 * root): the cell then runs unconfined and its row says box_enforced=false.
 */
export class CgroupBox {
  readonly shape: BoxShape;
  readonly cpus: string;
  private readonly cpusetDir: string;
  private readonly memoryDir: string;

  private constructor(shape: BoxShape, id: string, cpus: string) {
    this.shape = shape;
    this.cpus = cpus;
    this.cpusetDir = join(ROOT, "cpuset", "etl-bench", id);
    this.memoryDir = join(ROOT, "memory", "etl-bench", id);
  }

  /**
   * Makes the box. `firstCpu` places it (worker i of a cluster gets its own cores when the
   * host has enough; boxes wrap around the host's cpus otherwise).
   */
  static create(
    shape: BoxShape,
    id: string,
    firstCpu = 0,
  ): { box: CgroupBox | null; note: string | null } {
    try {
      const hostCpus = parseCpuList(readFileSync(join(ROOT, "cpuset", "cpuset.cpus"), "utf8"));
      if (shape.cores > hostCpus.length) {
        return {
          box: null,
          note: `box ${shape.name} asks for ${shape.cores} cores; the host has ${hostCpus.length}`,
        };
      }
      const cpus = Array.from(
        { length: shape.cores },
        (_, i) => hostCpus[(firstCpu + i) % hostCpus.length],
      ).join(",");
      const mems = readFileSync(join(ROOT, "cpuset", "cpuset.mems"), "utf8").trim();
      const box = new CgroupBox(shape, safeId(id), cpus);
      for (const parent of [join(ROOT, "cpuset", "etl-bench"), join(ROOT, "memory", "etl-bench")]) {
        mkdirSync(parent, { recursive: true });
      }
      const parentCpuset = join(ROOT, "cpuset", "etl-bench");
      // A cpuset child needs its parent's cpus and mems set first.
      if (readFileSync(join(parentCpuset, "cpuset.cpus"), "utf8").trim() === "") {
        writeFileSync(join(parentCpuset, "cpuset.cpus"), hostCpus.join(","));
        writeFileSync(join(parentCpuset, "cpuset.mems"), mems);
      }
      box.remove(); // a box left behind by an interrupted run
      mkdirSync(box.cpusetDir);
      mkdirSync(box.memoryDir);
      writeFileSync(join(box.cpusetDir, "cpuset.cpus"), cpus);
      writeFileSync(join(box.cpusetDir, "cpuset.mems"), mems);
      writeFileSync(join(box.memoryDir, "memory.limit_in_bytes"), String(shape.memoryBytes));
      // No swap on the host; where there is, the ceiling covers it too.
      const memsw = join(box.memoryDir, "memory.memsw.limit_in_bytes");
      if (existsSync(memsw)) writeFileSync(memsw, String(shape.memoryBytes));
      return { box, note: null };
    } catch (err) {
      return {
        box: null,
        note: `cgroup v1 box ${shape.name} not made under ${ROOT}: ${(err as Error).message}`,
      };
    }
  }

  /** Command + args that enter the box, then exec `command args...`. */
  wrap(command: string, args: readonly string[]): { command: string; args: string[] } {
    const procs = [join(this.cpusetDir, "cgroup.procs"), join(this.memoryDir, "cgroup.procs")];
    return {
      command: "/bin/sh",
      args: [
        "-c",
        `echo $$ > '${procs[0]}' && echo $$ > '${procs[1]}' && exec "$@"`,
        "etl-box",
        command,
        ...args,
      ],
    };
  }

  counters(): BoxCounters {
    const read = (f: string) => readFileSync(join(this.memoryDir, f), "utf8");
    const oom = /^oom_kill (\d+)$/m.exec(read("memory.oom_control"));
    return {
      failcnt: Number(read("memory.failcnt").trim()),
      oomKilled: oom !== null && Number(oom[1]) > 0,
      maxUsageBytes: Number(read("memory.max_usage_in_bytes").trim()),
    };
  }

  /** Pids still in the box (a cell's stragglers, e.g. a JVM that outlived its parent). */
  pids(): number[] {
    try {
      return readFileSync(join(this.memoryDir, "cgroup.procs"), "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map(Number);
    } catch {
      return [];
    }
  }

  /** Removes both cgroups; they must be empty (the kernel refuses otherwise). */
  remove(): void {
    for (const dir of [this.cpusetDir, this.memoryDir]) {
      try {
        if (existsSync(dir)) rmdirSync(dir);
      } catch {
        // not empty yet: the caller kills the stragglers first
      }
    }
  }
}

function parseCpuList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.trim().split(",")) {
    if (part === "") continue;
    const [a, b] = part.split("-").map(Number);
    for (let c = a; c <= (b ?? a); c++) out.push(c);
  }
  return out;
}

function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, "_");
}

/** "4g", "512m", "16GB" -> bytes. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
  if (m === null) throw new Error(`size '${text}' not understood: write e.g. 4g or 512m`);
  const unit = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2].toLowerCase()]!;
  return Math.round(Number(m[1]) * unit);
}
