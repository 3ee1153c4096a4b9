/**
 * A named analytical question: one `.sql` file in ./queries whose header comment declares the
 * business question, the returned columns with their kinds, and the parameters. The same text
 * runs on DuckDB (src/analytics/runNamedQuery.ts) and Spark SQL (spark/etl_spark/queries.py).
 */

/** How a returned column compares across engines: exact, except `double` (relative tolerance). */
export type ColumnKind = "int" | "decimal" | "double" | "text" | "date";
export const COLUMN_KINDS: readonly ColumnKind[] = ["int", "decimal", "double", "text", "date"];

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
}

export interface ParamSpec {
  name: string;
  /** Only integers so far (`top_n`); bound as a parameter, never pasted into the text. */
  kind: "int";
  default: number;
  description: string;
}

export interface NamedQuery {
  /** File name without `.sql`. */
  name: string;
  question: string;
  columns: ColumnSpec[];
  params: ParamSpec[];
  /** Tables the query reads (unqualified: the namespace is the session's current schema). */
  sources: string[];
  /** The whole file, header included (a comment to both engines). */
  sql: string;
}

/** One cell of an answer in engine-neutral form: integers and decimals as exact text. */
export type AnswerCell = string | number | null;

export interface QueryAnswer {
  name: string;
  columns: ColumnSpec[];
  rows: AnswerCell[][];
}
