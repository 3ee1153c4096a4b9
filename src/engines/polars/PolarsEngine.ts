import { createRequire } from "node:module";
import { parseMemorySize } from "../../config/memorySize.ts";
import { boxMemory } from "../../profile/boxMemory.ts";
import { chooseOutOfCorePlan } from "./outOfCorePlan.ts";
import type {
  Engine,
  EngineCapabilities,
  EngineOptions,
  EngineRun,
  PhaseTimer,
  RunRequest,
} from "../Engine.ts";

type Stages = typeof import("./stages.ts");

/**
 * The clickstream pipeline (docs/pipeline-spec.md) on nodejs-polars. Stages Parquet for the
 * Iceberg writer (capabilities.commitsIceberg = false).
 *
 * Threads: Polars sizes its thread pool from POLARS_MAX_THREADS when the pool is first used,
 * once per process. open() sets it before it loads nodejs-polars (this module imports it
 * only lazily), so `threads` works when open() is the first Polars use in the process; a
 * different value after that is refused. Memory: Polars has no memory cap. memoryLimit (else
 * the box's memory) is the budget that decides whether a run takes the out-of-core path
 * (outOfCore.ts: chunks and hash buckets spilled to Parquet, so the peak no longer grows with
 * the input); ETL_POLARS_OUT_OF_CORE forces the choice (outOfCorePlan.ts).
 */
export class PolarsEngine implements Engine {
  readonly name = "polars" as const;
  readonly capabilities: EngineCapabilities = { commitsIceberg: false };
  private stages: Stages | null = null;
  private budgetBytes = 0;
  /** What open() applied, for the run summary. */
  options: { threads: number | null; memoryLimit: string; outOfCore: string } = {
    threads: null,
    memoryLimit: "none (Polars has no memory cap)",
    outOfCore: "not run yet",
  };

  async version(): Promise<string> {
    const require = createRequire(import.meta.url);
    return (require("nodejs-polars/package.json") as { version: string }).version;
  }

  async open(options: EngineOptions): Promise<void> {
    if (options.threads !== undefined) {
      if (!Number.isInteger(options.threads) || options.threads < 1) {
        throw new Error(`polars: threads must be a positive integer, got ${options.threads}`);
      }
      const already = loadedThreads;
      if (already !== undefined && already !== String(options.threads)) {
        throw new Error(
          `polars: the thread pool is already sized (POLARS_MAX_THREADS=${already ?? "default"}) ` +
            `in this process; run with threads=${options.threads} in a fresh process`,
        );
      }
      process.env.POLARS_MAX_THREADS = String(options.threads);
    }
    if (loadedThreads === undefined) loadedThreads = process.env.POLARS_MAX_THREADS ?? null;
    this.options.threads = loadedThreads === null ? null : Number(loadedThreads);
    const box = boxMemory();
    this.budgetBytes =
      options.memoryLimit === undefined ? box.bytes : parseMemorySize(options.memoryLimit).bytes;
    this.options.memoryLimit =
      `none (Polars has no memory cap); ${Math.round(this.budgetBytes / 2 ** 20)} MiB ` +
      `(${options.memoryLimit === undefined ? box.source : "memoryLimit"}) chooses the out-of-core path`;
    this.stages = await import("./stages.ts");
  }

  async run(request: RunRequest, timer: PhaseTimer): Promise<EngineRun> {
    const s = this.stages;
    if (s === null) throw new Error("polars: run() called before open()");
    const timed = timer.time.bind(timer);
    // Imported here rather than at the top: maxmind is the run's library, not the engine's,
    // and is not needed before the engine is ready (docs/engines.md, "Start-up").
    const { GeoDb } = await import("../../geo/GeoDb.ts");
    const geo = GeoDb.open(request.geoDbPath);
    const plan = chooseOutOfCorePlan(
      request.input,
      process.env.ETL_POLARS_OUT_OF_CORE,
      this.budgetBytes,
    );
    this.options.outOfCore =
      plan === null
        ? "no (in memory)"
        : `yes: ${plan.buckets} buckets, chunks of ${plan.chunkBytes} bytes`;
    if (plan !== null) {
      const out = await s.runOutOfCore(request.input, request.stagingDir, geo, plan, timer);
      return { ...out, geoDb: geo.info };
    }
    const raw = await timed("ingest", () => s.ingest(request.input));
    const { valid, rejects } = await timed("cleanse", () => s.cleanse(raw));
    const enriched = await timed("enrich", () => s.enrich(valid, geo));
    const events = await timed("sessionize", () => s.sessionize(enriched));
    const sessionRows = await timed("sessions", () => s.sessions(events));
    const counts = {
      rowsIn: raw.height,
      events: events.height,
      sessions: sessionRows.height,
      rejects: rejects.height,
    };
    const staged = await timed("write", () =>
      s.write(request.stagingDir, { events, sessions: sessionRows, rejects }),
    );
    return { counts, staged, geoDb: geo.info };
  }

  async close(): Promise<void> {
    this.stages = null;
  }
}

/** POLARS_MAX_THREADS as it was when this process first opened Polars (null = default). */
let loadedThreads: string | null | undefined;

export function createEngine(): Engine {
  return new PolarsEngine();
}
