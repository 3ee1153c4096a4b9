import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listSnapshots } from "../src/iceberg/listTableSummaries.ts";
import { openIcebergDuckDb } from "../src/iceberg/openIcebergDuckDb.ts";
import { SqlCatalog } from "../src/iceberg/SqlCatalog.ts";

/** Real writer processes (tests/fixtures/iceberg/writeFixtureTables.ts), one node process each. */
const SCRIPT = resolve("tests/fixtures/iceberg/writeFixtureTables.ts");
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "iceberg-faults-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Writer {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
}

function writer(args: string[]): Writer {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
  }>((ok) => child.on("exit", (code, signal) => ok({ code, signal, stdout, stderr })));
  return { child, done };
}

async function waitFor(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function count(wh: string, table: string): Promise<number> {
  const db = await openIcebergDuckDb(wh, { threads: 1, memoryLimit: "256MB" });
  try {
    const rows = (
      await db.connection.runAndReadAll(`SELECT count(*)::INT AS n FROM ${table}`)
    ).getRowObjectsJson();
    return Number(rows[0]!.n);
  } finally {
    db.connection.closeSync();
    db.instance.closeSync();
  }
}

const common = (wh: string) => ["--warehouse", wh, "--namespace", "f", "--tables", "events"];

describe("writer faults", () => {
  it("a writer killed with SIGKILL after moving data files and before the swap leaves the table at its previous snapshot", async () => {
    const wh = join(root, "kill");
    const base = await writer([...common(wh), "--mode", "append", "--tag", "a"]).done;
    expect(base.code).toBe(0);
    const before = new SqlCatalog(wh);
    const location = before.metadataLocation("f", "events");
    before.close();

    const pause = join(root, "kill-pause");
    mkdirSync(pause);
    const w = writer([
      ...common(wh),
      "--mode",
      "append",
      "--tag",
      "b",
      "--pause-before-swap",
      pause,
    ]);
    await waitFor(() => readdirSync(pause).some((f) => f.endsWith(".ready")), "writer to stage");
    // its data files, manifests and new metadata JSON are on disk now
    const dayDir = join(wh, "f", "events", "data", "event_time_day=2026-01-01");
    expect(readdirSync(dayDir)).toHaveLength(2);
    w.child.kill("SIGKILL");
    const res = await w.done;
    expect(res.signal).toBe("SIGKILL");

    const after = new SqlCatalog(wh);
    expect(after.metadataLocation("f", "events")).toBe(location);
    after.close();
    expect(await count(wh, "f.events")).toBe(10);
    expect((await listSnapshots(wh, "f.events")).length).toBe(1);

    // the next writer commits normally on top of the previous snapshot; orphans stay unreferenced
    expect((await writer([...common(wh), "--mode", "append", "--tag", "c"]).done).code).toBe(0);
    expect(await count(wh, "f.events")).toBe(20);
    const snaps = await listSnapshots(wh, "f.events");
    expect(snaps.map((s) => s.total_records)).toEqual([10, 20]);
  });

  it("two concurrent appends both land, one after a retry; no snapshot is lost", async () => {
    const wh = join(root, "appends");
    expect((await writer([...common(wh), "--mode", "append", "--tag", "a"]).done).code).toBe(0);
    const pause = join(root, "appends-pause");
    mkdirSync(pause);
    const ws = ["b", "c"].map((tag) =>
      writer([...common(wh), "--mode", "append", "--tag", tag, "--pause-before-swap", pause]),
    );
    await waitFor(
      () => readdirSync(pause).filter((f) => f.endsWith(".ready")).length === 2,
      "both writers to stage",
    );
    writeFileSync(join(pause, "go"), "");
    const results = await Promise.all(ws.map((w) => w.done));
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    expect(await count(wh, "f.events")).toBe(30);
    const snaps = await listSnapshots(wh, "f.events");
    expect(snaps.map((s) => s.total_records)).toEqual([10, 20, 30]);
    // a linear history: each snapshot's parent is the one before it
    expect(snaps[1]!.parent_id).toBe(snaps[0]!.snapshot_id);
    expect(snaps[2]!.parent_id).toBe(snaps[1]!.snapshot_id);
  });

  it("of two concurrent overwrites one lands and the other fails with CommitConflictError", async () => {
    const wh = join(root, "overwrites");
    expect((await writer([...common(wh), "--mode", "append", "--tag", "a"]).done).code).toBe(0);
    const pause = join(root, "overwrites-pause");
    mkdirSync(pause);
    const ws = ["b", "c"].map((tag) =>
      writer([...common(wh), "--mode", "overwrite", "--tag", tag, "--pause-before-swap", pause]),
    );
    await waitFor(
      () => readdirSync(pause).filter((f) => f.endsWith(".ready")).length === 2,
      "both writers to stage",
    );
    writeFileSync(join(pause, "go"), "");
    const results = await Promise.all(ws.map((w) => w.done));
    const ok = results.filter((r) => r.code === 0);
    const failed = results.filter((r) => r.code !== 0);
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.stderr).toMatch(
      /CommitConflictError: overwrite of f\.events not committed after 1 attempt/,
    );
    expect(await count(wh, "f.events")).toBe(10);
    const winner = JSON.parse(ok[0]!.stdout) as { committed: { snapshotId: string }[] };
    const snaps = await listSnapshots(wh, "f.events");
    expect(snaps.map((s) => [s.operation, s.total_records])).toEqual([
      ["append", 10],
      ["overwrite", 10],
    ]);
    expect(snaps[1]!.snapshot_id).toBe(winner.committed[0]!.snapshotId);
    expect(existsSync(join(pause, "go"))).toBe(true);
  });
});
