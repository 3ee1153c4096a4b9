import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Repository root: the nearest folder above this file holding package.json, so commands
 * work from any working directory and from the compiled copy under dist/ (bin/etl.js).
 */
export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return resolve(from, "..", "..");
  }
}

/** Typed settings read once from the environment; every CLI flag falls back to these. */
export interface Settings {
  /** Default IP database (.mmdb); ETL_GEO_DB overrides the one installed from npm. */
  geoDb: string;
  /** Default warehouse folder holding catalog.db and table data. */
  warehouse: string;
  /** Folder where benchmark and run results land as tidy rows. */
  resultsDir: string;
  /** Python interpreter of the uv environment (pyspark, pyiceberg). */
  python: string;
  /** Folder of the pinned JVM jars fetched by `make install`. */
  jarsDir: string;
  /**
   * Crash test only (ETL_PAUSE_AT): a named point of the commit where `etl run` stops and
   * waits to be killed (docs/hardening.md, "Kill during commit"); null in normal runs.
   */
  pauseAt: string | null;
}

export const defaultGeoDb = join(
  projectRoot,
  "node_modules",
  "@ip-location-db",
  "geo-whois-asn-country-mmdb",
  "geo-whois-asn-country.mmdb",
);

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const root = projectRoot;
  return {
    geoDb: env.ETL_GEO_DB ?? defaultGeoDb,
    warehouse: env.ETL_WAREHOUSE ?? join(root, "warehouse"),
    resultsDir: env.ETL_RESULTS_DIR ?? join(root, "results"),
    python: env.ETL_PYTHON ?? join(root, ".venv", "bin", "python"),
    jarsDir: env.ETL_JARS_DIR ?? join(root, ".tools", "jars"),
    pauseAt: env.ETL_PAUSE_AT || null,
  };
}

/** Throws an error that names the setting and how to fix it when a file is missing. */
export function requireFile(path: string, what: string, fix: string): string {
  if (!existsSync(path)) throw new Error(`${what} not found: ${path} (${fix})`);
  return path;
}
