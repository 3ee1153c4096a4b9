/**
 * What notebook 05 (cost and decision) calls: the cost model built from benchmark rows, the
 * same tables, values and flowchart the deck and the report print (src/report), and the
 * flowchart drawn as SVG by mermaid in headless Chromium.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../config/settings.ts";
import { buildCostModel, type CostModel } from "../cost/buildCostModel.ts";
import { readBenchRows } from "../cost/measuredCells.ts";
import { loadPriceTable } from "../cost/PriceTable.ts";
import { withChromium } from "../env/chromium.ts";
import { renderMermaid } from "../report/renderMermaid.ts";
import { shownPath } from "./shownPath.ts";

export interface NotebookCostModel {
  model: CostModel;
  /** Where the rows came from, relative to the repository when inside it. */
  source: string;
  /** "SYNTHETIC FIXTURE, not measurements" or "measured reference results". */
  kind: string;
}

/**
 * The cost model over COST_RESULTS (a folder of .jsonl rows or one .jsonl file; default the
 * committed results/reference). COST_RESULTS_FIXTURE=1 marks the rows as a synthetic fixture,
 * which the model's labels and every chart then say.
 */
export function notebookCostModel(env: NodeJS.ProcessEnv = process.env): NotebookCostModel {
  const path = env.COST_RESULTS ?? join(projectRoot, "results", "reference");
  if (!existsSync(path)) {
    throw new Error(`COST_RESULTS=${shownPath(path)}: no such file or folder of benchmark rows`);
  }
  const isFixture = env.COST_RESULTS_FIXTURE === "1";
  const source = shownPath(path);
  const model = buildCostModel(readBenchRows(path), loadPriceTable(), {
    label: source,
    isFixture,
  });
  return {
    model,
    source,
    kind: isFixture ? "SYNTHETIC FIXTURE, not measurements" : "measured reference results",
  };
}

/** The model's decision flowchart as SVG, drawn by mermaid (offline) in headless Chromium. */
export async function flowchartSvg(model: CostModel): Promise<{ kind: "svg"; svg: string }> {
  const svgs = await withChromium((browser) =>
    renderMermaid(browser, { flowchart: model.flowchart }),
  );
  return { kind: "svg", svg: svgs.flowchart! };
}
