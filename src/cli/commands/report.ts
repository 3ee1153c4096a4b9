import type { Command } from "commander";

interface ReportOptions {
  results: string;
  out: string;
  demo?: string;
  deckOnly?: boolean;
  pandoc?: boolean;
  fixture?: boolean;
}

export function register(program: Command): void {
  program
    .command("report")
    .description(
      "cost model, projections and flowchart from bench rows; render the deck and the report (HTML + PDF)",
    )
    .option("--results <path>", "folder of bench *.jsonl rows (or one file)", "results/reference")
    .option("--out <dir>", "output folder", "report/out")
    .option("--demo <dir>", "results of make demo: adds a slide for that run")
    .option("--deck-only", "render the deck only (no report, no PDF)")
    .option("--pandoc", "use the pandoc fallback even when quarto is on PATH")
    .option("--fixture", "the rows are a test fixture: say so on every page")
    .action(async (opts: ReportOptions) => {
      const { renderReport } = await import("../../report/renderReport.ts");
      const { crossSentence, measuredBoxSentence } = await import("../../report/reportValues.ts");
      const r = await renderReport({
        results: opts.results,
        outDir: opts.out,
        demoDir: opts.demo ?? null,
        deckOnly: opts.deckOnly,
        pandoc: opts.pandoc,
        isFixture: opts.fixture,
      });
      const m = r.model;
      console.log(
        `rendered with ${r.renderer}: ${[r.deck, r.report, r.pdf].filter(Boolean).join(", ")}`,
      );
      console.log(
        `${m.source.rows} rows, ${m.cells.length} cells, ${m.missing.length} reference cells missing, ${m.projections.length} projected points`,
      );
      for (const c of m.crossovers)
        console.log(
          `${c.engine}: measured: ${measuredBoxSentence(c)} ${crossSentence(c.fitLimit, `in-memory limit of ${c.fitLimit.box}`, c.fitLimit.memoryIsLimit ? null : "none (spills)")}; ${crossSentence(c.clusterWinsTime, "cluster faster")}; ${crossSentence(c.clusterWinsCost, "cluster cheaper")}`,
        );
    });
}
