import { once } from "node:events";
import { createWriteStream, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { RAW_COLUMNS } from "../lakehouse/tables.ts";
import { GeoDb } from "../geo/GeoDb.ts";
import { ChunkGenerator, type ChunkConfig } from "./ChunkGenerator.ts";
import { IpPool } from "./IpPool.ts";
import { DIRTY_RATES, SHAPE, type DirtyRates } from "./rates.ts";
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
  mkdirSync(dirname(out), { recursive: true });
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
  const write = async (b: Buffer): Promise<void> => {
    bytes += b.length;
    if (!stream.write(b)) await Promise.race([once(stream, "drain"), failed]);
  };
  await write(Buffer.from(`${RAW_COLUMNS.join(",")}\n`));
  const gen = new ChunkGenerator(cfg);
  const every = opts.progressMs ?? 2000;
  let lastReport = t0;
  for (let k = 0; k < gen.chunks; k++) {
    for (const b of gen.generate(k)) await write(b);
    const now = performance.now();
    if (opts.onProgress && now - lastReport >= every) {
      lastReport = now;
      opts.onProgress(Math.min((k + 1) * 131_072, cfg.events), cfg.events, now - t0);
    }
  }
  stream.end();
  await Promise.race([once(stream, "finish"), failed]);
  return bytes;
}
