import type { DuckDBConnection, DuckDBResultReader } from "@duckdb/node-api";

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * Confines a DuckDB connection to reading the given files: external access off except for
 * exactly these paths (DuckDB's allowed_paths; a directory would also allow writing into it),
 * then the configuration locked so no statement can turn it back on. Call it after the views
 * over those files exist. Extensions stay as loaded (parquet is built in).
 */
export async function lockDownDuckDb(
  conn: DuckDBConnection,
  readablePaths: readonly string[],
): Promise<void> {
  await conn.run(`SET allowed_paths = [${readablePaths.map(lit).join(", ")}]`);
  await conn.run("SET enable_external_access = false");
  await conn.run("SET autoinstall_known_extensions = false");
  await conn.run("SET autoload_known_extensions = false");
  await conn.run("SET lock_configuration = true");
}

/** Raised for SQL that would write, attach, install, configure, or otherwise not just read. */
export class ReadOnlyQueryError extends Error {
  override name = "ReadOnlyQueryError";
}

// Values of duckdb.StatementType (@duckdb/node-bindings); SHOW, DESCRIBE, SUMMARIZE and
// PRAGMA show_tables parse as SELECT.
const SELECT = 1;
const EXPLAIN = 4;
const NAMES: Record<number, string> = {
  2: "INSERT",
  3: "UPDATE",
  5: "DELETE",
  6: "PREPARE",
  7: "CREATE",
  8: "EXECUTE",
  9: "ALTER",
  10: "TRANSACTION",
  11: "COPY",
  12: "ANALYZE",
  13: "SET VARIABLE",
  14: "CREATE FUNCTION",
  15: "DROP",
  16: "EXPORT",
  17: "PRAGMA",
  18: "VACUUM",
  19: "CALL",
  20: "SET",
  21: "LOAD / INSTALL",
  23: "EXTENSION",
  25: "ATTACH",
  26: "DETACH",
  28: "COPY DATABASE",
  29: "UPDATE EXTENSIONS",
  30: "MERGE INTO",
};

/**
 * Refuses SQL unless every statement only reads: SELECT (with SHOW, DESCRIBE, SUMMARIZE),
 * or a plain EXPLAIN of a query (EXPLAIN ANALYZE runs its statement, so it is refused).
 * The statements are prepared, not run, to learn their type.
 */
export async function assertReadOnlySql(conn: DuckDBConnection, sql: string): Promise<void> {
  const extracted = await conn.extractStatements(sql);
  for (let i = 0; i < extracted.count; i++) {
    const type = (await confined(() => extracted.prepare(i))).statementType as number;
    if (type === SELECT) continue;
    if (
      type === EXPLAIN &&
      extracted.count === 1 &&
      /^\s*EXPLAIN\s+(SELECT|WITH|FROM)\b/i.test(sql)
    )
      continue;
    const what = NAMES[type] ?? (type === EXPLAIN ? "EXPLAIN ANALYZE" : `statement type ${type}`);
    throw new ReadOnlyQueryError(
      `etl query is read-only: statement ${i + 1} is ${what}; only SELECT (SHOW, DESCRIBE, ` +
        `SUMMARIZE) and EXPLAIN of a query run here. To keep results, use --format csv or json ` +
        `and redirect the output`,
    );
  }
}

/** assertReadOnlySql, then run; the result of the last statement. */
export async function runReadOnlyQuery(
  conn: DuckDBConnection,
  sql: string,
): Promise<DuckDBResultReader> {
  await assertReadOnlySql(conn, sql);
  return confined(() => conn.runAndReadAll(sql));
}

/** DuckDB's refusal of a path outside allowed_paths, said in the command's terms. */
async function confined<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const msg = String((err as Error).message ?? err);
    if (!msg.startsWith("Permission Error")) throw err;
    throw new ReadOnlyQueryError(
      `etl query reads only the data files of the warehouse's tables (query them by ` +
        `<namespace>.<table>): ${msg.split("\n")[0]!.replace(/^Permission Error: /, "")}`,
    );
  }
}
