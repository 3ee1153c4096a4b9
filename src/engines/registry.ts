import type { Engine, EngineName } from "./Engine.ts";

/**
 * Engine name -> module exporting `createEngine(): Engine`. Loaded lazily so that a run
 * of one engine never loads another's native library.
 */
const MODULES: Record<EngineName, { path: string; load: () => Promise<unknown> }> = {
  // Literal import() calls, so that the compiled CLI's bundler (build/dist.mjs) sees each
  // engine and gives it its own chunk, loaded only when that engine runs.
  duckdb: { path: "./duckdb/DuckDbEngine.ts", load: () => import("./duckdb/DuckDbEngine.ts") },
  polars: { path: "./polars/PolarsEngine.ts", load: () => import("./polars/PolarsEngine.ts") },
  spark: { path: "./spark/SparkEngine.ts", load: () => import("./spark/SparkEngine.ts") },
};

export const ENGINE_NAMES = Object.keys(MODULES) as EngineName[];

export function isEngineName(name: string): name is EngineName {
  return Object.hasOwn(MODULES, name);
}

export async function createEngine(name: string): Promise<Engine> {
  if (!isEngineName(name)) {
    throw new Error(`unknown engine '${name}': choose one of ${ENGINE_NAMES.join(", ")}`);
  }
  const { path, load } = MODULES[name];
  let mod: { createEngine?: () => Engine };
  try {
    mod = (await load()) as { createEngine?: () => Engine };
  } catch (err) {
    throw new Error(`engine '${name}' could not be loaded from ${path}: ${(err as Error).message}`);
  }
  if (typeof mod.createEngine !== "function") {
    throw new Error(`engine '${name}': ${path} does not export createEngine()`);
  }
  return mod.createEngine();
}
