/**
 * A Plotly figure as plain JSON (what `Plotly.newPlot(div, data, layout)` takes), so it can be
 * built in Node, stored in a notebook output and drawn by plotly.js in the browser.
 * Traces stay loosely typed: plotly.js ships no types for Node 20's build of v3.
 */
export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

let counter = 0;

/**
 * HTML that draws `figure` with plotly.js in a browser: the figure JSON in a script tag and a
 * loader that uses `window.Plotly` when present, else loads plotly.min.js once per page from
 * JupyterLab's file server (`make jupyter` serves the repository) or, in an exported notebook,
 * from the same folder (`make notebooks` copies it there).
 */
export function plotlyHtml(figure: PlotlyFigure, options: { height?: number } = {}): string {
  counter += 1;
  const id = `etl-plotly-${process.pid}-${counter}`;
  const height = options.height ?? Number(figure.layout.height ?? 380);
  const json = JSON.stringify(figure).replaceAll("<", "\\u003c");
  return `<div id="${id}" class="etl-plotly" style="width:100%;height:${height}px"></div>
<script type="application/json" id="${id}-figure">${json}</script>
<script>(function () {
  var id = ${JSON.stringify(id)};
  function draw() {
    var f = JSON.parse(document.getElementById(id + "-figure").textContent);
    window.Plotly.newPlot(id, f.data, f.layout, { responsive: true, displaylogo: false });
  }
  if (window.Plotly) { draw(); return; }
  var w = (window.__etlPlotlyWaiting = window.__etlPlotlyWaiting || []);
  w.push(draw);
  if (w.length > 1) return;
  var src = "plotly.min.js";
  var cfg = document.getElementById("jupyter-config-data");
  if (cfg) src = JSON.parse(cfg.textContent).baseUrl + "files/node_modules/plotly.js/dist/plotly.min.js";
  var s = document.createElement("script");
  s.src = src;
  s.onload = function () { w.splice(0).forEach(function (f) { f(); }); };
  document.head.appendChild(s);
})();</script>`;
}
