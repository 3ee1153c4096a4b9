import * as Plot from "@observablehq/plot";
import { JSDOM } from "jsdom";

const SVG_NS = "http://www.w3.org/2000/svg";

/** Plot's options without `document` (renderPlot supplies jsdom's). */
export type PlotOptions = Omit<Plot.PlotOptions, "document">;

/**
 * Renders Observable Plot options to a standalone SVG string on the server (jsdom's document),
 * ready for a notebook's image/svg+xml output or a slide. Legends and titles would wrap the SVG
 * in a <figure> (HTML), so they are refused: chart functions name themselves in aria-label.
 */
export function renderPlot(options: PlotOptions): string {
  const { document } = new JSDOM("<!doctype html><html><body></body></html>").window;
  const node = Plot.plot({ ...options, document }) as unknown as Element;
  if (node.tagName.toLowerCase() !== "svg") {
    throw new Error(
      `Observable Plot returned a <${node.tagName.toLowerCase()}>, not an <svg>: drop title, subtitle, caption and legends`,
    );
  }
  const svg = node;
  svg.setAttribute("xmlns", SVG_NS);
  return svg.outerHTML;
}

export { Plot };
