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
