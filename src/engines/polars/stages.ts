/** The Polars stages, loaded together by PolarsEngine.open() after the thread count is set. */
export { ingest } from "./ingest.ts";
export { cleanse } from "./cleanse.ts";
export { enrich } from "./enrich.ts";
export { sessionize } from "./sessionize.ts";
export { sessions } from "./sessions.ts";
export { write } from "./write.ts";
export { runOutOfCore } from "./outOfCore.ts";
