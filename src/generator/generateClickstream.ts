import { once } from "node:events";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { createWriteStream, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { RAW_COLUMNS } from "../lakehouse/tables.ts";
import { GeoDb } from "../geo/GeoDb.ts";
import type { ChunkConfig } from "./ChunkConfig.ts";
import { ChunkGenerator } from "./ChunkGenerator.ts";
import { IpPool } from "./IpPool.ts";
import { CHUNK_EVENTS, DIRTY_RATES, SHAPE, type DirtyRates } from "./rates.ts";
import { SplitMix32 } from "./SplitMix32.ts";

export interface GenerateOptions {
  /** Data rows in the file, re-deliveries (duplicates) included. */
  events: number;
  seed: number | string;
  out: string;
  format: "csv" | "parquet";
  /** Distinct user ids to draw from; default events / SHAPE.eventsPerUser. */
  users?: number;
  /** First day, YYYY-MM-DD (UTC). */
  start?: string;
  days?: number;
  /** Multiplies every DIRTY_RATES entry; 0 gives clean data. */
  dirtyRate?: number;
  geoDbPath: string;
  /** Called about every progressMs with rows written so far. */
  onProgress?: (rows: number, total: number, elapsedMs: number) => void;
  progressMs?: number;
  /** Worker threads; 0 = generate on the main thread. Never changes the output bytes. */
  workers?: number;
}

export interface GenerateResult {
  out: string;
  format: "csv" | "parquet";
  rows: number;
  /** Size of the CSV text (the intermediate one for parquet). */
  csvBytes: number;
  fileBytes: number;
  csvMs: number;
  parquetMs: number;
  totalMs: number;
  /** Data rows per second of the CSV generation. */
  eventsPerSecond: number;
}

export const DEFAULT_START = "2026-01-01";
export const DEFAULT_DAYS = 30;

/** Parses YYYY-MM-DD into microseconds since the epoch at UTC midnight. */
export function parseStartDate(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ms = m === null ? NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new Error(`--start ${text} is not a date YYYY-MM-DD (e.g. ${DEFAULT_START}).`);
  }
  return ms * 1000;
}

/** DIRTY_RATES scaled by a factor, refusing factors that make a probability exceed 1. */
export function scaledRates(factor: number): DirtyRates {
  if (!(factor >= 0)) throw new Error(`--dirty-rate ${factor} must be a number >= 0.`);
  const rates = Object.fromEntries(
    Object.entries(DIRTY_RATES).map(([k, v]) => [k, v * factor]),
  ) as DirtyRates;
  const rejectKinds =
    rates.missingEventId +
    rates.missingUserId +
    rates.missingEventTime +
    rates.invalidDate +
    rates.hour24 +
    rates.sevenFractionDigits +
    rates.badOffset +
    rates.garbageTime;
  const tooHigh = Object.entries(rates).find(([, v]) => v > 1);
  if (
    rejectKinds > 1 ||
    tooHigh !== undefined ||
    rates.eventTypeCase + rates.missingEventType > 1
  ) {
    throw new Error(
      `--dirty-rate ${factor} makes a dirty-data probability exceed 1 (see src/generator/rates.ts).`,
    );
  }
  return rates;
}

export function chunkConfig(opts: GenerateOptions, geo: GeoDb): ChunkConfig {
  if (!Number.isInteger(opts.events) || opts.events < 0) {
    throw new Error(`--events ${opts.events} must be a whole number >= 0.`);
  }
  const days = opts.days ?? DEFAULT_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 3660) {
    throw new Error(`--days ${days} must be a whole number from 1 to 3660.`);
  }
  const users = opts.users ?? Math.max(10, Math.round(opts.events / SHAPE.eventsPerUser));
  if (!Number.isInteger(users) || users < 1 || users > 4_000_000_000) {
    throw new Error(`--users ${users} must be a whole number from 1 to 4e9.`);
  }
  const seed = SplitMix32.seedFrom(opts.seed);
  const pool = IpPool.build(geo, seed);
  return {
    events: opts.events,
    seed,
    users,
    startMicros: parseStartDate(opts.start ?? DEFAULT_START),
    days,
    rates: scaledRates(opts.dirtyRate ?? 1),
    ips: {
      addresses: pool.addresses,
      publicV4: pool.publicV4,
      publicV6: pool.publicV6,
      private: pool.private,
    },
  };
}

/**
 * Writes the clickstream file: header + exactly `events` rows, chunk by chunk, through a
 * write stream with backpressure (memory stays bounded at any size). Parquet goes through
 * a temporary CSV converted by DuckDB with every column kept as text, same row order.
 */
export async function generateClickstream(opts: GenerateOptions): Promise<GenerateResult> {
  const t0 = performance.now();
  const out = resolve(opts.out);
  const geo = GeoDb.open(opts.geoDbPath);
  const cfg = chunkConfig(opts, geo);
  try {
    mkdirSync(dirname(out), { recursive: true });
  } catch (err) {
    throw new Error(`cannot create the folder of --out ${out}: ${(err as Error).message}`);
  }
  const csvPath =
    opts.format === "csv" ? `${out}.tmp-${process.pid}` : `${out}.tmp-${process.pid}.csv`;
  try {
    const csvBytes = await writeCsv(cfg, csvPath, opts);
    const csvMs = performance.now() - t0;
    let parquetMs = 0;
    if (opts.format === "parquet") {
      const t1 = performance.now();
      const { csvToParquet } = await import("./csvToParquet.ts");
      await csvToParquet(csvPath, `${out}.tmp-${process.pid}`);
      rmSync(csvPath, { force: true });
      parquetMs = performance.now() - t1;
    }
    renameSync(`${out}.tmp-${process.pid}`, out);
    const totalMs = performance.now() - t0;
    return {
      out,
      format: opts.format,
      rows: cfg.events,
      csvBytes,
      fileBytes: statSync(out).size,
      csvMs,
      parquetMs,
      totalMs,
      eventsPerSecond: cfg.events / (csvMs / 1000),
    };
  } catch (err) {
    rmSync(csvPath, { force: true });
    rmSync(`${out}.tmp-${process.pid}`, { force: true });
    throw err;
  }
}

async function writeCsv(cfg: ChunkConfig, path: string, opts: GenerateOptions): Promise<number> {
  const t0 = performance.now();
  const stream = createWriteStream(path, { highWaterMark: 16 << 20 });
  const failed = new Promise<never>((_, reject) => stream.once("error", reject));
  failed.catch(() => undefined);
  let bytes = 0;
  /** Writes one chunk's batches with backpressure; `done` runs once they reached the file. */
  const writeBatches = async (batches: Buffer[], done: () => void): Promise<void> => {
    for (let i = 0; i < batches.length; i++) {
      bytes += batches[i].length;
      const ok = stream.write(batches[i], i === batches.length - 1 ? done : undefined);
      if (!ok) await Promise.race([once(stream, "drain"), failed]);
    }
  };
  await writeBatches([Buffer.from(`${RAW_COLUMNS.join(",")}\n`)], () => undefined);

  const chunks = Math.ceil(cfg.events / CHUNK_EVENTS);
  const every = opts.progressMs ?? 2000;
  let lastReport = t0;
  const progress = (written: number): void => {
    const now = performance.now();
    if (opts.onProgress && now - lastReport >= every) {
      lastReport = now;
      opts.onProgress(Math.min(written * CHUNK_EVENTS, cfg.events), cfg.events, now - t0);
    }
  };
  // Default: one core writes (the main thread, mostly kernel time), the others generate.
  const workers =
    opts.workers ??
    (cfg.events >= 1_000_000 ? Math.max(0, Math.min(availableParallelism() - 1, 4)) : 0);
  if (workers <= 0 || chunks <= 1) {
    const gen = new ChunkGenerator(cfg);
    for (let k = 0; k < chunks; k++) {
      const batches = gen.generate(k);
      await writeBatches(batches, () => gen.recycle(batches));
      progress(k + 1);
    }
  } else {
    await writeWithWorkers(cfg, chunks, workers, writeBatches, progress);
  }
  stream.end();
  await Promise.race([once(stream, "finish"), failed]);
  return bytes;
}

/**
 * Chunks rendered by worker threads, written strictly in chunk order. Each worker has at
 * most two chunks in flight, so memory stays bounded (about 2 x workers x 40 MB).
 */
async function writeWithWorkers(
  cfg: ChunkConfig,
  chunks: number,
  workers: number,
  writeBatches: (batches: Buffer[], done: () => void) => Promise<void>,
  progress: (written: number) => void,
): Promise<void> {
  const entry = new URL("./chunkWorker.mjs", import.meta.url);
  const pool = Array.from({ length: workers }, () => new Worker(entry, { workerData: cfg }));
  const ready = new Map<number, { batches: Buffer[]; worker: Worker }>();
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let nextToAssign = 0;
  const assign = (w: Worker): void => {
    if (nextToAssign < chunks) w.postMessage({ chunk: nextToAssign++ });
  };
  for (const w of pool) {
    w.on("message", (m: { chunk: number; batches: Uint8Array[] }) => {
      const batches = m.batches.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
      ready.set(m.chunk, { batches, worker: w });
      wake?.();
    });
    w.on("error", (err) => {
      failure = new Error(`generator worker failed: ${err.message}`);
      wake?.();
    });
    assign(w);
    assign(w);
  }
  try {
    for (let k = 0; k < chunks; k++) {
      let item = ready.get(k);
      while (item === undefined) {
        if (failure !== null) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        item = ready.get(k);
      }
      ready.delete(k);
      const { batches, worker } = item;
      assign(worker);
      await writeBatches(batches, () => {
        const recycle = batches.map((b) => new Uint8Array(b.buffer, 0, b.buffer.byteLength));
        worker.postMessage(
          { recycle },
          recycle.map((b) => b.buffer as ArrayBuffer),
        );
      });
      progress(k + 1);
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
