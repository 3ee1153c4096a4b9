import type { Table } from "apache-arrow";
import type { RunSummary } from "../harness/RunSummary.ts";
import type { Chart } from "./display.ts";
import { Plot, renderPlot } from "./renderPlot.ts";

/** Charts of pipeline runs (notebook 02): phases per engine, rejects by reason. */

/** Stacked phase wall times per engine run, start-up included (from RunSummary.phases). */
export function phaseTimesChart(runs: RunSummary[]): Chart {
  const data = runs.flatMap((r) => [
    { engine: r.engine, phase: "startup", seconds: r.startup_ms / 1000 },
    ...Object.entries(r.phases).map(([k, ms]) => ({
      engine: r.engine,
      phase: k.replace(/_ms$/, ""),
      seconds: (ms ?? 0) / 1000,
    })),
  ]);
  return {
    kind: "plotly",
    figure: {
      data: [...new Set(data.map((d) => d.phase))].map((phase) => ({
        type: "bar",
        orientation: "h",
        name: phase,
        y: runs.map((r) => r.engine),
        x: runs.map(
          (r) => data.find((d) => d.engine === r.engine && d.phase === phase)?.seconds ?? 0,
        ),
      })),
      layout: {
        title: { text: "Where the time goes: phases per engine (wall seconds)" },
        barmode: "stack",
        // The phases as one legend row under the axis: a legend beside short bars scrolls.
        height: 200 + 60 * runs.length,
        legend: { orientation: "h", x: 0, y: -0.3, yanchor: "top", traceorder: "normal" },
        xaxis: { title: { text: "seconds" } },
      },
    },
  };
}

/** Rejected rows by reason and namespace, from a table with columns namespace, reject_reason, rows. */
export function rejectReasonsChart(t: Table): Chart {
  return {
    kind: "svg",
    svg: renderPlot({
      width: 720,
      height: 300,
      marginLeft: 150,
      ariaLabel: "Rejected rows by reason",
      x: { grid: true, label: "rejected rows" },
      y: { label: null },
      fy: { label: null },
      marks: [
        Plot.barX(t, { y: "namespace", fy: "reject_reason", x: "rows", fill: "namespace" }),
        Plot.text(t, {
          y: "namespace",
          fy: "reject_reason",
          x: "rows",
          text: "rows",
          dx: 4,
          textAnchor: "start",
        }),
      ],
    }),
  };
}
