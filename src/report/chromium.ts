import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

/**
 * Debian's chromium driven by playwright-core (nothing downloads a browser). Playwright gives
 * every launch a fresh temporary profile; the flags keep it from phoning home.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(executablePath))
    throw new Error(
      `chromium not found at ${executablePath}: run \`make chromium\` (or set CHROMIUM)`,
    );
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
