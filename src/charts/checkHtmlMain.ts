// Headless-Chromium check of the exported notebooks (make notebooks-check): every chart drawn,
// no console errors, a screenshot of each page. Usage: node --import tsx src/charts/checkHtmlMain.ts
//   [--screenshots DIR] [--min-charts N] FILE.html...   (exit 1 when a page fails)
import { checkChartsInBrowser } from "./checkChartsInBrowser.ts";

const args = process.argv.slice(2);
let screenshotDir = "build/notebooks/screenshots";
let minCharts = 0;
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--screenshots") screenshotDir = args[++i]!;
  else if (args[i] === "--min-charts") minCharts = Number(args[++i]);
  else files.push(args[i]!);
}
const reports = await checkChartsInBrowser(files, { screenshotDir });
let failed = false;
for (const r of reports) {
  const charts = r.plotSvgs + r.plotlyFigures;
  const enough = r.file.includes("00-") || charts >= minCharts;
  const ok = r.ok && enough;
  failed ||= !ok;
  console.log(
    `${ok ? "ok  " : "FAIL"} ${r.file}: Plot SVGs ${r.plotSvgsWithMarks}/${r.plotSvgs} with marks, ` +
      `Plotly ${r.plotlyDrawn}/${r.plotlyFigures} drawn, console errors ${r.consoleErrors.length}; ${r.screenshot}`,
  );
  for (const e of r.consoleErrors) console.log(`     console: ${e}`);
}
process.exitCode = failed ? 1 : 0;
