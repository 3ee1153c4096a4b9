import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadSettings, projectRoot } from "../config/settings.ts";

export interface PinnedJar {
  group: string;
  artifact: string;
  version: string;
  /** Where `make install` puts it. */
  path: string;
}

/** The pinned JVM artifacts, read from spark/jars.txt (the one list the Makefile uses too). */
export function pinnedJars(jarsDir = loadSettings().jarsDir): PinnedJar[] {
  const text = readFileSync(join(projectRoot, "spark", "jars.txt"), "utf8");
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const [group, artifact, version] = l.split(":");
      if (!group || !artifact || !version) throw new Error(`spark/jars.txt: bad line '${l}'`);
      return { group, artifact, version, path: join(jarsDir, `${artifact}-${version}.jar`) };
    });
}
