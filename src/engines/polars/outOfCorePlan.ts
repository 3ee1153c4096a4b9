import { closeSync, openSync, readSync, statSync } from "node:fs";

/** How the input is cut: about `chunkBytes` of CSV per chunk, `buckets` hash buckets. */
export interface OutOfCorePlan {
  buckets: number;
  chunkBytes: number;
}

/** A Parquet input's bytes count this many times as CSV bytes when sizing chunks. */
export const PARQUET_EXPANSION = 4;

/**
 * Peak RSS of the in-memory path per CSV byte: 1.9 GB at 1M events (292 MB of CSV), 15.3 GB
 * at 10M (2.8 GB), docs/polars-notes.md.
 */
export const IN_MEMORY_PEAK_PER_BYTE = 7;

const MB = 1 << 20;

/** Share of the budget the in-memory path may be expected to use before auto goes out of core. */
export const AUTO_SHARE = 0.9;

/**
 * ETL_POLARS_OUT_OF_CORE: "auto" (or unset) chooses the out-of-core path when the in-memory
 * path's expected peak passes 90 % of the budget (the run's memory limit, else the box's
 * memory), that is only when the in-memory path is not expected to fit: the in-memory path
 * is measured at every scale that fits (15.3 GB at 10M on 24 GB), where it took 9 % less
 * wall than out of core (docs/polars-notes.md); "off" never, "on" always; a whole number
 * N >= 1 always, with N buckets and the input cut into about N chunks (so tests exercise
 * chunking and buckets on small inputs).
 * Returns null for the in-memory path.
 */
export function chooseOutOfCorePlan(
  input: string,
  setting: string | undefined,
  budgetBytes: number,
): OutOfCorePlan | null {
  const mode = (setting ?? "auto").trim().toLowerCase();
  const bytes = statSync(input).size * (isParquet(input) ? PARQUET_EXPANSION : 1);
  if (/^\d+$/.test(mode) && Number(mode) >= 1) {
    const buckets = Number(mode);
    return { buckets, chunkBytes: Math.max(1, Math.ceil(bytes / buckets)) };
  }
  if (mode === "off") return null;
  if (mode !== "on" && mode !== "auto") {
    throw new Error(
      `ETL_POLARS_OUT_OF_CORE=${JSON.stringify(setting)}: write auto, on, off or a bucket count (a whole number >= 1)`,
    );
  }
  if (mode === "auto" && bytes * IN_MEMORY_PEAK_PER_BYTE <= budgetBytes * AUTO_SHARE) return null;
  // A chunk's in-memory work is ~7x its bytes: 1/24 of the budget keeps it near 30 %.
  const chunkBytes = Math.min(256 * MB, Math.max(16 * MB, Math.floor(budgetBytes / 24)));
  return { buckets: Math.max(2, Math.ceil(bytes / chunkBytes)), chunkBytes };
}

function isParquet(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.toString("latin1") === "PAR1";
  } finally {
    closeSync(fd);
  }
}
