import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPipeline } from "../src/harness/runPipeline.ts";
import { openIcebergDuckDb } from "../src/iceberg/openIcebergDuckDb.ts";
import { compareNamespaces } from "../src/report/compareNamespaces.ts";
import { formatRunTable } from "../src/report/formatRunTable.ts";
import { RAW_COLUMNS } from "../src/lakehouse/tables.ts";

const work = mkdtempSync(join(tmpdir(), "etl-compare-test-"));
const warehouse = join(work, "wh");
const golden = join(import.meta.dirname, "fixtures", "golden", "input.csv");
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function compare(base: string, other: string) {
  const { instance, connection } = await openIcebergDuckDb(warehouse);
  try {
    return await compareNamespaces(connection, base, other);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("etl compare: namespaces row for row", () => {
  it("finds DuckDB and Polars equal on the golden input, and names an extra row", async () => {
    const runs = [];
    for (const engine of ["duckdb", "polars"]) {
      const summary = await runPipeline({ engine, input: golden, warehouse, log: () => {} });
      expect(summary.success, summary.error ?? "").toBe(true);
      runs.push(summary);
    }
    const table = formatRunTable(runs);
    expect(table).toMatch(/^events\s+139\s+139$/m);
    expect(table).toMatch(/^sessions\s+21\s+21$/m);

    const same = await compare("duckdb", "polars");
    expect(same.map((c) => [c.table, c.baseRows, c.equal])).toEqual([
      ["events", 139, true],
      ["sessions", 21, true],
      ["rejects", 38, true],
    ]);

    // One more valid event, appended to polars only: events and sessions now differ by it.
    const extra = join(work, "extra.csv");
    writeFileSync(
      extra,
      `${RAW_COLUMNS.join(",")}\n` + "zz-extra,u-extra,2026-03-01T00:00:00Z,page_view,/x,,,,\n",
    );
    const appended = await runPipeline({
      engine: "polars",
      input: extra,
      warehouse,
      mode: "append",
      log: () => {},
    });
    expect(appended.success, appended.error ?? "").toBe(true);
    const diff = await compare("duckdb", "polars");
    expect(diff.map((c) => [c.table, c.onlyInBase, c.onlyInOther, c.equal])).toEqual([
      ["events", 0, 1, false],
      ["sessions", 0, 1, false],
      ["rejects", 0, 0, true],
    ]);
  });
});
