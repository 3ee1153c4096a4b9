import { mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitStagedTables } from "../src/iceberg/commitStagedTables.ts";
import { commitTable } from "../src/iceberg/commitTable.ts";
import { CommitConflictError, IcebergFileError } from "../src/iceberg/errors.ts";
import { localFileIO, toLocalPath } from "../src/iceberg/fileIO.ts";
import { listSnapshots, listTableSummaries } from "../src/iceberg/listTableSummaries.ts";
import { loadTable } from "../src/iceberg/loadTable.ts";
import { openIcebergDuckDb } from "../src/iceberg/openIcebergDuckDb.ts";
import { planFiles, readManifestEntries, readManifestList } from "../src/iceberg/scanTable.ts";
import { SqlCatalog } from "../src/iceberg/SqlCatalog.ts";
import { BASE_DAY, stageFixtureFiles } from "./fixtures/iceberg/stageFixtureFiles.ts";

let root: string;
let instance: DuckDBInstance;
let conn: DuckDBConnection;
let n = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "iceberg-commit-"));
  instance = await DuckDBInstance.create(":memory:", { threads: "1", memory_limit: "256MB" });
  conn = await instance.connect();
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
  rmSync(root, { recursive: true, force: true });
});

async function stage(
  opts: Parameters<typeof stageFixtureFiles>[1] extends infer O ? Partial<O> : never,
) {
  return stageFixtureFiles(conn, { stagingDir: join(root, `staging-${n++}`), ...opts });
}

async function query(warehouse: string, sql: string, snapshotId?: string) {
  const db = await openIcebergDuckDb(warehouse, { snapshotId, threads: 1, memoryLimit: "256MB" });
  try {
    return (await db.connection.runAndReadAll(sql)).getRowObjectsJson();
  } finally {
    db.connection.closeSync();
    db.instance.closeSync();
  }
}

describe("commitStagedTables + reader", () => {
  it("creates tables, appends, overwrites and time-travels", async () => {
    const wh = join(root, "wh-main");
    const first = await stage({ withExpected: true, tag: "a", filesPerDay: 2 });
    const c1 = await commitStagedTables({
      warehouse: wh,
      namespace: "duckdb",
      mode: "overwrite",
      tables: first.staged,
    });
    expect(c1.map((c) => [c.table, c.addedFiles, c.addedRecords])).toEqual([
      ["events", 4, 20],
      ["sessions", 4, 20],
      ["rejects", 1, 5],
    ]);
    // staged files were moved into the table
    expect(readdirSync(join(wh, "duckdb", "events", "data")).sort()).toEqual([
      "event_time_day=2026-01-01",
      "event_time_day=2026-01-02",
    ]);

    const rows = await query(wh, "SELECT * FROM duckdb.events ORDER BY event_id");
    const expected = first.expected.events!.sort((a, b) =>
      String(a.event_id).localeCompare(String(b.event_id)),
    );
    expect(rows).toHaveLength(20);
    const canon = await query(
      wh,
      `SELECT event_id, strftime(event_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS event_time,
              revenue::VARCHAR AS revenue, user_agent, event_seq FROM duckdb.events ORDER BY event_id`,
    );
    expect(canon).toEqual(
      expected.map((e) => ({
        event_id: e.event_id,
        event_time: e.event_time,
        revenue: e.revenue,
        user_agent: e.user_agent,
        event_seq: e.event_seq,
      })),
    );

    const second = await stage({ tag: "b", days: [2], tables: ["events"] });
    const [c2] = await commitStagedTables({
      warehouse: wh,
      namespace: "duckdb",
      mode: "append",
      tables: second.staged,
    });
    expect(await query(wh, "SELECT count(*)::INT AS n FROM duckdb.events")).toEqual([{ n: 25 }]);

    const third = await stage({ tag: "c", days: [5], tables: ["events"], rowsPerFile: 3 });
    const [c3] = await commitStagedTables({
      warehouse: wh,
      namespace: "duckdb",
      mode: "overwrite",
      tables: third.staged,
    });
    expect(
      await query(wh, "SELECT count(*)::INT AS n, min(event_id) AS id FROM duckdb.events"),
    ).toEqual([{ n: 3, id: "c-d5-f0-00000" }]);
    // time travel to the append snapshot, the other tables stay current
    expect(
      await query(
        wh,
        "SELECT (SELECT count(*) FROM duckdb.events)::INT AS e, (SELECT count(*) FROM duckdb.sessions)::INT AS s",
        c2!.snapshotId,
      ),
    ).toEqual([{ e: 25, s: 20 }]);

    const snaps = await listSnapshots(wh, "duckdb.events");
    expect(
      snaps.map((s) => [
        s.operation,
        s.added_records,
        s.deleted_records,
        s.total_records,
        s.current,
      ]),
    ).toEqual([
      ["overwrite", 20, 0, 20, false],
      ["append", 5, 0, 25, false],
      ["overwrite", 3, 25, 3, true],
    ]);
    expect(snaps[2]!.snapshot_id).toBe(c3!.snapshotId);
    expect(snaps[2]!.parent_id).toBe(c2!.snapshotId);

    // the overwrite snapshot records every removed file as DELETED, with original sequence numbers
    const catalog = new SqlCatalog(wh);
    try {
      const { metadata } = await loadTable(catalog, localFileIO, "duckdb", "events");
      expect(metadata["last-sequence-number"]).toBe(3);
      expect(metadata["metadata-log"]).toHaveLength(3);
      const current = metadata.snapshots.find((s) => s["snapshot-id"] === c3!.snapshotId)!;
      const manifests = await readManifestList(localFileIO, current);
      expect(
        manifests.map((m) => [m.added_files_count, m.deleted_files_count, m.deleted_rows_count]),
      ).toEqual([
        [1, 0, 0n],
        [0, 5, 25n],
      ]);
      const deleted = await readManifestEntries(localFileIO, manifests[1]!);
      expect(deleted.map((e) => e.status)).toEqual([2, 2, 2, 2, 2]);
      expect(deleted.map((e) => Number(e.sequence_number)).sort()).toEqual([1, 1, 1, 1, 2]);
      expect(deleted.every((e) => String(e.snapshot_id) === c3!.snapshotId)).toBe(true);

      const tables = await listTableSummaries(wh);
      expect(tables.map((t) => [t.table, t.records, t.data_files, t.snapshots])).toEqual([
        ["duckdb.events", 3, 1, 3],
        ["duckdb.rejects", 5, 1, 1],
        ["duckdb.sessions", 20, 4, 1],
      ]);
    } finally {
      catalog.close();
    }
  });

  it("prunes manifests and files by partition day", async () => {
    const wh = join(root, "wh-prune");
    await commitStagedTables({
      warehouse: wh,
      namespace: "n",
      mode: "append",
      tables: (await stage({ tag: "a", days: [0, 1], tables: ["events"] })).staged,
    });
    await commitStagedTables({
      warehouse: wh,
      namespace: "n",
      mode: "append",
      tables: (await stage({ tag: "b", days: [3, 4], tables: ["events"] })).staged,
    });
    const catalog = new SqlCatalog(wh);
    try {
      const { metadata } = await loadTable(catalog, localFileIO, "n", "events");
      const all = await planFiles(localFileIO, metadata);
      expect(all.files).toHaveLength(4);
      const day1 = await planFiles(localFileIO, metadata, {
        dayRange: { field: "event_time_day", from: BASE_DAY + 1, to: BASE_DAY + 1 },
      });
      expect(day1.files.map((f) => f.partition.event_time_day)).toEqual([BASE_DAY + 1]);
      expect(day1.manifestsSkipped).toBe(1); // the manifest of days 3-4, from its summary
      expect(day1.filesSkipped).toBe(1); // day 0 inside the read manifest
    } finally {
      catalog.close();
    }
    const db = await openIcebergDuckDb(wh, {
      days: { from: BASE_DAY + 1, to: BASE_DAY + 3 },
      threads: 1,
    });
    try {
      expect(db.views).toMatchObject([
        { table: "events", files: 2, manifestsSkipped: 0, filesSkipped: 2 },
      ]);
      const r = await db.connection.runAndReadAll(
        "SELECT count(*)::INT AS n, min(event_id) AS lo, max(event_id) AS hi FROM n.events",
      );
      expect(r.getRowObjectsJson()).toEqual([{ n: 10, lo: "a-d1-f0-00000", hi: "b-d3-f0-00004" }]);
    } finally {
      db.connection.closeSync();
      db.instance.closeSync();
    }
  });

  it("names a missing staged file and derives the day folder from the stats", async () => {
    const { staged } = await stage({ tables: ["events"], tag: "m" });
    staged[0]!.files[1]!.path += ".gone";
    await expect(
      commitStagedTables({
        warehouse: join(root, "wh-missing"),
        namespace: "x",
        mode: "append",
        tables: staged,
      }),
    ).rejects.toThrow(/staged file .*part-m-0\.parquet\.gone of events is missing/);
    const again = await stage({ tables: ["events"], tag: "n", days: [1] });
    again.staged[0]!.files[0]!.partitionDay = null; // engine did not say; the bounds do
    const wh = join(root, "wh-derived");
    await commitStagedTables({
      warehouse: wh,
      namespace: "x",
      mode: "append",
      tables: again.staged,
    });
    expect(readdirSync(join(wh, "x", "events", "data"))).toEqual(["event_time_day=2026-01-02"]);
  });

  it("refuses a staged file whose row count disagrees with the engine's", async () => {
    const { staged } = await stage({ tables: ["rejects"] });
    staged[0]!.files[0]!.recordCount = 6;
    await expect(
      commitStagedTables({
        warehouse: join(root, "wh-bad"),
        namespace: "x",
        mode: "append",
        tables: staged,
      }),
    ).rejects.toThrow(/part-a-0\.parquet: footer has 5 rows but the engine staged 6/);
  });
});

describe("compare-and-swap commits", () => {
  it("retries an append that lost the race and fails an overwrite with CommitConflictError", async () => {
    const wh = join(root, "wh-cas");
    const tables = (tag: string) => stage({ tag, tables: ["rejects"] }).then((f) => f.staged);
    await commitStagedTables({
      warehouse: wh,
      namespace: "c",
      mode: "append",
      tables: await tables("a"),
    });

    // Another writer commits while our append is between stage and swap.
    const racer = await tables("r");
    const mine = await tables("m");
    let raced = false;
    const res = await commitStagedTables(
      { warehouse: wh, namespace: "c", mode: "append", tables: mine },
      {
        beforeSwap: async () => {
          if (raced) return;
          raced = true;
          await commitStagedTables({
            warehouse: wh,
            namespace: "c",
            mode: "append",
            tables: racer,
          });
        },
      },
    );
    expect(res[0]!.addedRecords).toBe(5);
    const snaps = await listSnapshots(wh, "c.rejects");
    expect(snaps.map((s) => s.total_records)).toEqual([5, 10, 15]);
    expect(snaps[2]!.parent_id).toBe(snaps[1]!.snapshot_id);

    const catalog = new SqlCatalog(wh);
    try {
      const before = catalog.metadataLocation("c", "rejects");
      const over = (await tables("o"))[0]!;
      // files already moved in; only the commit step is exercised here
      const { metadata } = await loadTable(catalog, localFileIO, "c", "rejects");
      const plan = await planFiles(localFileIO, metadata);
      let raced2 = false;
      await expect(
        commitTable({
          catalog,
          io: localFileIO,
          namespace: "c",
          name: "rejects",
          operation: "overwrite",
          dataFiles: plan.files.slice(0, 1),
          beforeSwap: async () => {
            if (raced2) return;
            raced2 = true;
            await commitStagedTables({
              warehouse: wh,
              namespace: "c",
              mode: "append",
              tables: [over].map((t) => ({ ...t })),
            });
          },
        }),
      ).rejects.toThrow(CommitConflictError);
      expect(catalog.metadataLocation("c", "rejects")).not.toBe(before);
      expect((await listSnapshots(wh, "c.rejects")).map((s) => s.total_records)).toEqual([
        5, 10, 15, 20,
      ]);
    } finally {
      catalog.close();
    }
  });
});

describe("missing and corrupt files are named", () => {
  it("names a missing data file, a corrupt manifest list and a corrupt metadata file", async () => {
    const wh = join(root, "wh-corrupt");
    await commitStagedTables({
      warehouse: wh,
      namespace: "k",
      mode: "append",
      tables: (await stage({ tables: ["events"] })).staged,
    });
    const catalog = new SqlCatalog(wh);
    const { metadata, metadataLocation } = await loadTable(catalog, localFileIO, "k", "events");
    catalog.close();
    const plan = await planFiles(localFileIO, metadata);
    const victim = toLocalPath(plan.files[0]!.file_path);
    const saved = await localFileIO.read(victim);
    unlinkSync(victim);
    await expect(query(wh, "SELECT 1")).rejects.toThrow(
      new RegExp(
        `${plan.files[0]!.file_path.replaceAll(".", "\\.")}: data file of k\\.events is missing`,
      ),
    );
    writeFileSync(victim, saved);

    const list = toLocalPath(plan.snapshot!["manifest-list"]);
    const listBytes = await localFileIO.read(list);
    writeFileSync(list, listBytes.subarray(0, 60));
    await expect(query(wh, "SELECT 1")).rejects.toThrow(
      /snap-\d+-1-[0-9a-f-]+\.avro: cannot decode Avro file/,
    );
    writeFileSync(list, listBytes);

    const md = toLocalPath(metadataLocation);
    writeFileSync(md, "{ truncated");
    const err = await query(wh, "SELECT 1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IcebergFileError);
    expect(String(err)).toContain(`${metadataLocation}: metadata file is not valid JSON`);
    unlinkSync(md);
    await expect(query(wh, "SELECT 1")).rejects.toThrow(
      `${metadataLocation}: cannot read (file is missing)`,
    );
  });
});
