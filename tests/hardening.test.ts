import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPipeline, type RunPipelineOptions } from "../src/harness/runPipeline.ts";

/**
 * Hostile input and faults (issue 14, docs/hardening.md): every case is refused with an error
 * naming the input and the rule, the run fails (non-zero exit), and the warehouse holding an
 * earlier run is left byte for byte as it was. Only APIs that predate the fixes are used
 * here, so the same file shows the old behaviour when run against older code.
 */

const run = promisify(execFile);
const root = join(import.meta.dirname, "..");
const etl = join(root, "bin", "etl.js");
const work = mkdtempSync(join(tmpdir(), "etl-hardening-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HEADER =
  "event_id,user_id,event_time,event_type,page_url,referrer,ip_address,user_agent,revenue";
const ROW1 = "e1,u1,2026-01-01T10:00:00Z,page_view,/a,,8.8.8.8,UA,";
const ROW2 = "e2,u1,2026-01-01T10:01:00Z,purchase,/b,,8.8.8.8,UA,9.99";
const ROW2_NO_REVENUE = "e2,u1,2026-01-01T10:01:00Z,click,/b,,8.8.8.8,UA,";

function file(name: string, content: string | Buffer): string {
  const path = join(work, "inputs", name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

const good = file("good.csv", `${HEADER}\n${ROW1}\n${ROW2}\n`);
const truncatedParquet = file(
  "truncated.parquet",
  readFileSync(join(import.meta.dirname, "fixtures", "golden", "input.parquet")).subarray(0, 300),
);

/** Every file under the warehouse with its content hash: "exactly as before". */
function warehouseState(dir: string): Record<string, string> {
  const state: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else state[relative(dir, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir);
  return state;
}

interface Case {
  name: string;
  input: string;
  options?: Partial<RunPipelineOptions>;
  /** The error must name the input (or the option) and the rule. */
  error: RegExp;
  names: string;
  /** Engines the case applies to (default all that run in-process here). */
  engines?: string[];
}

const cases: Case[] = [
  {
    name: "record with one extra empty field",
    input: file("extra_empty.csv", `${HEADER}\n${ROW1}\n${ROW2_NO_REVENUE},\n`),
    error: /line 3: expected 9 fields as in the header, found 10/,
    names: "extra_empty.csv",
  },
  {
    name: "record with two extra empty fields",
    input: file("extra_two_empty.csv", `${HEADER}\n${ROW1}\n${ROW2},,\n`),
    error: /line 3: expected 9 fields as in the header, found 11/,
    names: "extra_two_empty.csv",
  },
  {
    name: "revenue followed by an empty field",
    input: file("revenue_then_empty.csv", `${HEADER}\n${ROW1}\n${ROW2},\n`),
    error: /line 3: expected 9 fields as in the header, found 10/,
    names: "revenue_then_empty.csv",
  },
  ...["../esc", "..", "", ".", "a/b", "Upper", "x y", 'q"uote'].map((ns) => ({
    name: `namespace ${JSON.stringify(ns)}`,
    input: good,
    options: { namespace: ns },
    error:
      /namespace .* is not allowed: use a lowercase letter, then lowercase letters, digits or _/,
    names: JSON.stringify(ns),
  })),
  {
    name: "a directory as input",
    input: join(work, "inputs"),
    error: /is a directory; --input takes one CSV or Parquet file/,
    names: join(work, "inputs"),
  },
  {
    name: "gzip-compressed input",
    input: file("good.csv.gz", gzipSync(readFileSync(good))),
    error: /is gzip-compressed; decompress it first/,
    names: "good.csv.gz",
  },
  {
    name: "truncated Parquet",
    input: truncatedParquet,
    error: /truncated\.parquet: cannot read the (Parquet footer|header)/,
    names: "truncated.parquet",
  },
  {
    name: "--memory-limit garbage",
    input: good,
    options: { memoryLimit: "garbage" },
    error: /--memory-limit "garbage" is not a memory size/,
    names: "--memory-limit",
  },
  {
    name: "non-UTF-8 byte in the header",
    input: file(
      "bad_header.csv",
      Buffer.from(`${HEADER.replace("revenue", "rev\xffenue")}\n${ROW1}\n`, "latin1"),
    ),
    error: /line 1: bytes that are not UTF-8 \(byte 0xff at byte offset 82 of the header\)/,
    names: "bad_header.csv",
  },
  {
    name: "a missing input file",
    input: join(work, "inputs", "nope.csv"),
    error: /does not exist/,
    names: "nope.csv",
  },
  {
    name: "the same input appended twice",
    input: good,
    options: { mode: "append" },
    error:
      /this input \(v1:\d+:[0-9a-f]{64}\) is already in namespace \w+ .*--allow-duplicate-input/,
    names: "good.csv",
  },
];

const engines = ["duckdb", "polars"];
const warehouses: Record<string, string> = {};

beforeAll(async () => {
  for (const engine of engines) {
    const warehouse = join(work, `wh-${engine}`);
    const s = await runPipeline({ engine, input: good, warehouse, log: () => {} });
    expect(s.error).toBeNull();
    warehouses[engine] = warehouse;
  }
}, 120_000);

describe.each(engines)("%s refuses hostile input and leaves the warehouse as it was", (engine) => {
  it.each(cases.filter((c) => !c.engines || c.engines.includes(engine)))(
    "$name",
    async (c) => {
      // A copy of the earlier run per case, so that one case's damage cannot hide another's.
      const caseDir = join(work, `case-${engine}-${cases.indexOf(c)}`);
      const warehouse = join(caseDir, "wh");
      cpSync(warehouses[engine]!, warehouse, { recursive: true });
      const before = warehouseState(warehouse);
      const summary = await runPipeline({
        engine,
        input: c.input,
        warehouse,
        namespace: engine,
        log: () => {},
        ...c.options,
      });
      expect(summary.success).toBe(false);
      expect(summary.error).toMatch(c.error);
      expect(summary.error).toContain(c.names);
      expect(warehouseState(warehouse)).toEqual(before);
      // Nothing escaped the warehouse either (namespace ../esc and ..).
      expect(readdirSync(caseDir)).toEqual(["wh"]);
    },
    60_000,
  );
});

describe("etl run with --warehouse pointing at a regular file", () => {
  it.each(["duckdb", "polars"])(
    "%s: error naming the option, a summary, non-zero exit, no hang",
    async (engine) => {
      const notADir = file(`warehouse-file-${engine}`, "not a folder\n");
      const res = await run(
        process.execPath,
        [etl, "run", "--engine", engine, "--input", good, "--warehouse", notADir],
        {
          timeout: 60_000,
        },
      ).then(
        () => ({ code: 0, stdout: "", stderr: "" }),
        (err: { code: number | null; killed?: boolean; stdout: string; stderr: string }) => ({
          code: err.killed ? "killed (hang)" : err.code,
          stdout: err.stdout,
          stderr: err.stderr,
        }),
      );
      expect(res.code).toBe(1);
      const summary = JSON.parse(res.stdout.trim().split("\n").pop()!) as { error: string };
      expect(summary.error).toMatch(/--warehouse .*warehouse-file-\w+ is not a folder/);
      expect(readFileSync(notADir, "utf8")).toBe("not a folder\n");
      expect(statSync(notADir).isFile()).toBe(true);
    },
    90_000,
  );
});

/** `etl query` in this process (the CLI command itself, without a process start per case). */
async function query(warehouse: string, sql: string, format = "table"): Promise<string> {
  const { Command } = await import("commander");
  const { register } = await import("../src/cli/commands/query.ts");
  const program = new Command("etl").exitOverride();
  register(program);
  const out: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void out.push(args.join(" "));
  try {
    await program.parseAsync(
      ["query", "--warehouse", warehouse, "--format", format, "--sql", sql],
      {
        from: "user",
      },
    );
  } finally {
    console.log = log;
  }
  return out.join("\n");
}

describe("etl query is read-only and confined to the warehouse's tables", () => {
  const outside = join(work, "written-by-query.csv");
  const sqls: [string, (warehouse: string) => string][] = [
    ["COPY over the catalog", (w) => `COPY (SELECT 'x') TO '${w}/catalog.db'`],
    ["COPY to any path", () => `COPY (SELECT 1) TO '${outside}'`],
    ["read_csv of /etc/passwd", () => "SELECT * FROM read_csv('/etc/passwd')"],
    ["ATTACH", () => `ATTACH '${join(work, "attached.db")}' AS a`],
    ["INSTALL", () => "INSTALL httpfs"],
    ["CREATE TABLE", () => "CREATE TABLE t AS SELECT 1"],
    ["SET enable_external_access", () => "SET enable_external_access = true"],
    ["EXPLAIN ANALYZE COPY", () => `EXPLAIN ANALYZE COPY (SELECT 1) TO '${outside}'`],
    ["a read then a COPY", () => `SELECT 1; COPY (SELECT 1) TO '${outside}'`],
    ["glob over the warehouse", (w) => `SELECT * FROM glob('${w}/**')`],
  ];

  it.each(sqls)(
    "refuses %s",
    async (name, sql) => {
      const warehouse = join(work, `wh-query-${sqls.findIndex((x) => x[0] === name)}`);
      cpSync(warehouses.duckdb!, warehouse, { recursive: true });
      const before = warehouseState(warehouse);
      await expect(query(warehouse, sql(warehouse))).rejects.toThrow(
        /etl query (is read-only|reads only the data files)/,
      );
      expect(warehouseState(warehouse)).toEqual(before);
      expect(existsSync(outside)).toBe(false);
      expect(existsSync(join(work, "attached.db"))).toBe(false);
    },
    60_000,
  );

  it("still answers SELECT, DESCRIBE and EXPLAIN", async () => {
    const w = warehouses.duckdb!;
    expect(
      JSON.parse(await query(w, "SELECT count(*)::INT AS n FROM duckdb.events", "json")),
    ).toEqual([{ n: 2 }]);
    expect(await query(w, "DESCRIBE duckdb.sessions")).toContain("session_id");
    expect(await query(w, "EXPLAIN SELECT * FROM duckdb.events")).toContain("READ_PARQUET");
  }, 60_000);
});
