import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import {
  costChart,
  crossoverChart,
  memoryChart,
  scalingChart,
  type CaptionedChart,
} from "../charts/costCharts.ts";
import { buildCostModel, type CostModel } from "../cost/buildCostModel.ts";
import { interferenceCheck } from "../cost/interferenceCheck.ts";
import { readBenchRows } from "../cost/measuredCells.ts";
import { loadPriceTable } from "../cost/PriceTable.ts";
import { loadSettings, projectRoot } from "../config/settings.ts";
import { launchChromium } from "../env/chromium.ts";
import type { BenchRow } from "../bench/BenchRow.ts";
import { demoSlide } from "./demoSlide.ts";
import { expandShortcodes } from "./expandShortcodes.ts";
import { renderMermaid } from "./renderMermaid.ts";
import {
  boxOutcomeTable,
  crossoverTable,
  fitInputsTable,
  fitTable,
  measuredCostTable,
  measuredTable,
  missingList,
  notFoundList,
  priceTable,
  projectionTable,
} from "./reportTables.ts";
import { reportValues } from "./reportValues.ts";

export interface RenderOptions {
  /** A results folder of *.jsonl bench rows (or one file). */
  results: string;
  outDir: string;
  /** results/demo of `make demo`: adds a slide for the user's own run. */
  demoDir?: string | null;
  /** Rows are a test fixture: said on every page. */
  isFixture?: boolean;
  /** Skip the report (HTML + PDF), e.g. for `make demo`. */
  deckOnly?: boolean;
  /** Force the pandoc fallback even when quarto is on PATH. */
  pandoc?: boolean;
  prices?: string;
}

export interface RenderResult {
  renderer: "quarto" | "pandoc";
  deck: string;
  report: string | null;
  pdf: string | null;
  model: CostModel;
  workDir: string;
}

const SOURCES = ["deck.qmd", "report.qmd", "_quarto.yml", "mermaid.lua", "style.css"];

const figure = (name: string, c: CaptionedChart) =>
  "```{=html}\n" +
  `<figure class="chart" data-chart="${name}">${c.svg}<figcaption>${c.caption.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</figcaption></figure>\n` +
  "```\n";
function onPath(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

function pandocPath(): string {
  const py = loadSettings().python;
  try {
    return execFileSync(py, ["-c", "import pypandoc; print(pypandoc.get_pandoc_path())"], {
      encoding: "utf8",
    }).trim();
  } catch (err) {
    throw new Error(
      `pandoc from the pypandoc-binary wheel not found through ${py} (run make install): ${(err as Error).message}`,
    );
  }
}

/** Writes the generated inputs next to copies of the .qmd sources: values, tables, charts, flowchart. */
async function prepare(
  model: CostModel,
  work: string,
  demoDir: string | null,
): Promise<Record<string, string>> {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, "_generated"), { recursive: true });
  for (const f of SOURCES) copyFileSync(join(projectRoot, "slides", f), join(work, f));
  const values = reportValues(model);
  writeFileSync(join(work, "_variables.yml"), stringify(values));
  writeFileSync(
    join(work, "_generated", "model.json"),
    JSON.stringify({ ...model, fits: model.fits.map(({ samples: _drop, ...f }) => f) }, null, 1),
  );
  const g = (name: string, text: string) => writeFileSync(join(work, "_generated", name), text);
  g("fig-scaling.md", figure("scaling", scalingChart(model)));
  g("fig-memory.md", figure("memory", memoryChart(model)));
  g("fig-cost.md", figure("cost", costChart(model)));
  g("fig-crossovers.md", figure("crossovers", crossoverChart(model)));
  g("table-measured.md", measuredTable(model));
  g("table-measured-compact.md", measuredTable(model, true));
  g("table-fits.md", fitTable(model));
  g("table-fits-compact.md", fitTable(model, true));
  g("table-fit-inputs.md", fitInputsTable(model));
  g("table-box-outcomes.md", boxOutcomeTable(model));
  g("table-prices.md", priceTable(model));
  g("table-prices-compact.md", priceTable(model, true));
  g("list-not-found.md", notFoundList(model));
  g("table-measured-costs.md", measuredCostTable(model));
  g("table-projections.md", projectionTable(model));
  g("table-crossovers.md", crossoverTable(model));
  g("list-missing.md", missingList(model));
  g("flowchart.mmd", model.flowchart);
  g("flowchart-source.md", "```\n" + model.flowchart + "```\n");
  g("demo.md", demoSlide(demoDir));
  return values;
}

export async function renderReport(o: RenderOptions): Promise<RenderResult> {
  const outDir = resolve(o.outDir);
  const work = join(outDir, "_work");
  const rows: BenchRow[] = existsSync(o.results) ? readBenchRows(o.results) : [];
  const prices = loadPriceTable(o.prices);
  const model = buildCostModel(rows, prices, {
    label: `${o.results}${rows.length ? `, runs ${[...new Set(rows.map((r) => r.run_id))].join(", ")}` : " (no rows yet)"}`,
    isFixture: o.isFixture ?? false,
  });
  // The A/B of the benchmark against idle-priority dev work, when the results hold one.
  const ab = join(o.results, "interference");
  const abFile = (kind: string) => join(ab, `interference-${kind}.jsonl`);
  if (existsSync(abFile("frozen")) && existsSync(abFile("running")))
    model.interference = interferenceCheck(
      readBenchRows(abFile("frozen")),
      readBenchRows(abFile("running")),
    );
  const values = await prepare(model, work, o.demoDir ?? null);
  const browser = await launchChromium();
  try {
    const svgs = await renderMermaid(browser, { flowchart: model.flowchart });
    writeFileSync(join(work, "_generated", "flowchart.svg"), svgs.flowchart!);
    const docs = o.deckOnly ? ["deck"] : ["deck", "report"];
    const useQuarto = !o.pandoc && onPath("quarto");
    mkdirSync(outDir, { recursive: true });
    if (useQuarto) {
      for (const d of docs)
        execFileSync("quarto", ["render", `${d}.qmd`], { cwd: work, stdio: "inherit" });
      for (const d of docs) copyFileSync(join(work, `${d}.html`), join(outDir, `${d}.html`));
    } else {
      const pandoc = pandocPath();
      for (const d of docs) {
        const md = expandShortcodes(readFileSync(join(work, `${d}.qmd`), "utf8"), values, work);
        writeFileSync(join(work, `${d}.md`), md);
        const common = [
          "-f",
          "markdown",
          "-s",
          "--embed-resources",
          "--lua-filter",
          "mermaid.lua",
          "--css",
          "style.css",
          "-o",
          join(outDir, `${d}.html`),
        ];
        const args =
          d === "deck"
            ? [
                `${d}.md`,
                "-t",
                "revealjs",
                "--slide-level=2",
                "-V",
                `revealjs-url=${join(projectRoot, "node_modules", "reveal.js")}`,
                "-V",
                "slideNumber=true",
                "-V",
                "theme=white",
                "-V",
                "transition=fade",
                ...common,
              ]
            : [`${d}.md`, "-t", "html5", "--toc", ...common];
        execFileSync(pandoc, args, { cwd: work, stdio: ["ignore", "inherit", "inherit"] });
      }
    }
    let pdf: string | null = null;
    if (!o.deckOnly) {
      pdf = join(outDir, "report.pdf");
      const page = await browser.newPage();
      await page.route("**/*", (r) =>
        r.request().url().startsWith("file:") || r.request().url().startsWith("data:")
          ? r.continue()
          : r.abort(),
      );
      await page.goto(`file://${join(outDir, "report.html")}`);
      await page.pdf({
        path: pdf,
        format: "A4",
        printBackground: true,
        margin: { top: "15mm", bottom: "15mm", left: "12mm", right: "12mm" },
      });
      await page.close();
    }
    return {
      renderer: useQuarto ? "quarto" : "pandoc",
      deck: join(outDir, "deck.html"),
      report: o.deckOnly ? null : join(outDir, "report.html"),
      pdf,
      model,
      workDir: work,
    };
  } finally {
    await browser.close();
  }
}
