import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../config/settings.ts";

/** Where pyspark's bundled Spark lives in the uv environment (`make install`). */
export interface SparkInstall {
  /** SPARK_HOME: the pyspark package folder (bin/, jars/, sbin/ as pip ships them). */
  home: string;
  sparkSubmit: string;
  sparkClass: string;
  python: string;
  version: string;
  /** The job's entry point. */
  mainPy: string;
}

/** Finds pyspark in `.venv`; the error says what to run when it is missing. */
export function findSparkInstall(root = projectRoot): SparkInstall {
  const lib = join(root, ".venv", "lib");
  const pyDir = existsSync(lib) ? readdirSync(lib).find((d) => d.startsWith("python3")) : undefined;
  const home = pyDir ? join(lib, pyDir, "site-packages", "pyspark") : "";
  const sparkSubmit = join(home, "bin", "spark-submit");
  if (!pyDir || !existsSync(sparkSubmit)) {
    throw new Error(`pyspark not found under ${lib} (run make install: uv sync installs pyspark)`);
  }
  const versionText = readFileSync(join(home, "version.py"), "utf8");
  const version = /__version__[^"']*["']([^"']+)["']/.exec(versionText)?.[1] ?? "unknown";
  return {
    home,
    sparkSubmit,
    sparkClass: join(home, "bin", "spark-class"),
    python: join(root, ".venv", "bin", "python"),
    version,
    mainPy: join(root, "spark", "etl_spark", "main.py"),
  };
}

/** Environment for every Spark process we start: our SPARK_HOME and Python, loopback only. */
export function sparkEnv(install: SparkInstall, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SPARK_HOME: install.home,
    PYSPARK_PYTHON: install.python,
    PYSPARK_DRIVER_PYTHON: install.python,
    SPARK_LOCAL_IP: "127.0.0.1",
    ...extra,
  };
}
