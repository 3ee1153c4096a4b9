import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { projectRoot } from "../config/settings.ts";
import { hostInventory } from "../profile/hostInventory.ts";
import { loadAverages } from "../profile/procfs.ts";
import type { BenchMatrix } from "./BenchMatrix.ts";
import type { BenchHost, BenchRow } from "./BenchRow.ts";
import { findMismatches, markEquivalence, type Mismatch } from "./equivalence.ts";
import { inputPath } from "./ensureInput.ts";
import { runCell } from "./runCell.ts";
import { formatSummary } from "./summarizeRows.ts";
import { validateBenchRow } from "./validateBenchRow.ts";
import { withFileLock } from "./withFileLock.ts";
import { writeRowsParquet } from "./writeRowsParquet.ts";

export interface RunMatrixOptions {
  /** Re-run cells already in the results file. */
  force?: boolean;
  /** Only cells whose id contains one of these texts (comma-separated on the CLI). */
  only?: string[];
  /** flock(1) file held around each cell, e.g. /tmp/etl-bigrun.lock. */
  lockFile?: string;
  log?: (line: string) => void;
}

export interface MatrixOutcome {
  rows: BenchRow[];
  allRows: BenchRow[];
  mismatches: Mismatch[];
  skipped: number;
  resultsFile: string;
  parquetFile: string;
  summary: string;
}

/** Rows already in a results file (a truncated last line, from a killed run, is ignored). */
export function readRows(file: string): BenchRow[] {
  if (!existsSync(file)) return [];
  const rows: BenchRow[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      rows.push(JSON.parse(line) as BenchRow);
    } catch {
      // a line cut by a kill mid-write
    }
  }
  return rows;
}

/**
 * Runs every (cell, repetition) of the matrix not yet in its results file (all with
 * force), one fresh process each, appending each row as it lands; then exports the file to
 * Parquet, prints the summary and checks equivalence over every row of the file.
 */
export async function runMatrix(
  matrix: BenchMatrix,
  options: RunMatrixOptions = {},
): Promise<MatrixOutcome> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const resultsFile = matrix.results;
  mkdirSync(dirname(resultsFile), { recursive: true });
  const previous = readRows(resultsFile);
  const done = new Set(
    previous
      .filter((r) => r.matrix === matrix.name && r.failure_reason !== "setup")
      .map((r) => `${r.cell_id}#${r.repetition}`),
  );
  const only = options.only?.filter((s) => s !== "") ?? [];
  const selected = matrix.runs.filter(
    (r) => only.length === 0 || only.some((o) => r.cell.id.includes(o)),
  );
  const todo = selected.filter((r) => options.force || !done.has(`${r.cell.id}#${r.repetition}`));
  const skipped = selected.length - todo.length;
  if (skipped > 0)
    log(`bench: ${skipped} cell run(s) already in ${resultsFile} (--force re-runs them)`);

  const inv = await hostInventory();
  const host: BenchHost = {
    cpu: inv.cpu,
    physical_cores: inv.physicalCores,
    logical_cores: inv.logicalCores,
    memory_bytes: inv.memoryBytes,
    os: inv.os,
    node: inv.node,
    hostname: hostname(),
  };
  const codeVersion = gitDescribe();
  const runId = `${new Date().toISOString().replace(/[:.]/g, "").slice(0, 15)}Z-${randomBytes(3).toString("hex")}`;
  const scratch = join(projectRoot, "scratch", "bench", runId);
  mkdirSync(scratch, { recursive: true });
  // Cells' stderr: next to the scratch folders (git-ignored), not beside committed results.
  const logFile = join(projectRoot, "scratch", "bench", `${matrix.name}.log`);

  const { SingleBar, Presets } = await import("cli-progress");
  const tty = process.stderr.isTTY === true;
  const bar = new SingleBar(
    {
      format: "bench {bar} {value}/{total} cells | ETA {eta_formatted} | {cell}",
      hideCursor: true,
      etaBuffer: 4,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  if (tty && todo.length > 0) bar.start(todo.length, 0, { cell: "" });
  const say = (line: string) => {
    if (tty && todo.length > 0) process.stderr.write(`\r\x1b[K${line}\n`);
    else log(line);
  };

  const rows: BenchRow[] = [];
  const allRows = [...previous];
  const t0 = Date.now();
  for (let i = 0; i < todo.length; i++) {
    const { cell, repetition } = todo[i];
    bar.update(i, { cell: `${cell.id}#${repetition}` });
    const run = async () => {
      say(`bench: [${i + 1}/${todo.length}] ${cell.id} rep ${repetition} (load ${readLoad()})`);
      return runCell(cell, repetition, {
        runId,
        matrix: matrix.name,
        matrixFile: matrix.file ? matrix.file.replace(`${projectRoot}/`, "") : null,
        codeVersion,
        host,
        scratch,
        logFile,
        log: say,
      });
    };
    const row = options.lockFile
      ? await withFileLock(options.lockFile, run, () =>
          say(`bench: waiting for ${options.lockFile}`),
        )
      : await run();
    markEquivalence(row, allRows);
    validateBenchRow(row, `${cell.id}#${repetition}`);
    appendFileSync(resultsFile, `${JSON.stringify(row)}\n`);
    rows.push(row);
    allRows.push(row);
    const what = row.success
      ? `${(row.wall_ms! / 1000).toFixed(1)} s, ${Math.round(row.peak_rss_bytes! / 2 ** 20)} MB${row.equivalent === false ? ", NOT EQUIVALENT" : ""}`
      : `FAILED (${row.failure_reason}): ${row.error?.slice(0, 200)}`;
    say(`bench: ${cell.id}#${repetition} ${what}`);
    if (!tty) {
      const elapsed = (Date.now() - t0) / 1000;
      const eta = (elapsed / (i + 1)) * (todo.length - i - 1);
      say(`bench: ${i + 1}/${todo.length} done, ETA ${Math.round(eta / 60)} min`);
    }
    // The 100M inputs are removed once the last cell that reads them has run.
    const path = inputPath(cell.events, cell.format);
    if (
      cell.dropInputAfter &&
      !todo.slice(i + 1).some((r) => r.cell.events === cell.events && r.cell.format === cell.format)
    ) {
      say(`bench: removing ${path} (drop_input_after)`);
      rmSync(path, { force: true });
    }
  }
  if (tty && todo.length > 0) {
    bar.update(todo.length, { cell: "done" });
    bar.stop();
  }
  rmSync(scratch, { recursive: true, force: true });

  const parquetFile = resultsFile.replace(/\.jsonl$/, "") + ".parquet";
  const fileRows = readRows(resultsFile);
  if (fileRows.length > 0) writeRowsParquet(fileRows, parquetFile);
  const matrixRows = fileRows.filter(
    (r) => r.matrix === matrix.name && selected.some((s) => s.cell.id === r.cell_id),
  );
  return {
    rows,
    allRows: fileRows,
    mismatches: findMismatches(fileRows),
    skipped,
    resultsFile,
    parquetFile,
    summary: formatSummary(
      matrixRows,
      selected.map((s) => s.cell.id),
    ),
  };
}

function gitDescribe(): string | null {
  try {
    return execFileSync("git", ["describe", "--always", "--dirty"], {
      cwd: projectRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return null;
  }
}

function readLoad(): string {
  return loadAverages().join(" ");
}
