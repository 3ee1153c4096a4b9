import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// bin/etl.js runs dist/ (build/dist.mjs, `make install`) when it was built from src/ as it is
// now: the compiled copy and its bundled libraries must give the same runs as src/ under tsx.
const root = join(import.meta.dirname, "..");
const input = join(root, "tests", "fixtures", "golden", "input.csv");
const work = mkdtempSync(join(tmpdir(), "compiled-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const { compiledIsCurrent } = createRequire(import.meta.url)("../bin/etl.js") as {
  compiledIsCurrent: (root?: string) => boolean;
};
const distIsCurrent = (): boolean => process.env.ETL_TSX !== "1" && compiledIsCurrent();

// The staleness check on a checkout of two files, built at `built` (build/dist.mjs step 4).
describe.skipIf(process.env.ETL_TSX === "1")("bin/etl.js: is dist/ current?", () => {
  const built = new Date(Date.now() - 60_000);
  const before = new Date(built.getTime() - 60_000);
  const checkout = (): string => {
    const dir = mkdtempSync(join(work, "checkout-"));
    mkdirSync(join(dir, "src", "cli"), { recursive: true });
    mkdirSync(join(dir, "dist"));
    for (const f of ["src/cli/a.ts", "src/b.ts"]) writeFileSync(join(dir, f), "");
    for (const p of ["src/cli/a.ts", "src/b.ts", "src/cli", "src"]) {
      utimesSync(join(dir, p), before, before);
    }
    writeFileSync(join(dir, "dist", ".built"), "src\nsrc/b.ts\nsrc/cli\nsrc/cli/a.ts\n");
    utimesSync(join(dir, "dist", ".built"), built, built);
    return dir;
  };

  it("current when nothing changed since the build", () => {
    expect(compiledIsCurrent(checkout())).toBe(true);
  });

  it("stale when a file was edited, added or removed, or there is no stamp", () => {
    const edited = checkout();
    writeFileSync(join(edited, "src/cli/a.ts"), "x");
    expect(compiledIsCurrent(edited)).toBe(false);
    const added = checkout();
    writeFileSync(join(added, "src/cli/c.ts"), "");
    utimesSync(join(added, "src/cli/c.ts"), before, before);
    expect(compiledIsCurrent(added)).toBe(false);
    const removed = checkout();
    rmSync(join(removed, "src/b.ts"));
    utimesSync(join(removed, "src"), before, before);
    expect(compiledIsCurrent(removed)).toBe(false);
    const unbuilt = checkout();
    rmSync(join(unbuilt, "dist", ".built"));
    expect(compiledIsCurrent(unbuilt)).toBe(false);
  });
});

function run(engine: string, tsx: boolean): Record<string, unknown> {
  const out = execFileSync(
    process.execPath,
    [
      join(root, "bin", "etl.js"),
      "run",
      "--engine",
      engine,
      "--input",
      input,
      "--warehouse",
      join(work, tsx ? "tsx" : "dist"),
      "--threads",
      "1",
    ],
    {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, ETL_TSX: tsx ? "1" : "0" },
    },
  );
  return JSON.parse(out.trim().split("\n").pop()!) as Record<string, unknown>;
}

describe.skipIf(!distIsCurrent())("compiled CLI (dist/)", () => {
  it("V8 accepts the code caches of the CLI and the bundled packages (build/codeCache.cjs)", () => {
    const dist = join(root, "dist");
    const cli = join(dist, "cli", "main.cjs");
    const script =
      `const { default: { rejected, loadCommonJs } } = await import(${JSON.stringify(pathToFileURL(join(dist, "codeCache.cjs")).href)});\n` +
      ["@duckdb/node-api", "nodejs-polars", "maxmind"]
        .map(
          (p) =>
            `await import(${JSON.stringify(pathToFileURL(join(dist, "node_modules", p, "index.mjs")).href)});\n`,
        )
        .join("") +
      `if (typeof loadCommonJs(${JSON.stringify(cli)}, ${JSON.stringify(cli)}).runCli !== "function") throw new Error("runCli");\n` +
      "console.log(JSON.stringify([...rejected]));";
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
    });
    const rejected = JSON.parse(out) as [string, boolean | null][];
    expect(rejected).toHaveLength(4);
    for (const [file, refused] of rejected) expect(refused, file).toBe(false);
  });

  it.each(["duckdb", "polars"])("%s: same counts as the TypeScript sources", (engine) => {
    const compiled = run(engine, false);
    const source = run(engine, true);
    expect(compiled.success).toBe(true);
    for (const key of ["rows_in", "events", "sessions", "rejects", "engine_version"]) {
      expect(compiled[key]).toEqual(source[key]);
    }
  });
});
