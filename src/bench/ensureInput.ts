import { spawn } from "node:child_process";
import { existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../config/settings.ts";
import { scaleLabel } from "./BenchMatrix.ts";
import type { BenchInputFormat } from "./BenchRow.ts";
import { withFileLock } from "./withFileLock.ts";

export const DATA_DIR = join(projectRoot, "data", "generated");

/** data/generated/clickstream-<scale>.<format>: the names `make data*` use. */
export function inputPath(events: number, format: BenchInputFormat): string {
  return join(DATA_DIR, `clickstream-${scaleLabel(events)}.${format}`);
}

/**
 * The input of a cell, generated if absent (seed 42, as the Makefile) under the data lock
 * (data/generated/.lock: two runs never write the same file), to a `.partial` name renamed
 * when complete, so an interrupted generation never leaves a file that looks whole.
 */
export async function ensureInput(
  events: number,
  format: BenchInputFormat,
  log: (line: string) => void,
): Promise<string> {
  const path = inputPath(events, format);
  if (existsSync(path)) return path;
  const { mkdirSync } = await import("node:fs");
  mkdirSync(DATA_DIR, { recursive: true });
  await withFileLock(
    join(DATA_DIR, ".lock"),
    async () => {
      if (existsSync(path)) return; // made by another run while we waited
      const partial = `${path}.partial`;
      rmSync(partial, { force: true });
      log(`generating ${path} (${events} events, ${format}, seed 42)`);
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            join(projectRoot, "bin", "etl.js"),
            "generate",
            "--seed",
            "42",
            "--events",
            String(events),
            "--format",
            format,
            "--out",
            partial,
          ],
          { cwd: projectRoot, stdio: ["ignore", "ignore", "inherit"] },
        );
        child.once("error", reject);
        child.once("exit", resolve);
      });
      if (code !== 0 || !existsSync(partial)) {
        rmSync(partial, { force: true });
        throw new Error(`etl generate --events ${events} --format ${format} failed (exit ${code})`);
      }
      renameSync(partial, path);
    },
    () => log(`waiting for the data lock ${join(DATA_DIR, ".lock")}`),
  );
  return path;
}
