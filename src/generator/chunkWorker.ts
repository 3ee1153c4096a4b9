import { parentPort, workerData } from "node:worker_threads";
import type { ChunkConfig } from "./ChunkConfig.ts";
import { ChunkGenerator } from "./ChunkGenerator.ts";

/**
 * Worker side of parallel generation: renders the chunks the main thread asks for and
 * sends the bytes back (transferred, not copied). Chunks depend only on (config, index),
 * so the file is the same whatever the number of workers.
 */
const port = parentPort;
if (port === null) throw new Error("chunkWorker.ts must run as a worker thread");
const gen = new ChunkGenerator(workerData as ChunkConfig);
port.on("message", (msg: { chunk?: number; recycle?: Uint8Array[] }) => {
  if (msg.recycle) gen.recycle(msg.recycle);
  if (msg.chunk !== undefined) {
    const batches = gen.generate(msg.chunk);
    port.postMessage(
      { chunk: msg.chunk, batches },
      batches.map((b) => b.buffer as ArrayBuffer),
    );
  }
});
