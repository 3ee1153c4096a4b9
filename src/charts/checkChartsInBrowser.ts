import { mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { withChromium } from "../env/chromium.ts";

export interface PageChartReport {
  file: string;
  /** Observable Plot SVGs on the page, and how many hold at least one drawn mark. */
  plotSvgs: number;
  plotSvgsWithMarks: number;
  /** Plotly containers (src/charts/PlotlyFigure.ts) and how many plotly.js has drawn traces in. */
  plotlyFigures: number;
  plotlyDrawn: number;
  consoleErrors: string[];
  screenshot: string;
  ok: boolean;
}

/** A Plotly figure is drawn when its SVG holds a trace group, or a heatmap's image. */
const PLOTLY_DRAWN = ".main-svg .trace, .main-svg g.hm image";

/**
 * Opens each HTML file in headless Chromium (playwright-core driving the system's chromium,
 * env CHROMIUM, default /usr/bin/chromium), waits for Plotly figures to draw, counts the
 * charts drawn and collects console errors and page errors, and saves a full-page screenshot
 * in `screenshotDir`. A page is ok when every chart on it is drawn and nothing went to the
 * console as an error.
 */
export async function checkChartsInBrowser(
  files: string[],
  options: { screenshotDir: string; executablePath?: string; timeoutMs?: number },
): Promise<PageChartReport[]> {
  mkdirSync(options.screenshotDir, { recursive: true });
  return withChromium((browser) => checkPages(browser, files, options), options);
}

async function checkPages(
  browser: Browser,
  files: string[],
  options: { screenshotDir: string; timeoutMs?: number },
): Promise<PageChartReport[]> {
  const reports: PageChartReport[] = [];
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  for (const file of files) {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => consoleErrors.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    const timeout = options.timeoutMs ?? 30_000;
    try {
      await page.waitForFunction(
        (drawn) =>
          [...document.querySelectorAll(".etl-plotly")].every((d) => d.querySelector(drawn)),
        PLOTLY_DRAWN,
        { timeout },
      );
    } catch {
      consoleErrors.push(`Plotly figures not all drawn after ${timeout} ms`);
    }
    const counts = await page.evaluate((plotlyDrawn) => {
      const plots = [...document.querySelectorAll("svg")].filter((s) =>
        [...s.classList].some((c) => c.startsWith("plot-")),
      );
      const withMarks = plots.filter((s) =>
        [...s.querySelectorAll("g[aria-label]")].some(
          (g) =>
            !/axis|tick|grid|facet/.test(g.getAttribute("aria-label") ?? "") &&
            g.childElementCount > 0,
        ),
      );
      const figures = [...document.querySelectorAll(".etl-plotly")];
      const drawn = figures.filter((d) => d.querySelector(plotlyDrawn));
      return {
        plotSvgs: plots.length,
        plotSvgsWithMarks: withMarks.length,
        plotlyFigures: figures.length,
        plotlyDrawn: drawn.length,
      };
    }, PLOTLY_DRAWN);
    const screenshot = join(options.screenshotDir, `${basename(file).replace(/\.html$/, "")}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    await page.close();
    reports.push({
      file,
      ...counts,
      consoleErrors,
      screenshot,
      ok:
        consoleErrors.length === 0 &&
        counts.plotSvgs === counts.plotSvgsWithMarks &&
        counts.plotlyFigures === counts.plotlyDrawn,
    });
  }
  return reports;
}
