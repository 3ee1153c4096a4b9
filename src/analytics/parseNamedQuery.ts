import { COLUMN_KINDS, type ColumnKind, type NamedQuery, type ParamSpec } from "./NamedQuery.ts";

/**
 * Reads the header of a named query file: `-- question:`, `-- columns: name kind, ...`,
 * optional `-- params: name int default description` (one per line) and `-- source:`.
 * A missing or malformed line is an error naming the file and the line.
 */
export function parseNamedQuery(name: string, sql: string, file = `${name}.sql`): NamedQuery {
  const header = new Map<string, string[]>();
  for (const [i, line] of sql.split("\n").entries()) {
    const m = /^--\s*(question|columns|params|source):\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    const list = header.get(m[1]!) ?? [];
    list.push(m[2]!.trim());
    header.set(m[1]!, list);
    if (!m[2]!.trim()) throw new Error(`${file}:${i + 1}: empty "-- ${m[1]}:" header line`);
  }
  const one = (key: string): string => {
    const v = header.get(key);
    if (!v || v.length !== 1) {
      throw new Error(
        `${file}: needs exactly one "-- ${key}:" header line (found ${v?.length ?? 0})`,
      );
    }
    return v[0]!;
  };
  const question = one("question");
  const columns = one("columns")
    .split(",")
    .map((c) => {
      const [col, kind, ...rest] = c.trim().split(/\s+/);
      if (!col || !kind || rest.length > 0 || !COLUMN_KINDS.includes(kind as ColumnKind)) {
        throw new Error(
          `${file}: column "${c.trim()}" must be "name kind" with kind one of ${COLUMN_KINDS.join(", ")}`,
        );
      }
      return { name: col, kind: kind as ColumnKind };
    });
  const params = (header.get("params") ?? []).map((p): ParamSpec => {
    const m = /^([a-z_][a-z0-9_]*)\s+int\s+(-?\d+)\s+(.+)$/.exec(p);
    if (!m) throw new Error(`${file}: param "${p}" must be "name int default description"`);
    return { name: m[1]!, kind: "int", default: Number(m[2]), description: m[3]! };
  });
  const used = new Set([...sql.matchAll(/\$([a-z_][a-z0-9_]*)/g)].map((m) => m[1]!));
  for (const p of params) {
    if (!used.has(p.name))
      throw new Error(`${file}: param ${p.name} is declared but $${p.name} is not used`);
  }
  for (const u of used) {
    if (!params.some((p) => p.name === u))
      throw new Error(`${file}: $${u} is used but not declared in "-- params:"`);
  }
  const sources = one("source")
    .split(",")
    .map((s) => s.trim());
  return { name, question, columns, params, sources, sql };
}
