import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// Start-up of the compiled CLI (docs/engines.md, "Fourth pass"): what a whole `etl run` loads
// through build/codeCache.cjs must keep V8's code caches, and bench/startupHook.cjs must see
// every mark of the start-up.
const root = join(import.meta.dirname, "..");
const input = join(root, "tests", "fixtures", "golden", "input.csv");
const work = mkdtempSync(join(tmpdir(), "compiled-cli-startup-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const { compiledIsCurrent } = createRequire(import.meta.url)("../bin/etl.js") as {
  compiledIsCurrent: () => boolean;
};

function etlRun(engine: string, preload: string, env: Record<string, string>): void {
  execFileSync(
    process.execPath,
    [
      "--require",
      preload,
      join(root, "bin", "etl.js"),
      "run",
      "--engine",
      engine,
      "--input",
      input,
      "--warehouse",
      join(work, `wh-${engine}-${Object.keys(env).length}`),
      "--threads",
      "1",
    ],
    { cwd: root, stdio: "ignore", env: { ...process.env, ETL_TSX: "0", ...env } },
  );
}

describe.skipIf(process.env.ETL_TSX === "1" || !compiledIsCurrent())(
  "compiled CLI start-up",
  () => {
    // A V8 flag changed at run time (the Polars out-of-core path exposes gc()) makes V8 refuse
    // every code cache loaded after it: it used to happen when the Polars stages loaded, so the
    // maxmind bundle, loaded at the start of the run, never used its cache.
    it.each(["duckdb", "polars"])(
      "%s: every bundle loaded in a run keeps its code cache",
      (engine) => {
        const preload = join(work, "rejected.cjs");
        const out = join(work, `rejected-${engine}.json`);
        writeFileSync(
          preload,
          `"use strict";\n` +
            `process.on("exit", () => {\n` +
            `  const { rejected } = require(${JSON.stringify(join(root, "dist", "codeCache.cjs"))});\n` +
            `  require("node:fs").writeFileSync(process.env.REJECTED_OUT, JSON.stringify([...rejected]));\n` +
            `});\n`,
        );
        etlRun(engine, preload, { REJECTED_OUT: out });
        const rejected = JSON.parse(readFileSync(out, "utf8")) as [string, boolean | null][];
        const bundles = rejected.map(([file]) => file.split(/[\\/]/).slice(-2).join("/"));
        expect(bundles).toEqual(
          expect.arrayContaining([
            "cli/main.cjs",
            `${engine === "duckdb" ? "node-api" : "nodejs-polars"}/bundle.cjs`,
            "maxmind/bundle.cjs",
          ]),
        );
        for (const [file, refused] of rejected) expect(refused, file).toBe(false);
      },
    );

    it("bench/startupHook.cjs records each mark of the start-up, in order", () => {
      const out = join(work, "marks.txt");
      writeFileSync(out, "");
      etlRun("duckdb", join(root, "bench", "startupHook.cjs"), {
        ETL_STARTUP_HOOK_OUT: out,
        ETL_STARTUP_HOOK_EXIT: "1",
      });
      const lines = readFileSync(out, "utf8").trim().split("\n");
      const marks = lines.map((l) => l.split("\t")[0].split(" ")[0]);
      expect(marks).toEqual([
        "boot",
        "cli-compiled",
        "cli-ran",
        "loading-engine",
        "engine-compiled",
        "addon-loaded",
        "engine-ran",
        "open-returned",
        "ready",
      ]);
      const cpu = lines.map((l) => Number(l.split("\t")[1]));
      for (let i = 1; i < cpu.length; i++) expect(cpu[i]).toBeGreaterThanOrEqual(cpu[i - 1]);
      // The ready line carries the run's startup_ms (rounded).
      expect(Number(lines.at(-1)!.split("\t")[0].split(" ")[1])).toBeGreaterThan(0);
    });
  },
);
