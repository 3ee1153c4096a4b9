/**
 * Operator profile of the DuckDB engine: runs the engine once (no Iceberg commit, staged
 * files in a temporary folder that is removed afterwards) with DuckDB's JSON profiling on,
 * one statement at a time, and prints one JSON line per statement (its first words, its
 * latency and CPU time, and the operators that took the most time) and a last line with
 * the time per operator type summed over every statement, as shares. Operator times are
 * summed over threads by DuckDB, so under load they grow; the shares are what to compare.
 *
 *   tsx bench/duckdbProfile.ts --input data/generated/clickstream-1m.csv [--threads 2] [--top 6]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DuckDBConnection } from "@duckdb/node-api";
import { loadSettings } from "../src/config/settings.ts";
import type { Phase, PhaseTimer } from "../src/engines/Engine.ts";
import { DuckDbEngine } from "../src/engines/duckdb/DuckDbEngine.ts";

const { values: opt } = parseArgs({
  options: {
    input: { type: "string" },
    threads: { type: "string", default: "2" },
    top: { type: "string", default: "6" },
  },
});
if (opt.input === undefined) throw new Error("duckdbProfile: --input PATH is required");

interface ProfileNode {
  operator_type?: string;
  operator_name?: string;
  operator_timing?: number;
  operator_cardinality?: number;
  children?: ProfileNode[];
  latency?: number;
  cpu_time?: number;
}

const root = mkdtempSync(join(tmpdir(), "duckdb-profile-"));
const profileFile = join(root, "profile.json");
const byType = new Map<string, number>();
let total = 0;

function operators(node: ProfileNode, out: { name: string; s: number; rows: number }[]): void {
  const name = node.operator_name ?? node.operator_type;
  if (name !== undefined && node.operator_timing !== undefined) {
    out.push({ name: name.trim(), s: node.operator_timing, rows: node.operator_cardinality ?? 0 });
  }
  for (const child of node.children ?? []) operators(child, out);
}

// Every engine statement goes through DuckDBConnection.run; each .sql file may hold several
// statements, and DuckDB's profile file keeps only the last one, so they run one by one.
const run = DuckDBConnection.prototype.run;
let profiling = false;
DuckDBConnection.prototype.run = async function (this: DuckDBConnection, sql: string) {
  if (!profiling) {
    await run.call(this, `SET enable_profiling = 'json'; SET profiling_output = '${profileFile}'`);
    profiling = true;
  }
  const extracted = await this.extractStatements(sql);
  let last;
  for (let i = 0; i < extracted.count; i++) {
    const statement = await extracted.prepare(i);
    rmSync(profileFile, { force: true });
    last = await statement.run();
    // Settings and macro definitions leave no profile.
    if (!existsSync(profileFile)) continue;
    const profile = JSON.parse(readFileSync(profileFile, "utf8")) as ProfileNode;
    const ops: { name: string; s: number; rows: number }[] = [];
    operators(profile, ops);
    for (const o of ops) {
      byType.set(o.name, (byType.get(o.name) ?? 0) + o.s);
      total += o.s;
    }
    ops.sort((a, b) => b.s - a.s);
    const words = sql
      .replace(/--[^\n]*/g, "")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 60);
    console.log(
      JSON.stringify({
        statement: `${words} [${i + 1}/${extracted.count}]`,
        latency_s: profile.latency,
        cpu_s: profile.cpu_time,
        top: ops.slice(0, Number(opt.top)).map((o) => ({ ...o, s: Math.round(o.s * 100) / 100 })),
      }),
    );
  }
  if (last === undefined) throw new Error(`duckdbProfile: no statement in ${sql.slice(0, 60)}`);
  return last;
};

const timer: PhaseTimer = {
  async time<T>(_phase: Phase, fn: () => Promise<T> | T): Promise<T> {
    return await fn();
  },
  started() {},
  ended() {},
};

const engine = new DuckDbEngine();
try {
  await engine.open({ threads: Number(opt.threads) });
  await engine.run(
    {
      input: opt.input,
      geoDbPath: loadSettings().geoDb,
      warehouse: join(root, "warehouse"),
      namespace: "profile",
      mode: "overwrite",
      stagingDir: join(root, "staging"),
    },
    timer,
  );
  const shares = [...byType.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, s]) => ({
      name,
      s: Math.round(s * 100) / 100,
      share: Math.round((s / total) * 1000) / 10,
    }));
  console.log(
    JSON.stringify({ operator_seconds_total: Math.round(total * 100) / 100, by_operator: shares }),
  );
} finally {
  await engine.close();
  rmSync(root, { recursive: true, force: true });
}
