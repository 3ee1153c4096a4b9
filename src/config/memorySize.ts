/** A memory size as the engines take it, checked once for every engine. */
export interface MemorySize {
  bytes: number;
  /** DuckDB's memory_limit text, e.g. "4GB" or "512MiB". */
  duckdb: string;
  /** Spark's JVM size text, e.g. "4g" or "512m". */
  spark: string;
}

const UNITS: Record<string, number> = { k: 1, m: 2, g: 3, t: 4 };

/**
 * "4GB", "512MB", "2g", "1GiB" (case-insensitive; a whole number and a unit k, m, g or t) ->
 * the same size for every engine; anything else is refused naming the option and the form.
 */
export function parseMemorySize(text: string, option = "--memory-limit"): MemorySize {
  const m = /^\s*(\d+)\s*([kmgt])(i?)b?\s*$/i.exec(text);
  const n = m ? Number(m[1]) : NaN;
  if (m === null || !Number.isSafeInteger(n) || n < 1) {
    throw new Error(
      `${option} ${JSON.stringify(text)} is not a memory size: write a whole number and a unit, e.g. 4GB, 512MB or 2g`,
    );
  }
  const unit = m[2]!.toLowerCase();
  const binary = m[3] !== "";
  return {
    bytes: n * (binary ? 1024 : 1000) ** UNITS[unit]!,
    duckdb: `${n}${unit.toUpperCase()}${binary ? "iB" : "B"}`,
    spark: `${n}${unit}`,
  };
}
