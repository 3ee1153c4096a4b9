// Worker entry of ProcessTreeSampler: loads tsx first (workers do not inherit the main
// thread's loader hooks), then the TypeScript sampling loop, like src/generator/chunkWorker.mjs.
import { register } from "tsx/esm/api";

register();
await import("./samplerWorker.ts");
