import type { Command } from "commander";

interface BenchFlags {
  matrix?: string;
  preset?: string;
  force?: boolean;
  only?: string;
  reps?: string;
  threads?: string;
  memoryLimit?: string;
  lock?: string;
  list?: boolean;
  results?: string;
  summary?: boolean;
}

/** `etl bench`: the benchmark matrix (docs/benchmarks.md). */
export function register(program: Command): void {
  program
    .command("bench")
    .description(
      "run a benchmark matrix (floor, duckdb, polars, spark x scales x formats x boxes), one fresh process per cell; rows to JSONL + Parquet, equivalence checked",
    )
    .option("--matrix <file>", "matrix file (YAML or JSON), see bench/matrices/")
    .option("--preset <name>", "smoke, reference, scale, bench-1m or bench-10m")
    .option("--force", "re-run cells already in the results file")
    .option("--only <texts>", "only cells whose id contains one of these (comma-separated)")
    .option("--reps <n>", "repetitions of every cell (overrides the matrix)")
    .option("--threads <n>", "threads of every cell (overrides the matrix)")
    .option("--memory-limit <size>", "engine memory setting of every cell (overrides the matrix)")
    .option(
      "--lock <file>",
      "hold flock(1) on this file around each cell, e.g. /tmp/etl-bigrun.lock",
    )
    .option("--list", "list the cells and whether they are done; run nothing")
    .option(
      "--summary",
      "print the summary and the ratios of the rows already in the results file; run nothing",
    )
    .option(
      "--results <file>",
      "JSONL to append to (default: the matrix's results, or results/bench/<name>.jsonl)",
    )
    .action(async (flags: BenchFlags) => {
      if ((flags.matrix === undefined) === (flags.preset === undefined)) {
        throw new Error("etl bench: give exactly one of --matrix FILE or --preset NAME");
      }
      const { loadMatrix, presetFile } = await import("../../bench/BenchMatrix.ts");
      const { availableParallelism } = await import("node:os");
      const whole = (name: string, text: string | undefined) => {
        if (text === undefined) return undefined;
        const n = Number(text);
        if (!Number.isSafeInteger(n) || n < 1)
          throw new Error(`--${name} ${text} must be a whole number >= 1`);
        return n;
      };
      const file = flags.matrix ?? presetFile(flags.preset!);
      const matrix = loadMatrix(
        file,
        {
          reps: whole("reps", flags.reps),
          threads: whole("threads", flags.threads),
          memoryLimit: flags.memoryLimit,
        },
        availableParallelism(),
      );
      if (flags.results !== undefined) {
        const { resolve } = await import("node:path");
        matrix.results = resolve(flags.results);
      }
      const only = flags.only?.split(",");
      const { runMatrix, readRows } = await import("../../bench/runMatrix.ts");
      if (flags.summary) {
        const { formatSummary, formatRatios } = await import("../../bench/summarizeRows.ts");
        const rows = readRows(matrix.results).filter((r) => r.matrix === matrix.name);
        console.log(
          formatSummary(
            rows,
            matrix.cells.map((c) => c.id),
          ),
        );
        console.log(`\nmedians, bare host, all cores, fair Spark (local):\n${formatRatios(rows)}`);
        const loads = rows.map((r) => r.load_avg_before[0]);
        if (loads.length > 0) {
          console.log(
            `\n${rows.length} rows; 1-min load average before the cells: min ${Math.min(...loads)}, max ${Math.max(...loads)}`,
          );
        }
        return;
      }
      if (flags.list) {
        const done = new Set(
          readRows(matrix.results)
            .filter((r) => r.matrix === matrix.name)
            .map((r) => `${r.cell_id}#${r.repetition}`),
        );
        for (const r of matrix.runs) {
          if (only && !only.some((o) => r.cell.id.includes(o))) continue;
          const key = `${r.cell.id}#${r.repetition}`;
          console.log(`${done.has(key) ? "done" : "todo"}  ${key}`);
        }
        return;
      }
      const outcome = await runMatrix(matrix, {
        force: flags.force,
        only,
        lockFile: flags.lock,
      });
      console.log(
        `\nmatrix ${matrix.name}: ${outcome.rows.length} cell run(s) now, ${outcome.skipped} skipped as done`,
      );
      console.log(outcome.summary);
      console.log(`rows: ${outcome.resultsFile} (Parquet: ${outcome.parquetFile})`);
      const failed = outcome.rows.filter((r) => !r.success).length;
      if (failed > 0) console.log(`${failed} cell run(s) failed this time (reasons in the rows)`);
      if (outcome.mismatches.length > 0) {
        console.error("\n!!!!!!!! EQUIVALENCE BROKEN: engines disagree on the same input !!!!!!!!");
        for (const m of outcome.mismatches) {
          console.error(`input ${m.input}:`);
          for (const g of m.groups)
            console.error(`  ${JSON.stringify(g.fingerprints)} <- ${g.rows.join(", ")}`);
        }
        process.exitCode = 3;
      } else {
        console.log(
          "equivalence: every successful engine agrees on every input (fingerprints of events, sessions, rejects)",
        );
      }
    });
}
