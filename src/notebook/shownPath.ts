import { isAbsolute, relative, sep } from "node:path";
import { projectRoot } from "../config/settings.ts";

/**
 * A path as the notebooks print it: relative to the repository when it lies inside it, so a
 * saved output names no folder of the machine it ran on ("scratch/notebooks/100000", not the
 * absolute path of the checkout). Paths outside the repository are returned unchanged.
 */
export function shownPath(path: string, root: string = projectRoot): string {
  const rel = relative(root, path);
  if (rel === "") return ".";
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return path;
  return rel;
}

/**
 * Text (an error message from a benchmark row, say) with every absolute path shortened: paths
 * inside the repository become relative to it, any other path keeps only its last two parts
 * ("…/.duckdb-tmp/duckdb_temp_storage_DEFAULT-4.tmp"). Rows written on another checkout or
 * machine then print no folder of it in a saved notebook output.
 */
export function withoutMachinePaths(text: string, root: string = projectRoot): string {
  return text.replace(/(?<![\w.~:/-])\/(?:[\w.@+=-]+\/)+[\w.@+=-]*/g, (path) => {
    const shown = shownPath(path, root);
    if (shown !== path) return shown;
    const parts = path.split("/").filter(Boolean);
    return parts.length <= 2 ? path : `…/${parts.slice(-2).join("/")}`;
  });
}
