import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser } from "playwright-core";

const require = createRequire(import.meta.url);

/**
 * Mermaid source to SVG, drawn by mermaid itself (the inlined dist/mermaid.min.js) in headless
 * Chromium, offline. Done at build time so every output (deck, report, PDF) carries the same
 * static SVG and no slide has to lay out a diagram while hidden.
 */
export async function renderMermaid(
  browser: Browser,
  sources: Record<string, string>,
): Promise<Record<string, string>> {
  const script = readFileSync(require.resolve("mermaid/dist/mermaid.min.js"), "utf8");
  const page = await browser.newPage();
  try {
    await page.route("**/*", (route) =>
      route.request().url().startsWith("about:") || route.request().url().startsWith("data:")
        ? route.continue()
        : route.abort(),
    );
    await page.setContent("<!doctype html><html><body></body></html>");
    await page.addScriptTag({ content: script });
    const out: Record<string, string> = {};
    for (const [id, text] of Object.entries(sources)) {
      out[id] = await page.evaluate(
        async ([id, text]) => {
          const m = (
            globalThis as unknown as {
              mermaid: {
                initialize(o: object): void;
                render(id: string, t: string): Promise<{ svg: string }>;
              };
            }
          ).mermaid;
          m.initialize({
            startOnLoad: false,
            securityLevel: "strict",
            theme: "default",
            flowchart: { htmlLabels: false },
          });
          return (await m.render(id, text)).svg;
        },
        [id, text] as const,
      );
    }
    return out;
  } finally {
    await page.close();
  }
}
