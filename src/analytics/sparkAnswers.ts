import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { loadSettings, projectRoot } from "../config/settings.ts";
import type { QueryAnswer } from "./NamedQuery.ts";

export interface SparkAnswer extends QueryAnswer {
  namespace: string;
  /** Wall milliseconds of each run of the question inside the JVM (collect included). */
  query_ms: number[];
  /** JVM + SparkSession start-up of the process that answered. */
  startup_ms: number;
}

/**
 * Answers of named questions on Spark SQL (spark/etl_spark/queries.py), all in one JVM:
 * every question (or `names`) on every namespace. Spark's answer lines start `ETL_ANSWER `.
 */
export async function sparkAnswers(
  warehouse: string,
  options: { namespaces: string[]; names?: string[]; params?: string[]; repeat?: number },
): Promise<SparkAnswer[]> {
  const args = ["-m", "etl_spark.queries", "--warehouse", warehouse];
  for (const ns of options.namespaces) args.push("--namespace", ns);
  for (const n of options.names ?? []) args.push("--name", n);
  for (const p of options.params ?? []) args.push("--param", p);
  if (options.repeat) args.push("--repeat", String(options.repeat));
  const { stdout } = await promisify(execFile)(loadSettings().python, args, {
    cwd: join(projectRoot, "spark"),
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("ETL_ANSWER "))
    .map((l) => JSON.parse(l.slice("ETL_ANSWER ".length)) as SparkAnswer);
}
