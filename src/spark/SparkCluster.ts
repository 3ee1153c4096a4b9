import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { listPids, readStat } from "../profile/procfs.ts";
import { findSparkInstall, sparkEnv } from "./sparkInstall.ts";
import {
  type ClusterState,
  type DaemonState,
  defaultClusterDir,
  readClusterState,
  stateFile,
} from "./clusterState.ts";

export interface StartOptions {
  workers: number;
  coresPerWorker: number;
  /** Memory each worker offers to executors, like "2g". */
  memoryPerWorker: string;
  /** Master RPC port; 0 picks a free one. */
  port?: number;
  /** Master web UI port (its /json/ answers status); 0 picks a free one. */
  webUiPort?: number;
  dir?: string;
  /** How long to wait for every worker to register. */
  timeoutMs?: number;
  /**
   * Wraps worker i's command (1-based), e.g. to start it inside its own cgroup box
   * (src/bench/CgroupBox.ts) as a cluster of small machines would be; its executors inherit it.
   */
  wrapWorker?: (
    index: number,
    command: string,
    args: string[],
  ) => { command: string; args: string[] };
}

export interface ClusterStatus {
  state: ClusterState | null;
  running: { role: string; pid: number; alive: boolean }[];
  /** Workers the master reports ALIVE (null when the master does not answer). */
  aliveWorkers: number | null;
}

/**
 * A Spark standalone cluster on this machine: one master and N workers bound to 127.0.0.1,
 * started with pyspark's own `spark-class` (the pip package has no sbin/start-*.sh). Each
 * daemon leads its own process group, so stop() also ends the executors a worker started.
 * Logs, SPARK_LOCAL_DIRS and worker dirs live under `dir` (default spark-work/cluster).
 */
export class SparkCluster {
  static async start(options: StartOptions): Promise<ClusterState> {
    const dir = options.dir ?? defaultClusterDir();
    const existing = readClusterState(undefined, dir);
    if (existing !== null && existing.workers.concat(existing.master).some((d) => isAlive(d.pid))) {
      throw new Error(
        `a Spark cluster is already running at ${existing.masterUrl} (state in ${dir}); stop it first with etl spark-cluster stop`,
      );
    }
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new Error(`--workers must be a whole number >= 1, got ${options.workers}`);
    }
    const install = findSparkInstall();
    const port = options.port || (await freePort());
    const webUiPort = options.webUiPort || (await freePort());
    const logs = join(dir, "logs");
    const local = join(dir, "local");
    mkdirSync(logs, { recursive: true });
    mkdirSync(local, { recursive: true });
    const env = sparkEnv(install, {
      SPARK_LOG_DIR: logs,
      SPARK_LOCAL_DIRS: local,
      SPARK_DAEMON_MEMORY: "512m",
      SPARK_NO_DAEMONIZE: "1",
    });
    const launch = (
      role: DaemonState["role"],
      name: string,
      classArgs: string[],
      wrap?: (command: string, args: string[]) => { command: string; args: string[] },
    ): DaemonState => {
      const log = join(logs, `${name}.log`);
      const fd = openSync(log, "a");
      const { command, args } = wrap
        ? wrap(install.sparkClass, classArgs)
        : { command: install.sparkClass, args: classArgs };
      const child = spawn(command, args, {
        env,
        cwd: dir,
        detached: true, // own process group: stop() signals the group, executors included
        stdio: ["ignore", fd, fd],
      });
      closeSync(fd);
      child.unref();
      if (child.pid === undefined)
        throw new Error(`could not start the Spark ${name} (see ${log})`);
      return { role, pid: child.pid, log };
    };
    const masterUrl = `spark://127.0.0.1:${port}`;
    const master = launch("master", "master", [
      "org.apache.spark.deploy.master.Master",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--webui-port",
      String(webUiPort),
    ]);
    const state: ClusterState = {
      dir,
      masterUrl,
      webUiUrl: `http://127.0.0.1:${webUiPort}`,
      coresPerWorker: options.coresPerWorker,
      memoryPerWorker: options.memoryPerWorker,
      startedAt: new Date().toISOString(),
      master,
      workers: [],
    };
    writeFileSync(stateFile(dir), JSON.stringify(state, null, 2));
    try {
      await waitFor(
        async () => (await masterJson(state)) !== null,
        options.timeoutMs ?? 90_000,
        () => `the Spark master did not answer on ${state.webUiUrl} (see ${master.log})`,
      );
      for (let i = 1; i <= options.workers; i++) {
        const workDir = join(dir, `worker-${i}`);
        mkdirSync(workDir, { recursive: true });
        state.workers.push(
          launch(
            "worker",
            `worker-${i}`,
            [
              "org.apache.spark.deploy.worker.Worker",
              "--host",
              "127.0.0.1",
              "--cores",
              String(options.coresPerWorker),
              "--memory",
              options.memoryPerWorker,
              "--work-dir",
              workDir,
              "--webui-port",
              String(await freePort()),
              masterUrl,
            ],
            options.wrapWorker ? (c, a) => options.wrapWorker!(i, c, a) : undefined,
          ),
        );
        writeFileSync(stateFile(dir), JSON.stringify(state, null, 2));
      }
      await waitFor(
        async () => ((await masterJson(state))?.aliveworkers ?? 0) >= options.workers,
        options.timeoutMs ?? 90_000,
        () => `only some Spark workers registered with ${masterUrl} (logs in ${logs})`,
      );
    } catch (err) {
      await SparkCluster.stop(dir);
      throw err;
    }
    return state;
  }

  /** Stops every daemon of the recorded cluster (and their executors); returns the pids ended. */
  static async stop(dir = defaultClusterDir()): Promise<number[]> {
    const state = readClusterState(undefined, dir);
    if (state === null) return [];
    const daemons = [...state.workers, state.master];
    const groups = daemons.map((d) => d.pid);
    for (const sig of ["SIGTERM", "SIGKILL"] as const) {
      for (const pgid of groups) signalGroup(pgid, sig);
      const gone = await waitFor(
        async () => processesInGroups(groups).length === 0,
        10_000,
        () => "",
      ).then(
        () => true,
        () => false,
      );
      if (gone) break;
    }
    const left = processesInGroups(groups);
    if (left.length > 0) {
      throw new Error(`Spark processes still running after SIGKILL: ${left.join(", ")}`);
    }
    rmSync(stateFile(dir), { force: true });
    return groups;
  }

  static async status(dir = defaultClusterDir()): Promise<ClusterStatus> {
    const state = readClusterState(undefined, dir);
    if (state === null) return { state: null, running: [], aliveWorkers: null };
    const running = [state.master, ...state.workers].map((d, i) => ({
      role: d.role === "master" ? "master" : `worker-${i}`,
      pid: d.pid,
      alive: isAlive(d.pid),
    }));
    const json = await masterJson(state);
    return { state, running, aliveWorkers: json?.aliveworkers ?? null };
  }
}

/** Pids (from /proc) whose process group is one of `pgids`: what stop() must leave empty. */
export function processesInGroups(pgids: number[]): number[] {
  const wanted = new Set(pgids);
  return listPids().filter((pid) => {
    const stat = readStat(pid); // null: the process ended while we looked
    return stat !== null && stat.state !== "Z" && wanted.has(stat.pgrp);
  });
}

function isAlive(pid: number): boolean {
  return processesInGroups([pid]).length > 0 || readStat(pid) !== null;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // group already gone
  }
}

async function masterJson(state: ClusterState): Promise<{ aliveworkers?: number } | null> {
  try {
    const res = await fetch(`${state.webUiUrl}/json/`, { signal: AbortSignal.timeout(2000) });
    return res.ok ? ((await res.json()) as { aliveworkers?: number }) : null;
  } catch {
    return null;
  }
}

async function waitFor(
  test: () => Promise<boolean>,
  timeoutMs: number,
  what: () => string,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
