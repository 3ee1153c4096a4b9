import type { AnswerCell, NamedQuery, QueryAnswer } from "./NamedQuery.ts";
import { listNamedQueries } from "./namedQueries.ts";

/** `etl query --list`: each question's name, business question, columns and parameters. */
export function formatQueryList(queries: NamedQuery[] = listNamedQueries()): string {
  return queries
    .map((q) => {
      const cols = q.columns.map((c) => `${c.name} (${c.kind})`).join(", ");
      const params = q.params.map((p) => `\n    --param ${p.name}=${p.default}  ${p.description}`);
      return `${q.name}\n    ${q.question}\n    columns: ${cols}${params.join("")}`;
    })
    .join("\n");
}

/** An answer's rows as objects keyed by column name (for the CLI's table/json/csv output). */
export function answerRecords(answer: QueryAnswer): Record<string, AnswerCell>[] {
  return answer.rows.map((row) =>
    Object.fromEntries(answer.columns.map((c, i) => [c.name, row[i] ?? null])),
  );
}
