import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NamedQuery } from "./NamedQuery.ts";
import { parseNamedQuery } from "./parseNamedQuery.ts";

/** The folder of the named queries; spark/etl_spark/queries.py reads the same files. */
export const QUERIES_DIR = join(dirname(fileURLToPath(import.meta.url)), "queries");

/** Each engine's definitions of the helper functions the queries call (`<engine>.sql`). */
export const FUNCTIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "functions");

/** Every named query, sorted by name. */
export function listNamedQueries(dir: string = QUERIES_DIR): NamedQuery[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => parseNamedQuery(f.slice(0, -4), readFileSync(join(dir, f), "utf8"), join(dir, f)));
}

export function getNamedQuery(name: string, dir: string = QUERIES_DIR): NamedQuery {
  const all = listNamedQueries(dir);
  const q = all.find((x) => x.name === name);
  if (!q) {
    throw new Error(`no named query "${name}"; known: ${all.map((x) => x.name).join(", ")}`);
  }
  return q;
}

/** Parameter values for a query: its defaults, overridden by `k=v` texts (integers only). */
export function resolveParams(query: NamedQuery, given: string[] = []): Record<string, number> {
  const values: Record<string, number> = {};
  for (const p of query.params) values[p.name] = p.default;
  for (const kv of given) {
    const m = /^([^=]+)=(.*)$/.exec(kv);
    const spec = m ? query.params.find((p) => p.name === m[1]) : undefined;
    if (!m || !spec) {
      const known = query.params.map((p) => p.name).join(", ") || "none";
      throw new Error(`--param ${kv}: ${query.name} takes ${known} (as name=value)`);
    }
    if (!/^-?\d+$/.test(m[2]!) || !Number.isSafeInteger(Number(m[2]))) {
      throw new Error(`--param ${kv}: ${spec.name} must be an integer`);
    }
    values[spec.name] = Number(m[2]);
  }
  return values;
}
