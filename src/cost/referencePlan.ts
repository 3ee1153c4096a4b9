import { isPlainHostCell, type MeasuredCell } from "./measuredCells.ts";

/**
 * The reference matrix the benchmark issue asks for, as checks on the measured cells; the
 * report lists every item with no successful or failed cell yet, so a reader sees what is
 * extrapolated rather than measured.
 */
const PLAN: { what: string; has: (c: MeasuredCell) => boolean }[] = [];
for (const engine of ["floor", "duckdb", "polars", "spark"] as const)
  for (const events of [100_000, 1_000_000, 10_000_000])
    PLAN.push({
      what: `${engine} csv ${events / 1e6 >= 1 ? `${events / 1e6}M` : `${events / 1e3}k`} events, no box`,
      has: (c) =>
        c.engine === engine &&
        c.events === events &&
        c.inputFormat === "csv" &&
        c.box === null &&
        !c.standalone &&
        c.variant === null,
    });
for (const engine of ["floor", "duckdb", "polars", "spark"] as const)
  PLAN.push({
    what: `${engine} parquet 1M events`,
    has: (c) => c.engine === engine && c.events === 1_000_000 && c.inputFormat === "parquet",
  });
for (const engine of ["duckdb", "polars", "spark"] as const)
  for (const threads of [1, 2])
    PLAN.push({
      what: `${engine} ${threads} thread(s)`,
      // On the bare host: a standalone worker or a 1-core box also runs one thread, and is
      // another cell of the plan.
      has: (c) => c.engine === engine && c.threads === threads && isPlainHostCell(c),
    });
for (const engine of ["floor", "duckdb", "polars", "spark"] as const)
  PLAN.push({
    what: `${engine} 10M events in three box shapes`,
    has: () => false,
  });
for (const workers of [1, 2])
  for (const events of [1_000_000, 10_000_000])
    PLAN.push({
      what: `spark standalone ${workers} worker(s), ${events / 1e6}M events`,
      has: (c) => c.engine === "spark" && c.sparkWorkers === workers && c.events === events,
    });
for (const engine of ["duckdb", "polars", "spark"] as const)
  PLAN.push({
    what: `${engine} 100M events in a 2-core 16 GB box`,
    has: (c) => c.engine === engine && c.events === 100_000_000,
  });

export function missingReferenceCells(cells: MeasuredCell[]): string[] {
  const missing: string[] = [];
  for (const p of PLAN) {
    if (p.what.includes("three box shapes")) {
      const engine = p.what.split(" ")[0];
      const boxes = new Set(
        cells
          .filter(
            (c) =>
              c.engine === engine && c.events === 10_000_000 && c.box !== null && !c.standalone,
          )
          .map((c) => c.box),
      );
      if (boxes.size < 3) missing.push(`${p.what} (have ${boxes.size})`);
    } else if (!cells.some(p.has)) missing.push(p.what);
  }
  return missing;
}
