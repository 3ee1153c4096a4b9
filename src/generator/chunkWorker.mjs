// Worker entry: loads tsx first (workers do not inherit the main thread's loader hooks),
// then the TypeScript worker, like bin/etl.js does for the CLI.
import { register } from "tsx/esm/api";

register();
await import("./chunkWorker.ts");
