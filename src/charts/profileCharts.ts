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

/** Rows per event type after trimming and lower-casing, labelled with the raw spellings folded in. */
export function eventTypesChart(eventTypes: Table): Chart {
  type Row = { event_type: string | null; rows: number; raw_spellings: number };
  const rows = eventTypes.toArray().map((r) => r.toJSON() as Row);
  const name = (d: Row) => d.event_type ?? "(empty → unknown)";
  return {
    kind: "svg",
    svg: renderPlot({
      width: 720,
      height: 60 + 26 * rows.length,
      marginLeft: 140,
      marginRight: 150,
      ariaLabel: "Event types",
      x: { grid: true, label: "rows" },
      y: { domain: rows.map(name), label: null },
      marks: [
        Plot.barX(rows, { y: name, x: "rows", fill: "darkorange" }),
        Plot.text(rows, {
          y: name,
          x: "rows",
          text: (d: Row) =>
            `${d.rows} (${d.raw_spellings} spelling${d.raw_spellings === 1 ? "" : "s"})`,
          dx: 4,
          textAnchor: "start",
        }),
      ],
    }),
  };
}

/** Users by number of raw rows (log-scaled counts). */
export function eventsPerUserChart(eventsPerUser: Table): Chart {
  return {
    kind: "svg",
    svg: renderPlot({
      width: 720,
      height: 280,
      marginLeft: 60,
      ariaLabel: "Events per user",
      x: { label: "rows per user" },
      y: { grid: true, label: "users", type: "log" },
      marks: [
        Plot.rectY(eventsPerUser, {
          x1: (d: { events: number }) => d.events - 0.5,
          x2: (d: { events: number }) => d.events + 0.5,
          y1: 0.8,
          y2: "users",
          fill: "seagreen",
        }),
      ],
    }),
  };
}

/** Histogram of purchase revenue values (Plotly bins them in the browser). */
export function revenueHistogramChart(revenues: Table): Chart {
  return {
    kind: "plotly",
    figure: {
      data: [
        {
          type: "histogram",
          x: column<number>(revenues, "revenue"),
          nbinsx: 60,
          name: "purchases",
        },
      ],
      layout: {
        title: { text: "Purchase revenue (well-formed values)" },
        height: 340,
        xaxis: { title: { text: "revenue" } },
        yaxis: { title: { text: "purchases" } },
      },
    },
  };
}
