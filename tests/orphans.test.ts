import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPipeline } from "../src/harness/runPipeline.ts";
import { findOrphanFiles } from "../src/iceberg/findOrphanFiles.ts";
import { localFileIO, toLocalPath } from "../src/iceberg/fileIO.ts";
import { loadTable } from "../src/iceberg/loadTable.ts";
import { planFiles } from "../src/iceberg/scanTable.ts";
import { SqlCatalog } from "../src/iceberg/SqlCatalog.ts";
import { findDeadRunDirs, writeOwner } from "../src/profile/runOwner.ts";

const work = mkdtempSync(join(tmpdir(), "etl-orphans-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const input = join(import.meta.dirname, "fixtures", "golden", "input.csv");
const warehouse = join(work, "wh");
const hourAgo = (Date.now() - 2 * 3_600_000) / 1000;

/** `etl orphans` in this process; returns what it printed on stdout. */
async function orphansCli(args: string[]): Promise<string> {
  const { Command } = await import("commander");
  const { register } = await import("../src/cli/commands/orphans.ts");
  const program = new Command("etl").exitOverride();
  register(program);
  const out: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = () => {};
  try {
    await program.parseAsync(["orphans", "--warehouse", warehouse, "--format", "json", ...args], {
      from: "user",
    });
  } finally {
    [console.log, console.error] = [log, error];
  }
  return out.join("\n");
}

async function firstDataFile(table: string): Promise<string> {
  const catalog = new SqlCatalog(warehouse);
  try {
    const { metadata } = await loadTable(catalog, localFileIO, "duckdb", table);
    return toLocalPath((await planFiles(localFileIO, metadata)).files[0]!.file_path);
  } finally {
    catalog.close();
  }
}

/** A pid that is surely not running: a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  }).stdout as unknown as number;
}

beforeAll(async () => {
  const s = await runPipeline({ engine: "duckdb", input, warehouse, log: () => {} });
  expect(s.error).toBeNull();
}, 120_000);

describe("etl orphans", () => {
  it("lists files no metadata references, after the grace period, and deletes them only with --delete", async () => {
    const events = join(warehouse, "duckdb", "events");
    const strays = [
      join(events, "data", "event_time_day=2026-01-01", `${randomUUID()}-00000.parquet`),
      join(events, "metadata", `00009-${randomUUID()}.metadata.json`),
      join(events, "metadata", `${randomUUID()}-m0.avro`),
    ];
    for (const p of strays) writeFileSync(p, "left by a killed run");
    // Hadoop's checksum sibling of a referenced file (Spark writes them) is not an orphan.
    const kept = await firstDataFile("events");
    writeFileSync(join(kept, "..", `.${kept.split("/").pop()}.crc`), "crc");

    expect(JSON.parse(await orphansCli([]))).toEqual([]); // younger than the 1h default
    for (const p of strays) utimesSync(p, hourAgo, hourAgo);
    const listed = JSON.parse(await orphansCli([])) as { path: string; table: string }[];
    expect(listed.map((o) => o.path).sort()).toEqual([...strays].sort());
    expect(new Set(listed.map((o) => o.table))).toEqual(new Set(["duckdb.events"]));
    expect(strays.every((p) => existsSync(p))).toBe(true);

    await orphansCli(["--delete"]);
    expect(strays.some((p) => existsSync(p))).toBe(false);
    const catalog = new SqlCatalog(warehouse);
    try {
      expect(await findOrphanFiles(catalog, { olderThanMs: 0 })).toEqual([]);
    } finally {
      catalog.close();
    }
    rmSync(join(kept, "..", `.${kept.split("/").pop()}.crc`));
    // The tables are intact: every file the current snapshots list exists.
    expect(existsSync(kept)).toBe(true);
  }, 60_000);
});

describe("a run removes what dead runs left", () => {
  it("dead staging folders and the unreferenced files their commit journal names go; live ones stay", async () => {
    const staging = join(warehouse, ".staging");
    mkdirSync(staging, { recursive: true });
    const dir = (name: string) => {
      const d = join(staging, name);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, "part.parquet"), "staged");
      return d;
    };
    const dead = dir(`duckdb-${randomUUID()}`);
    writeFileSync(join(dead, ".owner"), JSON.stringify({ pid: Number(deadPid()), start: "1" }));
    const live = dir(`duckdb-${randomUUID()}`);
    writeOwner(live);
    const recentNoOwner = dir(`duckdb-${randomUUID()}`);
    const oldNoOwner = dir(`duckdb-${randomUUID()}`);
    utimesSync(oldNoOwner, hourAgo, hourAgo);

    // The dead run had moved a file into the table and written a metadata file, then died
    // before the swap; its journal also names a file a committed snapshot references.
    const referenced = await firstDataFile("sessions");
    const movedIn = join(warehouse, "duckdb", "sessions", "data", `${randomUUID()}-00000.parquet`);
    copyFileSync(referenced, movedIn);
    const metadataFile = join(
      warehouse,
      "duckdb",
      "sessions",
      "metadata",
      `00007-${randomUUID()}.metadata.json`,
    );
    writeFileSync(metadataFile, "{}");
    writeFileSync(
      join(dead, "commit.journal"),
      [movedIn, `file://${metadataFile}`, `file://${referenced}`].join("\n") + "\n",
    );

    expect(
      findDeadRunDirs(staging, 3_600_000)
        .map((d) => d.path)
        .sort(),
    ).toEqual([dead, oldNoOwner].sort());
    const lines: string[] = [];
    const s = await runPipeline({ engine: "duckdb", input, warehouse, log: (l) => lines.push(l) });
    expect(s.error).toBeNull();
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(oldNoOwner)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(recentNoOwner)).toBe(true);
    expect(existsSync(movedIn)).toBe(false);
    expect(existsSync(metadataFile)).toBe(false);
    expect(existsSync(referenced)).toBe(true);
    expect(lines.join("\n")).toContain(`removed ${movedIn}`);
    rmSync(live, { recursive: true });
    rmSync(recentNoOwner, { recursive: true });
  }, 120_000);
});
