import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { loadSettings, projectRoot } from "../config/settings.ts";
import { GeoDb } from "../geo/GeoDb.ts";
import { pinnedJars } from "./jars.ts";

const run = promisify(execFile);
const require = createRequire(import.meta.url);

export interface Check {
  name: string;
  ok: boolean;
  /** Needed by `make demo` / `make test`; optional ones only warn. */
  required: boolean;
  version?: string;
  detail?: string;
}

export interface EnvironmentReport {
  checks: Check[];
}

async function probe(
  name: string,
  required: boolean,
  fn: () => Promise<{ version: string; detail?: string }>,
  fix: string,
): Promise<Check> {
  try {
    return { name, required, ok: true, ...(await fn()) };
  } catch (err) {
    const msg = (err as Error).message.split("\n")[0];
    return { name, required, ok: false, detail: `${msg} (${fix})` };
  }
}

function packageVersion(pkg: string): string {
  return (require(`${pkg}/package.json`) as { version: string }).version;
}

export async function collectEnvironment(): Promise<EnvironmentReport> {
  const s = loadSettings();
  const py = s.python;
  const fixInstall = "run make install";
  const checks = await Promise.all([
    probe("node", true, async () => ({ version: process.versions.node }), "install Node.js 20"),
    probe(
      "duckdb",
      true,
      async () => {
        const { DuckDBInstance } = await import("@duckdb/node-api");
        const db = await DuckDBInstance.create(":memory:");
        const con = await db.connect();
        const rows = (await con.runAndReadAll("select version() as v")).getRowObjects();
        con.closeSync();
        return {
          version: String(rows[0]?.v),
          detail: `@duckdb/node-api ${packageVersion("@duckdb/node-api")}`,
        };
      },
      fixInstall,
    ),
    probe(
      "polars",
      true,
      async () => {
        const pl = (await import("nodejs-polars")).default;
        pl.DataFrame({ x: [1] });
        return { version: packageVersion("nodejs-polars") };
      },
      fixInstall,
    ),
    probe(
      "java",
      true,
      async () => {
        const { stderr } = await run("java", ["-version"]);
        return { version: /version "([^"]+)"/.exec(stderr)?.[1] ?? stderr.trim() };
      },
      "install JDK 17",
    ),
    probe(
      "python",
      true,
      async () => {
        const { stdout } = await run(py, ["--version"]);
        return { version: stdout.trim().replace("Python ", ""), detail: py };
      },
      fixInstall,
    ),
    probe(
      "spark",
      true,
      async () => {
        const { stdout } = await run(py, ["-c", "import pyspark; print(pyspark.__version__)"]);
        return { version: stdout.trim(), detail: "pyspark" };
      },
      fixInstall,
    ),
    probe(
      "pyiceberg",
      true,
      async () => {
        const { stdout } = await run(py, ["-c", "import pyiceberg; print(pyiceberg.__version__)"]);
        return { version: stdout.trim() };
      },
      fixInstall,
    ),
    ...pinnedJars(s.jarsDir).map((jar) =>
      probe(
        jar.artifact,
        true,
        async () => {
          if (!existsSync(jar.path)) throw new Error(`missing ${jar.path}`);
          return { version: jar.version, detail: jar.path };
        },
        fixInstall,
      ),
    ),
    probe(
      "jupyter+tslab",
      false,
      async () => {
        const kernel = join(projectRoot, ".tools", "jupyter", "kernels", "tslab", "kernel.json");
        if (!existsSync(kernel)) throw new Error(`tslab kernel not registered at ${kernel}`);
        return { version: packageVersion("tslab"), detail: kernel };
      },
      "run make install",
    ),
    probe(
      "quarto",
      false,
      async () => {
        const { stdout } = await run("quarto", ["--version"]);
        return { version: stdout.trim() };
      },
      "optional, for make slides: the quarto-cli package downloads its binary from outside the registries this machine reaches",
    ),
    probe(
      "geo-db",
      true,
      async () => {
        const db = GeoDb.open(s.geoDb);
        return {
          version: `built ${db.info.buildDate.slice(0, 10)}`,
          detail: `${db.info.path} (${db.info.databaseType}, ${db.info.sizeBytes} bytes)`,
        };
      },
      "pass --geo-db or set ETL_GEO_DB, or run make install",
    ),
  ]);
  return { checks };
}

export function formatEnvironment(report: EnvironmentReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  return report.checks
    .map((c) => {
      const mark = c.ok ? "ok     " : c.required ? "MISSING" : "absent ";
      const text = c.ok ? `${c.version ?? ""}${c.detail ? `  ${c.detail}` : ""}` : (c.detail ?? "");
      return `${mark} ${c.name.padEnd(width)}  ${text}`;
    })
    .join("\n");
}
