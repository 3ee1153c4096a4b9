import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type {
  Engine,
  EngineCapabilities,
  EngineOptions,
  EngineRun,
  PhaseTimer,
  RunRequest,
} from "../Engine.ts";
import { cleanse } from "./cleanse.ts";
import { defaultMemoryLimit } from "./defaultMemoryLimit.ts";
import { enrich } from "./enrich.ts";
import { ingest } from "./ingest.ts";
import { loadSql, sqlString } from "./loadSql.ts";
import { sessionize } from "./sessionize.ts";
import { sessions } from "./sessions.ts";
import { write } from "./write.ts";

/**
 * The pipeline of docs/pipeline-spec.md on DuckDB (@duckdb/node-api). Stages stream
 * through views where they can; the input is read once (cleanse), only the narrow keys of
 * the kept rows are sorted (sessionize), and Parquet is staged for the Iceberg writer.
 */
export class DuckDbEngine implements Engine {
  readonly name = "duckdb" as const;
  readonly capabilities: EngineCapabilities = { commitsIceberg: false };
  private instance: DuckDBInstance | null = null;
  private con: DuckDBConnection | null = null;

  async version(): Promise<string> {
    const con = this.connection();
    const reader = await con.runAndReadAll("SELECT version() AS v");
    return String(reader.getColumnsJS()[0][0]).replace(/^v/, "");
  }

  async open(options: EngineOptions): Promise<void> {
    const config: Record<string, string> = {};
    if (options.threads !== undefined) config.threads = String(options.threads);
    config.memory_limit = options.memoryLimit ?? defaultMemoryLimit();
    this.instance = await DuckDBInstance.create(":memory:", config);
    this.con = await this.instance.connect();
    // One call for the settings and the macros: each run() is a round trip through libuv's
    // thread pool before the engine is ready (docs/engines.md, "Fourth pass").
    await this.con.run(
      [
        // §C5: a time without a zone is UTC, and day partitions are UTC days.
        "SET TimeZone = 'UTC';",
        // Insertion order is not part of any output; dropping it lets DuckDB stream more.
        "SET preserve_insertion_order = false;",
        // Every join in the .sql files is written with its small side on the right (the hash
        // table). Left to itself the optimizer built the hash table on the WIDE side of the
        // row_id join in sessionize.sql (equal estimates), which doubled the write (measured).
        "SET disabled_optimizers = 'join_order,build_side_probe_side';",
        loadSql("macros"),
      ].join("\n"),
    );
  }

  async run(request: RunRequest, timer: PhaseTimer): Promise<EngineRun> {
    const con = this.connection();
    // Imported here rather than at the top: maxmind is the run's library, not the engine's,
    // and is not needed before the engine is ready (docs/engines.md, "Start-up").
    const { GeoDb } = await import("../../geo/GeoDb.ts");
    const geo = GeoDb.open(request.geoDbPath);
    // Spills of the sorts and joins, and cleanse's scratch Parquet, stay inside the run's
    // own folder.
    const tempDir = join(request.stagingDir, ".duckdb-tmp");
    mkdirSync(tempDir, { recursive: true });
    await con.run(`SET temp_directory = ${sqlString(tempDir)}`);

    const timed = timer.time.bind(timer);

    const format = await timed("ingest", () => ingest(con, request.input));
    const { rowsIn, validIps } = await timed("cleanse", () =>
      cleanse(con, request.input, format, tempDir),
    );
    await timed("enrich", () => enrich(con, geo, validIps));
    await timed("sessionize", () => sessionize(con));
    // Sessions are aggregated from the staged events files, so they run after the write.
    const written = await timed("write", () => write(con, stagingDir(request)));
    const eventFiles = written.find((t) => t.table === "events")?.files ?? [];
    const sessionTable = await timed("sessions", () =>
      sessions(con, request.stagingDir, eventFiles),
    );
    const staged = [...written, sessionTable];

    const count = (table: string) => staged.find((t) => t.table === table)?.files ?? [];
    const sum = (table: string) => count(table).reduce((n, f) => n + f.recordCount, 0);
    const counts = {
      rowsIn,
      events: sum("events"),
      sessions: sum("sessions"),
      rejects: sum("rejects"),
    };
    await con.run(loadSql("drop-work-tables"));
    rmSync(tempDir, { recursive: true, force: true });
    return { counts, staged, geoDb: geo.info };
  }

  async close(): Promise<void> {
    this.con?.closeSync();
    this.instance?.closeSync();
    this.con = null;
    this.instance = null;
  }

  private connection(): DuckDBConnection {
    if (this.con === null) throw new Error("DuckDB engine: call open() before run() or version()");
    return this.con;
  }
}

function stagingDir(request: RunRequest): string {
  mkdirSync(request.stagingDir, { recursive: true });
  return request.stagingDir;
}

export function createEngine(): Engine {
  return new DuckDbEngine();
}
