/** Named analytical questions (./queries/*.sql) on DuckDB, and answers compared across engines. */
export * from "./NamedQuery.ts";
export { parseNamedQuery } from "./parseNamedQuery.ts";
export { QUERIES_DIR, listNamedQueries, getNamedQuery, resolveParams } from "./namedQueries.ts";
export { runNamedQuery } from "./runNamedQuery.ts";
export { diffAnswers, DOUBLE_RELATIVE_TOLERANCE } from "./diffAnswers.ts";
export { answerToArrow } from "./answerToArrow.ts";
export { formatQueryList, answerRecords } from "./formatQueryList.ts";
export { sparkAnswers, type SparkAnswer } from "./sparkAnswers.ts";
