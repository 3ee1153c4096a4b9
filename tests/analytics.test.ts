import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  diffAnswers,
  formatQueryList,
  getNamedQuery,
  listNamedQueries,
  parseNamedQuery,
  resolveParams,
  runNamedQuery,
  sparkAnswers,
  type QueryAnswer,
} from "../src/analytics/index.ts";
import { projectRoot } from "../src/config/settings.ts";
import { runPipeline } from "../src/harness/runPipeline.ts";
import { openIcebergDuckDb } from "../src/iceberg/openIcebergDuckDb.ts";

const ISSUE_QUESTIONS = [
  "daily_active_users",
  "sessions_by_country_day",
  "session_stats",
  "bounce_rate_by_landing_page",
  "funnel",
  "revenue_by_country_day",
  "session_length_distribution",
  "top_referrers",
  "hourly_traffic",
];

describe("named queries", () => {
  it("every question file has a question, typed columns and a source; the nine are there", () => {
    const all = listNamedQueries();
    expect(all.map((q) => q.name).sort()).toEqual([...ISSUE_QUESTIONS].sort());
    for (const q of all) {
      expect(q.question.length, q.name).toBeGreaterThan(20);
      expect(q.columns.length, q.name).toBeGreaterThan(0);
      expect(q.sql, q.name).toMatch(/ORDER BY|^SELECT\s+COUNT\(\*\) AS sessions,/m);
    }
    expect(formatQueryList()).toContain("--param top_n=10");
  });

  it("rejects a bad header, an undeclared parameter and a bad --param, naming them", () => {
    expect(() => parseNamedQuery("x", "-- question: q?\nSELECT 1")).toThrow(/x.sql.*columns/);
    expect(() =>
      parseNamedQuery("x", "-- question: q?\n-- columns: a number\n-- source: t\nSELECT 1"),
    ).toThrow(/column "a number"/);
    expect(() =>
      parseNamedQuery("x", "-- question: q?\n-- columns: a int\n-- source: t\nSELECT $n"),
    ).toThrow(/\$n is used but not declared/);
    const top = getNamedQuery("top_referrers");
    expect(resolveParams(top, ["top_n=3"])).toEqual({ top_n: 3 });
    expect(() => resolveParams(top, ["top_n=x"])).toThrow(/must be an integer/);
    expect(() => resolveParams(top, ["limit=3"])).toThrow(/takes top_n/);
    expect(() => getNamedQuery("nope")).toThrow(/known: bounce_rate_by_landing_page/);
  });

  it("diffAnswers: integers and decimals exact, doubles to 1e-9 relative", () => {
    const a: QueryAnswer = {
      name: "q",
      columns: [
        { name: "n", kind: "int" },
        { name: "m", kind: "decimal" },
        { name: "x", kind: "double" },
      ],
      rows: [["1", "2.50", 0.1]],
    };
    const withRow = (row: QueryAnswer["rows"][number]) => ({ ...a, rows: [row] });
    expect(diffAnswers(a, withRow(["1", "2.5", 0.1 * (1 + 5e-10)]))).toBeNull();
    expect(diffAnswers(a, withRow(["1", "2.5", 0.1 * (1 + 5e-9)]))).toMatch(/column x/);
    expect(diffAnswers(a, withRow(["1", "2.51", 0.1]))).toMatch(/column m/);
    expect(diffAnswers(a, withRow(["2", "2.50", 0.1]))).toMatch(/row 1 column n/);
    expect(diffAnswers(a, withRow(["1", null, 0.1]))).toMatch(/null instead of "2.50"/);
    expect(diffAnswers(a, { ...a, rows: [] })).toMatch(/0 rows instead of 1/);
  });
});

describe("every question gives the same answer on DuckDB (each namespace) and Spark SQL", () => {
  const dir = mkdtempSync(join(tmpdir(), "analytics-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("on 20k generated events written by DuckDB, Polars and Spark", async () => {
    const input = join(dir, "events.csv");
    execFileSync(
      process.execPath,
      [
        join(projectRoot, "bin", "etl.js"),
        "generate",
        "--events",
        "20000",
        "--seed",
        "5",
        "--out",
        input,
      ],
      { stdio: "ignore" },
    );
    const warehouse = join(dir, "warehouse");
    const engines = ["duckdb", "polars", "spark"];
    for (const engine of engines) {
      const summary = await runPipeline({ engine, input, warehouse, threads: 2, log: () => {} });
      expect(summary.error, engine).toBeNull();
    }
    const queries = listNamedQueries();
    const duck = new Map<string, QueryAnswer>();
    const { instance, connection } = await openIcebergDuckDb(warehouse);
    try {
      for (const ns of engines) {
        for (const q of queries) {
          const answer = await runNamedQuery(connection, q, { namespace: ns });
          if (ns === "duckdb") {
            duck.set(q.name, answer);
          } else {
            expect(diffAnswers(duck.get(q.name)!, answer), `${ns}: ${q.name}`).toBeNull();
          }
        }
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    // Answers that could be wrong: a non-empty funnel that narrows, a day per row.
    const funnel = duck.get("funnel")!.rows;
    expect(funnel.map((r) => r[1])).toEqual(["session", "page_view", "add_to_cart", "purchase"]);
    const counts = funnel.map((r) => Number(r[2]));
    expect(counts[3]).toBeGreaterThan(0);
    expect([...counts].sort((x, y) => y - x)).toEqual(counts);
    expect(duck.get("hourly_traffic")!.rows).toHaveLength(24);
    for (const q of queries) expect(duck.get(q.name)!.rows.length, q.name).toBeGreaterThan(0);

    // The CLI path: etl query --name with a parameter, on another namespace.
    const cli = JSON.parse(
      execFileSync(
        process.execPath,
        [join(projectRoot, "bin", "etl.js"), "query", "--warehouse", warehouse]
          .concat(["--name", "top_referrers", "--namespace", "polars", "--param", "top_n=3"])
          .concat(["--format", "json"]),
        { encoding: "utf8" },
      ),
    ) as Record<string, string | null>[];
    const inTop3 = duck
      .get("top_referrers")!
      .rows.filter((r) => Number(r[4]) <= 3 || Number(r[5]) <= 3);
    expect(cli.map((r) => [r.referrer, r.sessions, r.revenue])).toEqual(
      inTop3.map((r) => [r[0], r[1], r[3]]),
    );

    const spark = await sparkAnswers(warehouse, { namespaces: ["spark"] });
    expect(spark.map((a) => a.name)).toEqual(queries.map((q) => q.name));
    for (const answer of spark) {
      const declared = getNamedQuery(answer.name).columns;
      expect(answer.columns, answer.name).toEqual(declared);
      expect(diffAnswers(duck.get(answer.name)!, answer), `spark sql: ${answer.name}`).toBeNull();
    }
  }, 900_000);
});
