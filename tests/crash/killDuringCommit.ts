import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findOrphanFiles } from "../../src/iceberg/findOrphanFiles.ts";
import { localFileIO, toLocalPath } from "../../src/iceberg/fileIO.ts";
import { loadTable } from "../../src/iceberg/loadTable.ts";
import { planFiles } from "../../src/iceberg/scanTable.ts";
import { SqlCatalog } from "../../src/iceberg/SqlCatalog.ts";
import { currentSnapshot } from "../../src/iceberg/tableMetadata.ts";
import { fingerprintInput, INPUT_FINGERPRINT_KEY } from "../../src/input/fingerprintInput.ts";

/**
 * The kill-during-commit test (issue 14, docs/hardening.md): a warehouse holds an earlier run;
 * a new run is stopped at a named point of its commit (ETL_PAUSE_AT) and killed with SIGKILL.
 * After each kill the three tables must all come from the earlier run or all from the new
 * one (the input fingerprint in each current snapshot's summary), every data file they list
 * must exist, and the next run must succeed and leave no orphan file and no staging folder.
 */

const root = join(import.meta.dirname, "..", "..");
const etl = join(root, "bin", "etl.js");
const TABLES = ["events", "sessions", "rejects"];

/** Every crash point of one commit, in the order a run passes them. */
export const COMMIT_POINTS = [
  "commit-start",
  ...TABLES.flatMap((t) => [`ensure:${t}`, `footers:${t}`, `moved-first:${t}`, `moved:${t}`]),
  ...TABLES.flatMap((t) => [`manifests:${t}`, `staged:${t}`]),
  "swap",
  "swapped",
  "committed",
  "cleaned",
];

export interface PointResult {
  point: string;
  /** false: the run never passed this point (e.g. moved-first of a one-file table). */
  reached: boolean;
  /** Whose tables the warehouse showed right after the kill. */
  after: "earlier" | "new" | "mixed" | "unreadable";
  nextRunOk: boolean;
  orphans: number;
  stagingLeft: boolean;
  ms: number;
}

interface RunResult {
  code: number | null;
  paused: boolean;
  stderr: string;
}

/** `etl run`, killed with SIGKILL as soon as it reports the pause point (if given). */
function etlRun(args: string[], pauseAt?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [etl, "run", ...args], {
      env: { ...process.env, ETL_PAUSE_AT: pauseAt ?? "" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    let paused = false;
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
      if (pauseAt && !paused && stderr.includes(`paused at ${pauseAt} `)) {
        paused = true;
        child.kill("SIGKILL");
      }
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, paused, stderr }));
  });
}

/** Input fingerprint of each table's current snapshot; null if a table is not readable. */
async function tableSources(warehouse: string, namespace: string): Promise<(string | null)[]> {
  const catalog = new SqlCatalog(warehouse);
  try {
    const out: (string | null)[] = [];
    for (const t of TABLES) {
      if (catalog.metadataLocation(namespace, t) === null) {
        out.push(null);
        continue;
      }
      const { metadata } = await loadTable(catalog, localFileIO, namespace, t);
      for (const f of (await planFiles(localFileIO, metadata)).files) {
        if (!existsSync(toLocalPath(f.file_path))) return [null];
      }
      out.push(currentSnapshot(metadata)?.summary[INPUT_FINGERPRINT_KEY] ?? null);
    }
    return out;
  } finally {
    catalog.close();
  }
}

export async function killDuringCommit(options: {
  engine: string;
  earlierInput: string;
  newInput: string;
  points?: readonly string[];
  log?: (line: string) => void;
}): Promise<PointResult[]> {
  const log = options.log ?? (() => {});
  const namespace = options.engine;
  const work = mkdtempSync(join(tmpdir(), "etl-kill-commit-"));
  const fpEarlier = fingerprintInput(options.earlierInput);
  const fpNew = fingerprintInput(options.newInput);
  if (fpEarlier === fpNew) throw new Error("the earlier and the new input must differ");
  const runArgs = (input: string, warehouse: string) => [
    ...["--engine", options.engine, "--input", input, "--warehouse", warehouse],
    ...["--namespace", namespace, "--mode", "overwrite"],
  ];
  try {
    const results: PointResult[] = [];
    for (const [i, point] of (options.points ?? COMMIT_POINTS).entries()) {
      const t0 = performance.now();
      // A warehouse of its own per point, written by the earlier run itself (Iceberg metadata
      // holds absolute paths: a copied warehouse would still point at the original's files).
      const warehouse = join(work, `wh-${i}`);
      const first = await etlRun(runArgs(options.earlierInput, warehouse));
      if (first.code !== 0) throw new Error(`the earlier run failed:\n${first.stderr}`);
      const killed = await etlRun(runArgs(options.newInput, warehouse), point);
      const sources = await tableSources(warehouse, namespace).catch(() => [null]);
      const after =
        sources.length === TABLES.length && sources.every((s) => s === fpEarlier)
          ? "earlier"
          : sources.length === TABLES.length && sources.every((s) => s === fpNew)
            ? "new"
            : sources.some((s) => s === null)
              ? "unreadable"
              : "mixed";
      const next = await etlRun(runArgs(options.newInput, warehouse));
      const nextSources = await tableSources(warehouse, namespace).catch(() => [null]);
      const catalog = new SqlCatalog(warehouse);
      let orphans: number;
      try {
        orphans = (await findOrphanFiles(catalog, { olderThanMs: 0 })).length;
      } finally {
        catalog.close();
      }
      const result: PointResult = {
        point,
        reached: killed.paused,
        after,
        nextRunOk: next.code === 0 && nextSources.every((s) => s === fpNew),
        orphans,
        stagingLeft: existsSync(join(warehouse, ".staging")),
        ms: Math.round(performance.now() - t0),
      };
      if (!killed.paused && killed.code !== 0) {
        throw new Error(`run for point ${point} failed before pausing:\n${killed.stderr}`);
      }
      results.push(result);
      log(JSON.stringify(result));
      rmSync(warehouse, { recursive: true, force: true });
    }
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `make kill-test`: generates the inputs, runs every point, prints a table, fails on a fault. */
async function main(): Promise<void> {
  const { parseArgs } = await import("node:util");
  const { execFileSync } = await import("node:child_process");
  const { values } = parseArgs({
    options: {
      engine: { type: "string", default: "duckdb" },
      events: { type: "string", default: "200000" },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), "etl-kill-inputs-"));
  try {
    const gen = (events: string, seed: string, out: string) =>
      execFileSync(
        process.execPath,
        [etl, "generate", "--events", events, "--seed", seed, "--out", out],
        {
          stdio: ["ignore", "ignore", "inherit"],
        },
      );
    const earlier = join(dir, "earlier.csv");
    const next = join(dir, "new.csv");
    gen("5000", "3", earlier);
    gen(values.events!, "7", next);
    console.log(
      `kill during commit: ${values.engine}, new run of ${values.events} events over an earlier run of 5000`,
    );
    const results = await killDuringCommit({
      engine: values.engine!,
      earlierInput: earlier,
      newInput: next,
      log: (line) => console.error(line),
    });
    console.log(
      "point                 reached  tables after kill  next run  orphans  staging left",
    );
    for (const r of results)
      console.log(
        `${r.point.padEnd(22)}${String(r.reached).padEnd(9)}${r.after.padEnd(19)}${(r.nextRunOk ? "ok" : "FAILED").padEnd(10)}${String(r.orphans).padEnd(9)}${r.stagingLeft}`,
      );
    const reached = results.filter((r) => r.reached);
    const bad = results.filter(
      (r) =>
        (r.reached && r.after !== "earlier" && r.after !== "new") ||
        !r.nextRunOk ||
        r.orphans > 0 ||
        r.stagingLeft,
    );
    console.log(
      `${reached.length} kill points reached (${reached.filter((r) => r.after === "earlier").length} showed the earlier run, ` +
        `${reached.filter((r) => r.after === "new").length} the new run), ${bad.length} fault(s)`,
    );
    if (bad.length > 0 || reached.length < 20) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await main();
