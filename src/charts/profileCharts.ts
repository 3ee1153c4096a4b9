import type { Table } from "apache-arrow";
import type { Chart } from "./display.ts";
import { column } from "./columns.ts";
import { Plot, renderPlot } from "./renderPlot.ts";

/** Charts of a raw input profile (src/analytics/profileRawInput.ts), for notebook 01. */

/** Share of rows per raw column that are null (empty), blank (whitespace only) or padded (Plotly). */
export function rawColumnQualityChart(columns: Table): Chart {
  const names = column<string>(columns, "column_name");
  const rows = column<number>(columns, "rows");
  const share = (kind: string) =>
    column<number>(columns, kind).map((v, i) => (v ?? 0) / (rows[i] || 1));
  return {
    kind: "plotly",
    figure: {
      data: (["nulls", "blank", "padded"] as const).map((kind) => ({
        type: "bar",
        name: kind,
        x: names,
        y: share(kind),
      })),
      layout: {
        title: { text: "Raw columns: share of rows null, blank or padded" },
        barmode: "group",
        height: 360,
        yaxis: { type: "log", title: { text: "share of rows (log)" }, tickformat: ".2%" },
      },
    },
  };
}

/** The most frequent textual shapes of a column (digits as 9), as horizontal bars. */
export function valueShapesChart(shapes: Table, columnName: string): Chart {
  const rows = shapes
    .toArray()
    .map((r) => r.toJSON() as { column: string; shape: string; rows: number })
    .filter((r) => r.column === columnName);
  return {
    kind: "svg",
    svg: renderPlot({
      width: 720,
      height: 40 + 22 * rows.length,
      marginLeft: 260,
      marginRight: 60,
      ariaLabel: `Shapes of ${columnName}`,
      x: { grid: true, label: `rows (${columnName})`, type: "log" },
      y: { domain: rows.map((r) => r.shape), label: null },
      marks: [
        Plot.barX(rows, { y: "shape", x1: 0.8, x2: "rows", fill: "slateblue" }),
        Plot.text(rows, { y: "shape", x: "rows", text: "rows", dx: 4, textAnchor: "start" }),
      ],
    }),
  };
}

/** Measured screen rates next to the generator's configured ones (Plotly, grouped bars). */
export function dirtyRatesChart(screens: Table, expected: Record<string, number>): Chart {
  const names = column<string>(screens, "screen") as string[];
  return {
    kind: "plotly",
    figure: {
      data: [
        {
          type: "bar",
          name: "measured (SQL screen)",
          x: names,
          y: column<number>(screens, "rate"),
        },
        { type: "bar", name: "generator rate", x: names, y: names.map((n) => expected[n] ?? null) },
      ],
      layout: {
        title: { text: "Dirty-data rates: measured vs configured" },
        barmode: "group",
        height: 380,
        yaxis: { title: { text: "rate" }, tickformat: ".2%" },
      },
    },
  };
}
