import type { PlotlyFigure } from "./PlotlyFigure.ts";
import { plotlyHtml } from "./PlotlyFigure.ts";

/** What every chart function returns: an SVG string (Observable Plot) or a Plotly figure. */
export type Chart = { kind: "svg"; svg: string } | { kind: "plotly"; figure: PlotlyFigure };

interface TslabDisplay {
  svg(s: string): void;
  html(s: string): void;
  markdown(s: string): void;
}

async function tslabDisplay(): Promise<TslabDisplay> {
  const tslab = (await import("tslab")) as unknown as { display: TslabDisplay };
  return tslab.display;
}

/**
 * Shows a chart as a notebook output: image/svg+xml for Plot, text/html for Plotly; a chart
 * that carries a caption (the cost charts say what is measured and what projected) gets it
 * below, as Markdown.
 */
export async function show(chart: Chart & { caption?: string }): Promise<void> {
  const display = await tslabDisplay();
  if (chart.kind === "svg") display.svg(chart.svg);
  else display.html(plotlyHtml(chart.figure));
  if (chart.caption) display.markdown(`*${chart.caption}*`);
}

/** Shows rows as a Markdown table (first `limit` rows) in a notebook. */
export async function showTable(
  rows: Record<string, unknown>[],
  options: { limit?: number; caption?: string } = {},
): Promise<void> {
  const display = await tslabDisplay();
  display.markdown(markdownTable(rows, options));
}

/** Shows Markdown text (a table or list rendered elsewhere, e.g. by src/report) in a notebook. */
export async function showMarkdown(text: string): Promise<void> {
  const display = await tslabDisplay();
  display.markdown(text);
}

/** Rows as a Markdown table; `|` and line breaks in values are escaped. */
export function markdownTable(
  rows: Record<string, unknown>[],
  options: { limit?: number; caption?: string } = {},
): string {
  const limit = options.limit ?? 20;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) =>
    v === null || v === undefined
      ? "∅"
      : String(typeof v === "bigint" ? v.toString() : v)
          .replaceAll("|", "\\|")
          .replaceAll(/\r?\n/g, " ");
  const lines = [
    `| ${cols.join(" | ")} |`,
    `| ${cols.map(() => "---").join(" | ")} |`,
    ...rows.slice(0, limit).map((r) => `| ${cols.map((c) => cell(r[c])).join(" | ")} |`),
  ];
  const more = rows.length > limit ? `\n\n(${rows.length - limit} more rows)` : "";
  return `${options.caption ? `**${options.caption}**\n\n` : ""}${lines.join("\n")}${more}`;
}
