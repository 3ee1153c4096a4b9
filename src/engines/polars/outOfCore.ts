import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import pl from "nodejs-polars";
import type { GeoDb } from "../../geo/GeoDb.ts";
import { scanCsv } from "../../input/checkCsv.ts";
import type { TableName } from "../../lakehouse/tables.ts";
import type { Phase, PhaseTimer, RunCounts, StagedFile, StagedTable } from "../Engine.ts";
import { CLEAN_COLUMNS, RAW, checkRows, dedup, rejectSelect } from "./cleanse.ts";
import { enrich } from "./enrich.ts";
import {
  CSV_OPTIONS,
  csvProblem,
  openInput,
  rawColumns,
  restoreLoneCr,
  startsWithParquetMagic,
} from "./ingest.ts";
import { sessionize } from "./sessionize.ts";
import { sessions } from "./sessions.ts";
import { PARQUET_EXPANSION, type OutOfCorePlan } from "./outOfCorePlan.ts";
import { stageTable } from "./write.ts";

/**
 * The pipeline in three bounded passes (docs/polars-notes.md, "Out of core"):
 * 1. the file is cut at record starts into chunks; each chunk is parsed and checked row by
 *    row (§I1-§C9); its rejects are staged, the rows that passed are spilled to bucket
 *    hash(event_id) mod K, so every copy of an event_id lands in one bucket;
 * 2. per event_id bucket, §C10 ranks the duplicates (exact: the bucket holds all copies),
 *    stages the duplicate rejects and spills the survivors to bucket hash(user_id) mod K;
 * 3. per user bucket (it holds whole users), §E1, §S1-§S4 and §O2, and the bucket's events
 *    and sessions are staged as one file per day.
 * Peak memory is one chunk or one bucket, not the input. The harness commits the staged
 * files in one Iceberg commit, as for the in-memory path.
 */
export async function runOutOfCore(
  input: string,
  stagingDir: string,
  geo: GeoDb,
  plan: OutOfCorePlan,
  timer: PhaseTimer,
): Promise<{ counts: RunCounts; staged: StagedTable[] }> {
  const K = plan.buckets;
  const spill = join(stagingDir, "_spill");
  const clock = phaseClock(timer);
  const staged: Record<TableName, StagedFile[]> = { events: [], sessions: [], rejects: [] };
  const add = (t: StagedTable) => staged[t.table].push(...t.files);
  const counts: RunCounts = { rowsIn: 0, events: 0, sessions: 0, rejects: 0 };
  try {
    // Pass 1.
    const chunks = (await clock.time("ingest", () => readChunks(input, plan)))[
      Symbol.asyncIterator
    ]();
    for (let n = 0; ; n++) {
      const next = await clock.time("ingest", () => chunks.next());
      if (next.done === true) break;
      const raw = next.value;
      await clock.time("cleanse", async () => {
        counts.rowsIn += raw.height;
        const checked = await (await checkRows(raw)).collect();
        const passed = pl.col("reject_reason").isNull();
        const failed = checked.filter(passed.not()).select(...rejectSelect());
        counts.rejects += failed.height;
        add(stageTable(stagingDir, "rejects", failed, `part-c${n}.parquet`));
        const keep = [...CLEAN_COLUMNS, ...CLEAN_COLUMNS.map((c) => RAW + c)];
        spillByHash(checked.filter(passed).select(...keep), "event_id", K, spill, "e", `c${n}`);
      });
      await release();
    }
    // Pass 2.
    await clock.time("cleanse", async () => {
      for (let b = 0; b < K; b++) {
        const rows = readBucket(join(spill, `e${b}`));
        if (rows === null) continue;
        const marked = rows.withColumns(pl.col("event_id").isDuplicated().alias("__dup"));
        const single = marked.filter(pl.col("__dup").not()).select(...CLEAN_COLUMNS);
        const { kept, duplicates } = dedup(marked.filter(pl.col("__dup")));
        const rejected = duplicates
          .withColumns(pl.lit("duplicate_event_id").alias("reject_reason"))
          .select(...rejectSelect());
        counts.rejects += rejected.height;
        add(stageTable(stagingDir, "rejects", rejected, `part-d${b}.parquet`));
        const valid = pl.concat([single, kept.select(...CLEAN_COLUMNS)]);
        spillByHash(valid, "user_id", K, spill, "u", `e${b}`);
        rmSync(join(spill, `e${b}`), { recursive: true, force: true });
        await release();
      }
    });
    // Pass 3.
    for (let u = 0; u < K; u++) {
      const valid = readBucket(join(spill, `u${u}`));
      if (valid === null) continue;
      const enriched = await clock.time("enrich", () => enrich(valid, geo));
      const events = await clock.time("sessionize", () => sessionize(enriched));
      const sessionRows = await clock.time("sessions", () => sessions(events));
      counts.events += events.height;
      counts.sessions += sessionRows.height;
      await clock.time("write", () => {
        add(stageTable(stagingDir, "events", events, `part-${u}.parquet`));
        add(stageTable(stagingDir, "sessions", sessionRows, `part-${u}.parquet`));
      });
      rmSync(join(spill, `u${u}`), { recursive: true, force: true });
      await release();
    }
    clock.end();
  } catch (err) {
    // Nothing half-staged is left for the Iceberg writer.
    for (const t of ["events", "sessions", "rejects"])
      rmSync(join(stagingDir, t), { recursive: true, force: true });
    throw err;
  } finally {
    rmSync(spill, { recursive: true, force: true });
  }
  const byDay = (a: StagedFile, b: StagedFile) => (a.partitionDay ?? 0) - (b.partitionDay ?? 0);
  const tables: TableName[] = ["events", "sessions", "rejects"];
  return { counts, staged: tables.map((t) => ({ table: t, files: staged[t].sort(byDay) })) };
}

/**
 * The input as raw frames (nine Utf8 columns, §I1-§I4), one per chunk. A CSV file is checked
 * whole first (§I2, naming the faulty line, before anything is staged); that same scan finds
 * the record starts where it is cut, so a quoted line break never splits a chunk.
 */
async function readChunks(
  input: string,
  plan: OutOfCorePlan,
): Promise<AsyncIterable<pl.DataFrame>> {
  const isParquet = startsWithParquetMagic(input);
  const { scan, header } = openInput(input, isParquet);
  if (isParquet) return parquetChunks(input, scan, plan);
  const check = scanCsv(input, 8 << 20, plan.chunkBytes);
  if (check.problem !== null) throw csvProblem(input, check.problem);
  return csvChunks(input, header, check.cuts, check.loneCrCells);
}

async function* csvChunks(
  input: string,
  header: string[],
  cuts: { offset: number; row: number }[],
  loneCrCells: { row: number; field: number }[],
): AsyncIterable<pl.DataFrame> {
  const size = statSync(input).size;
  const fd = openSync(input, "r");
  try {
    const first = cuts[0]?.offset ?? size;
    const head = Buffer.alloc(first);
    readSync(fd, head, 0, first, 0);
    for (let i = 0; i < cuts.length; i++) {
      const { offset, row } = cuts[i]!;
      const end = cuts[i + 1]?.offset ?? size;
      if (end <= offset) continue;
      // The header goes in front of every chunk, so each parses like the whole file.
      const buf = Buffer.allocUnsafe(first + end - offset);
      head.copy(buf, 0);
      readSync(fd, buf, first, end - offset, offset);
      let raw: pl.DataFrame;
      try {
        raw = pl.readCSV(buf, CSV_OPTIONS).select(...rawColumns(false));
      } catch (err) {
        throw new Error(
          `${input}: not a well-formed CSV file (§I2) in the rows from data row ${row + 1}: ` +
            `${(err as Error).message}; nothing was loaded, fix the file and run again`,
        );
      }
      const last = row + raw.height;
      const cells = loneCrCells
        .filter((c) => c.row >= row && c.row < last)
        .map((c) => ({ row: c.row - row, field: c.field }));
      yield cells.length === 0 ? raw : await restoreLoneCr(raw, header, cells);
    }
  } finally {
    closeSync(fd);
  }
}

async function* parquetChunks(
  input: string,
  scan: pl.LazyDataFrame,
  plan: OutOfCorePlan,
): AsyncIterable<pl.DataFrame> {
  try {
    const rows = (await scan.select(pl.len().alias("n")).collect()).getColumn("n").get(0) as number;
    const chunks = Math.max(
      1,
      Math.ceil((statSync(input).size * PARQUET_EXPANSION) / plan.chunkBytes),
    );
    const per = Math.max(1, Math.ceil(rows / chunks));
    for (let start = 0; start < rows; start += per) {
      yield await scan
        .slice(start, per)
        .select(...rawColumns(true))
        .collect();
    }
  } catch (err) {
    throw new Error(`${input}: cannot be read as Parquet (§I4): ${(err as Error).message}`);
  }
}

/** Appends `df`'s rows to spill/<prefix><bucket>/<name>.parquet by hash(column) mod K. */
function spillByHash(
  df: pl.DataFrame,
  column: string,
  K: number,
  spill: string,
  prefix: string,
  name: string,
): void {
  if (df.height === 0) return;
  const bucket = pl
    .col(column)
    .hash(11, 22, 33, 44)
    // 0.25.2 plans hash() as a map typed like its input (Utf8): cast before the arithmetic.
    .cast(pl.UInt64)
    .modulo(pl.lit(K).cast(pl.UInt64))
    .cast(pl.UInt32)
    .alias("__bucket");
  df.withColumns(bucket).partitionBy("__bucket", false, true, (part: pl.DataFrame) => {
    const b = part.getColumn("__bucket").get(0) as number;
    const dir = join(spill, `${prefix}${b}`);
    mkdirSync(dir, { recursive: true });
    part.drop("__bucket").writeParquet(join(dir, `${name}.parquet`), { compression: "lz4" });
  });
}

/** Every spilled file of one bucket as one frame, or null when the bucket got no rows. */
function readBucket(dir: string): pl.DataFrame | null {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith(".parquet"));
  } catch {
    return null;
  }
  if (names.length === 0) return null;
  names.sort();
  return pl.concat(names.map((f) => pl.readParquet(join(dir, f))));
}

/**
 * The harness's timer for phases that run many times, interleaved (once per chunk or
 * bucket): each phase is reported started once and ended once, with its summed time.
 */
function phaseClock(timer: PhaseTimer): {
  time<T>(phase: Phase, fn: () => Promise<T> | T): Promise<T>;
  end(): void;
} {
  const total = new Map<Phase, number>();
  return {
    async time(phase, fn) {
      if (!total.has(phase)) {
        total.set(phase, 0);
        timer.started(phase);
      }
      const t0 = performance.now();
      try {
        return await fn();
      } finally {
        total.set(phase, total.get(phase)! + performance.now() - t0);
      }
    },
    end() {
      for (const [phase, ms] of total) timer.ended(phase, ms);
    },
  };
}

/**
 * A Polars frame's memory is native, held by a small JS object that V8 does not count, so V8
 * sees no pressure and keeps the finished chunks' and buckets' frames alive: the peak then
 * grows with the input again. A full collection after each chunk and bucket frees them.
 * ETL_POLARS_OOC_TRACE=1 prints the RSS at each step (stderr).
 */
async function release(): Promise<void> {
  collectGarbage()?.();
  // Node runs the native finalizers of collected objects from the event loop, not inside
  // gc(): without this turn a synchronous loop over buckets kept every bucket's frames
  // (10M events in a 4 GB box: RSS +700 MB per event bucket until the OOM kill).
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (process.env.ETL_POLARS_OOC_TRACE === "1")
    process.stderr.write(
      `[polars out of core] rss ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MiB\n`,
    );
}

let gc: (() => void) | null | undefined;

/**
 * V8's gc(), exposed on first use rather than when this module loads (before the engine is
 * ready): node:v8 and a new V8 context cost ~5 ms of CPU, and changing V8's flags makes it
 * refuse the code cache of a bundle loaded after, maxmind's (docs/engines.md, "Fourth pass").
 */
function collectGarbage(): (() => void) | null {
  if (gc === undefined) {
    if (process.env.ETL_POLARS_OOC_GC === "0") gc = null;
    else {
      gc = (globalThis as { gc?: () => void }).gc ?? null;
      if (gc === null) {
        const v8 = createRequire(import.meta.url)("node:v8") as typeof import("node:v8");
        v8.setFlagsFromString("--expose-gc");
        gc = runInNewContext("gc") as () => void;
      }
    }
  }
  return gc;
}
