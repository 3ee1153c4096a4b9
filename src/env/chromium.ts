import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

/** Flags for Debian's chromium run headless on a shared build machine (no network, no sync). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** The chromium binary: `executablePath`, else env CHROMIUM, else Debian's /usr/bin/chromium. */
export function chromiumPath(executablePath?: string): string {
  const path = executablePath ?? process.env.CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(path))
    throw new Error(`chromium not found at ${path}: run \`make chromium\` (or set CHROMIUM)`);
  return path;
}

/**
 * Debian's chromium driven by playwright-core (nothing downloads a browser). Every launch
 * gets a fresh temporary profile (--user-data-dir) from Playwright, which deletes it when the
 * browser is closed; close it with `browser.close()` or use `withChromium`.
 */
export async function launchChromium(options: { executablePath?: string } = {}): Promise<Browser> {
  const executablePath = chromiumPath(options.executablePath);
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** Runs `use` with a launched chromium and closes it (and its profile) however `use` ends. */
export async function withChromium<T>(
  use: (browser: Browser) => Promise<T>,
  options: { executablePath?: string } = {},
): Promise<T> {
  const browser = await launchChromium(options);
  try {
    return await use(browser);
  } finally {
    await browser.close();
  }
}
