import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../src/config/settings.ts";
import { launchChromium } from "../src/env/chromium.ts";
import { renderReport, type RenderResult } from "../src/report/renderReport.ts";
import { reportValues } from "../src/report/reportValues.ts";
import { fixtureRows } from "./util/benchFixture.ts";

// Renders the deck and the report from the synthetic fixture (pandoc fallback, as CI does)
// and opens them in headless Chromium: every slide, every chart's marks, the flowchart as
// SVG, no console error, no request leaving the machine. Screenshots: build/report-check/.
const shots = join(projectRoot, "build", "report-check");
let result: RenderResult;
let browser: Browser;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "report-"));
  writeFileSync(
    join(dir, "fixture.jsonl"),
    fixtureRows()
      .map((r) => JSON.stringify(r))
      .join("\n") + "\n",
  );
  result = await renderReport({
    results: dir,
    outDir: join(dir, "out"),
    isFixture: true,
    pandoc: true,
  });
  mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

interface Watch {
  errors: string[];
  external: string[];
}

async function open(url: string): Promise<{ page: Page; watch: Watch }> {
  const watch: Watch = { errors: [], external: [] };
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("console", (m) => {
    if (m.type() === "error") watch.errors.push(m.text());
  });
  page.on("pageerror", (e) => watch.errors.push(String(e)));
  await page.route("**/*", (route) => {
    const u = new URL(route.request().url());
    const local =
      ["file:", "data:", "blob:", "about:"].includes(u.protocol) ||
      ["localhost", "127.0.0.1"].includes(u.hostname);
    if (local) return route.continue();
    watch.external.push(u.href);
    return route.abort();
  });
  await page.goto(url);
  return { page, watch };
}

/** Marks each chart drew: Observable Plot groups marks under g[aria-label] (dot, line, rule). */
const chartMarks = (page: Page) =>
  page.$$eval(".chart", (charts) =>
    charts.map((c) => ({
      name: c.getAttribute("data-chart"),
      marks: c.querySelectorAll(
        'svg g[aria-label="dot"] > *, svg g[aria-label="line"] > *, svg g[aria-label="rule"] > *',
      ).length,
    })),
  );

describe("deck and report from the fixture", () => {
  it("used the pandoc fallback and wrote a PDF", () => {
    expect(result.renderer).toBe("pandoc");
    const pdf = readFileSync(result.pdf!);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(statSync(result.pdf!).size).toBeGreaterThan(20_000);
  });

  it("deck: every slide renders, charts have marks, the flowchart is SVG, nothing external, no errors", async () => {
    const { page, watch } = await open(`file://${result.deck}`);
    await page.waitForFunction(() =>
      (globalThis as unknown as { Reveal?: { isReady(): boolean } }).Reveal?.isReady(),
    );
    await page.evaluate(() =>
      (globalThis as unknown as { Reveal: { configure(o: object): void } }).Reveal.configure({
        transition: "none",
      }),
    );
    const total = await page.evaluate(() =>
      (globalThis as unknown as { Reveal: { getTotalSlides(): number } }).Reveal.getTotalSlides(),
    );
    expect(total).toBeGreaterThanOrEqual(15);
    expect(total).toBeLessThanOrEqual(22);
    for (let i = 0; i < total; i++) {
      await page.evaluate(
        (i) => (globalThis as unknown as { Reveal: { slide(h: number): void } }).Reveal.slide(i),
        i,
      );
      const slide = await page.evaluate(() => {
        const s = (
          globalThis as unknown as { Reveal: { getCurrentSlide(): HTMLElement } }
        ).Reveal.getCurrentSlide();
        const r = s.getBoundingClientRect();
        return {
          text: s.innerText.trim(),
          svg: s.querySelectorAll("svg").length,
          h: r.height,
          w: r.width,
        };
      });
      expect(slide.text.length + slide.svg, `slide ${i + 1} is empty`).toBeGreaterThan(0);
      expect(slide.w).toBeGreaterThan(0);
      await page.screenshot({ path: join(shots, `deck-${String(i + 1).padStart(2, "0")}.png`) });
    }
    const charts = await chartMarks(page);
    expect(charts.map((c) => c.name).sort()).toEqual(["cost", "crossovers", "memory", "scaling"]);
    for (const c of charts) expect(c.marks, `${c.name} chart has no marks`).toBeGreaterThan(3);
    const nodes = await page.$$eval(".mermaid-figure svg .node", (n) => n.length);
    expect(nodes).toBeGreaterThanOrEqual(10);
    expect(await page.textContent(".fixture-banner")).toContain("TEST FIXTURE");
    expect(watch.external).toEqual([]);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  it("report: charts, flowchart and tables render; the numbers come from the model", async () => {
    const { page, watch } = await open(`file://${result.report}`);
    const charts = await chartMarks(page);
    expect(charts).toHaveLength(4);
    for (const c of charts) expect(c.marks).toBeGreaterThan(3);
    expect(await page.$$eval(".mermaid-figure svg", (s) => s.length)).toBe(1);
    const text = await page.innerText("body");
    expect(text).not.toContain("{{<");
    const values = reportValues(result.model);
    expect(text).toContain(values.recommendation!);
    expect(text).toContain(`${values.rows} rows in ${values.cells} cells`);
    expect(text).toContain(result.model.prices.instances[0]!.price_source!.url);
    await page.screenshot({ path: join(shots, "report.png"), fullPage: true });
    expect(watch.external).toEqual([]);
    expect(watch.errors).toEqual([]);
    await page.close();
  });
});
