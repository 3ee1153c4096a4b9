import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../config/settings.ts";

/** What `etl spark-cluster start` started, kept in `<dir>/state.json` for status and stop. */
export interface ClusterState {
  dir: string;
  masterUrl: string;
  webUiUrl: string;
  coresPerWorker: number;
  memoryPerWorker: string;
  startedAt: string;
  master: DaemonState;
  workers: DaemonState[];
}

export interface DaemonState {
  role: "master" | "worker";
  /** Process id = process group id (each daemon leads its own group, executors included). */
  pid: number;
  log: string;
}

/** Default cluster folder (git-ignored); ETL_SPARK_CLUSTER_DIR overrides it (tests). */
export function defaultClusterDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ETL_SPARK_CLUSTER_DIR ?? join(projectRoot, "spark-work", "cluster");
}

export function stateFile(dir: string): string {
  return join(dir, "state.json");
}

/**
 * The recorded cluster, or null. With `masterUrl`, only a cluster with that URL (so a
 * spark:// run is sized from the workers actually started).
 */
export function readClusterState(
  masterUrl?: string,
  dir = defaultClusterDir(),
): ClusterState | null {
  const file = stateFile(dir);
  if (!existsSync(file)) return null;
  const state = JSON.parse(readFileSync(file, "utf8")) as ClusterState;
  if (masterUrl !== undefined && state.masterUrl !== masterUrl) return null;
  return state;
}
