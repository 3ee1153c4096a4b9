/**
 * Contracts that exist in several languages have one source, in TypeScript; every other copy
 * (Python, Spark DDL, DuckDB SQL, the spec's own text) is proved equal to it here
 * (docs/architecture.md, "Contracts written in several languages").
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSql } from "../src/engines/duckdb/loadSql.ts";
import {
  DUPLICATE_ORDER,
  RAW_COLUMNS,
  REJECT_REASONS,
  TABLES,
  type IcebergType,
} from "../src/lakehouse/tables.ts";
import { normalizeEventType } from "../src/spec/normalizeEventType.ts";
import { REVENUE_PATTERN } from "../src/spec/parseRevenue.ts";

const root = new URL("../", import.meta.url).pathname;
const read = (path: string) => readFileSync(`${root}${path}`, "utf8");

interface PythonContracts {
  raw_columns: string[];
  reject_reasons: string[];
  duplicate_order: string[];
  revenue: string;
  tables: {
    name: string;
    columns: { name: string; type: string; required: boolean }[];
    partition_source: string | null;
    ddl: string;
  }[];
}

/** The Spark package's constants and DDL, as its own Python sees them. */
function pythonContracts(): PythonContracts {
  const script = `
import json
from etl_spark import spec, tables
print(json.dumps({
    "raw_columns": list(tables.RAW_COLUMNS),
    "reject_reasons": list(tables.REJECT_REASONS),
    "duplicate_order": list(tables.DUPLICATE_ORDER),
    "revenue": spec.REVENUE_BODY,
    "tables": [
        {
            "name": t.name,
            "columns": [{"name": c.name, "type": c.type, "required": c.required} for c in t.columns],
            "partition_source": t.partition_source,
            "ddl": tables.create_table_sql("ns." + t.name, t),
        }
        for t in tables.TABLES.values()
    ],
}))
`;
  const out = execFileSync(`${root}.venv/bin/python`, ["-c", script], {
    env: { ...process.env, PYTHONPATH: `${root}spark` },
    encoding: "utf8",
  });
  return JSON.parse(out) as PythonContracts;
}

/** Iceberg type -> Spark SQL type (Iceberg spec, Spark type mapping; timestamptz is TIMESTAMP). */
function sparkType(type: IcebergType): string {
  const dec = /^decimal\((\d+),(\d+)\)$/.exec(type);
  if (dec) return `DECIMAL(${dec[1]},${dec[2]})`;
  const map: Record<string, string> = {
    string: "STRING",
    int: "INT",
    long: "BIGINT",
    double: "DOUBLE",
    boolean: "BOOLEAN",
    timestamptz: "TIMESTAMP",
  };
  return map[type]!;
}

describe("Python (spark/etl_spark) equals the TypeScript sources", () => {
  const py = pythonContracts();

  it("raw columns, reject reasons and the duplicate order (§I1, §R1, §C10)", () => {
    expect(py.raw_columns).toEqual([...RAW_COLUMNS]);
    expect(py.reject_reasons).toEqual([...REJECT_REASONS]);
    expect(py.duplicate_order).toEqual([...DUPLICATE_ORDER]);
  });

  it("revenue pattern (§C8)", () => {
    expect(py.revenue).toBe(REVENUE_PATTERN);
  });

  it("table schemas: names, column order (= field ids), types, required flags, day partition", () => {
    expect(py.tables.map((t) => t.name)).toEqual(Object.keys(TABLES));
    for (const t of py.tables) {
      const def = TABLES[t.name as keyof typeof TABLES];
      expect(t.columns, t.name).toEqual(
        def.columns.map((c) => ({ name: c.name, type: c.type, required: c.required })),
      );
      // Iceberg (Spark) assigns field ids 1..n in column order; ours are declared: check them.
      expect(
        def.columns.map((c) => c.id),
        t.name,
      ).toEqual(def.columns.map((_, i) => i + 1));
      const source = def.partition.map((p) => def.columns.find((c) => c.id === p.sourceId)!.name);
      expect(t.partition_source, t.name).toBe(source[0] ?? null);
      expect(def.partition.every((p) => p.transform === "day")).toBe(true);
    }
  });

  it("Spark DDL: every column with its Spark type and NOT NULL when required, days() partition", () => {
    for (const t of py.tables) {
      const def = TABLES[t.name as keyof typeof TABLES];
      const body = /\(\n {2}([\s\S]*)\n\) USING iceberg/.exec(t.ddl)?.[1];
      expect(body, t.ddl).toBeDefined();
      expect(body!.split(",\n  "), t.name).toEqual(
        def.columns.map((c) => `${c.name} ${sparkType(c.type)}${c.required ? " NOT NULL" : ""}`),
      );
      const part = /PARTITIONED BY \(days\((\w+)\)\)/.exec(t.ddl)?.[1] ?? null;
      expect(part, t.name).toBe(t.partition_source);
      expect(t.ddl).toContain("'format-version'='2'");
    }
  });
});

describe("DuckDB SQL copies equal the TypeScript sources", () => {
  it("revenue pattern in macros.sql (§C8)", () => {
    const sql = read("src/engines/duckdb/macros.sql");
    const m = /MACRO spec_revenue\(r\) AS\s+CASE WHEN regexp_full_match\(r, '([^']*)'\)/.exec(sql);
    expect(m, "spec_revenue in macros.sql").not.toBeNull();
    expect(m![1]).toBe(REVENUE_PATTERN);
  });

  it("duplicate order in dedup.sql (§C10): cleansed columns, then raw ones, nulls first", () => {
    const sql = read("src/engines/duckdb/dedup.sql");
    const m =
      /row_number\(\) OVER \(\s*PARTITION BY c_event_id\s*ORDER BY([\s\S]*?)\)\s*>\s*1/.exec(sql);
    expect(m, "the row_number() window of dedup.sql").not.toBeNull();
    const items = m![1]!
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    // A cleansed column is c_<name>, spec_trim(<name>) or spec_revenue(spec_trim(<name>));
    // a raw column is its bare name.
    const parsed = items.map((item) => {
      const nullsFirst = item.endsWith(" NULLS FIRST");
      const expr = item.replace(/ NULLS FIRST$/, "");
      const cleansed = /^(?:c_(\w+)|spec_trim\((\w+)\)|spec_revenue\(spec_trim\((\w+)\)\))$/.exec(
        expr,
      );
      const name = cleansed ? (cleansed[1] ?? cleansed[2] ?? cleansed[3])! : expr;
      return { key: cleansed ? name : `raw:${name}`, name, nullsFirst };
    });
    expect(parsed.map((p) => p.key)).toEqual([
      ...DUPLICATE_ORDER,
      ...RAW_COLUMNS.map((c) => `raw:${c}`),
    ]);
    // Columns that are null-free after §C2-§C5 need no null order; every other one puts nulls
    // first like Spark and Polars (DuckDB's default is NULLS LAST).
    const required = new Set(["event_time", "user_id", "event_type"]);
    for (const p of parsed) {
      if (!(p.key.startsWith("raw:") ? false : required.has(p.name))) {
        expect(p.nullsFirst, `${p.key} NULLS FIRST`).toBe(true);
      }
    }
  });
});

describe("the spec's own text (docs/pipeline-spec.md)", () => {
  const doc = read("docs/pipeline-spec.md");

  it("§C8 shows the revenue pattern of the source", () => {
    expect(doc).toContain(`matches \`^${REVENUE_PATTERN}$\``);
  });

  it("§C10 lists the cleansed tuple of DUPLICATE_ORDER", () => {
    const tuple = DUPLICATE_ORDER.slice(1)
      .map((c) => `\`${c}\``)
      .join(", ");
    expect(doc.replace(/\s+/g, " ")).toContain(`cleansed tuple (${tuple})`);
  });
});

interface Case<I, E> {
  input: I;
  expected: E;
  why: string;
}

function vectors<I, E>(name: string): Case<I, E>[] {
  const cases = JSON.parse(read(`tests/fixtures/vectors/${name}.json`)) as Case<I, E>[];
  expect(cases.length).toBeGreaterThan(5);
  return cases;
}

describe("DuckDB macros (macros.sql) reproduce the shared rule vectors", () => {
  let instance: DuckDBInstance;
  let con: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    con = await instance.connect();
    await con.run("SET TimeZone = 'UTC'"); // as DuckDbEngine.open
    await con.run(loadSql("macros"));
  });
  afterAll(() => {
    con.closeSync();
    instance.closeSync();
  });

  /** Evaluates `expr` (over column x) for every input, in input order. */
  async function evaluate(inputs: (string | null)[], expr: string): Promise<unknown[]> {
    await con.run("CREATE OR REPLACE TEMP TABLE v (i INTEGER, x VARCHAR)");
    const appender = await con.createAppender("v");
    inputs.forEach((x, i) => {
      appender.appendInteger(i);
      if (x === null) appender.appendNull();
      else appender.appendVarchar(x);
      appender.endRow();
    });
    appender.closeSync();
    const reader = await con.runAndReadAll(`SELECT ${expr} AS y FROM v ORDER BY i`);
    return reader.getRowObjectsJS().map((r) => r.y);
  }

  /** Each macro's SQL over column x, and the vector file its results must equal. */
  const MACRO_CASES = [
    { title: "spec_trim (§C1)", vectors: "trim", expr: "spec_trim(x)" },
    {
      title: "spec_event_time (§C5): epoch microseconds or null",
      vectors: "event_time",
      expr: "CAST(epoch_us(spec_event_time(x)) AS VARCHAR)",
    },
    {
      title: "spec_revenue (§C8): exact decimal(12,2) or null",
      vectors: "revenue",
      expr: "CAST(spec_revenue(x) AS VARCHAR)",
    },
  ];
  for (const { title, vectors: file, expr } of MACRO_CASES) {
    it(title, async () => {
      const cases = vectors<string | null, string | null>(file);
      const got = await evaluate(
        cases.map((c) => c.input),
        expr,
      );
      cases.forEach((c, i) => expect(got[i], `${c.input}: ${c.why}`).toBe(c.expected));
    });
  }

  it("event type (§C6): trimmed by the macro, mapped by the TypeScript helper (the engine's path)", async () => {
    const cases = vectors<string | null, string>("event_type");
    const trimmed = await evaluate(
      cases.map((c) => c.input),
      "spec_trim(x)",
    );
    cases.forEach((c, i) =>
      expect(normalizeEventType(trimmed[i] as string | null), `${c.input}: ${c.why}`).toBe(
        c.expected,
      ),
    );
  });
});
