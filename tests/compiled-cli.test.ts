import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// bin/etl.js runs dist/ (build/dist.mjs, `make install`) when it is newer than src/: the
// compiled copy and its bundled libraries must give the same runs as src/ under tsx.
const root = join(import.meta.dirname, "..");
const input = join(root, "tests", "fixtures", "golden", "input.csv");
const work = mkdtempSync(join(tmpdir(), "compiled-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function distIsCurrent(): boolean {
  let built: number;
  try {
    built = statSync(join(root, "dist", ".built")).mtimeMs;
  } catch {
    return false;
  }
  return readdirSync(join(root, "src"), { recursive: true, withFileTypes: true }).every(
    (e) => !e.isFile() || statSync(join(e.parentPath, e.name)).mtimeMs <= built,
  );
}

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
  it("V8 accepts the code caches of the bundled packages (build/codeCache.mjs)", () => {
    const dist = join(root, "dist");
    const script =
      `const { rejected } = await import(${JSON.stringify(pathToFileURL(join(dist, "codeCache.mjs")).href)});\n` +
      ["@duckdb/node-api", "nodejs-polars", "maxmind"]
        .map(
          (p) =>
            `await import(${JSON.stringify(pathToFileURL(join(dist, "node_modules", p, "index.mjs")).href)});\n`,
        )
        .join("") +
      "console.log(JSON.stringify([...rejected]));";
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
    });
    const rejected = JSON.parse(out) as [string, boolean | null][];
    expect(rejected).toHaveLength(3);
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
