import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * For the pandoc fallback: expands the two Quarto shortcodes the sources use,
 * `{{< var key >}}` (from _variables.yml) and `{{< include file >}}`, and turns Quarto's
 * ```{mermaid} fence into pandoc's ```{.mermaid}, which mermaid.lua then replaces.
 */
export function expandShortcodes(
  text: string,
  values: Record<string, string>,
  baseDir: string,
  depth = 0,
): string {
  if (depth > 5) throw new Error(`${baseDir}: includes nested more than 5 deep`);
  return text
    .replace(/\{\{<\s*include\s+(\S+)\s*>\}\}/g, (_, file: string) => {
      const path = join(baseDir, file);
      let inner: string;
      try {
        inner = readFileSync(path, "utf8");
      } catch {
        throw new Error(`include ${file}: ${path} does not exist (was the pre-render step run?)`);
      }
      return expandShortcodes(inner, values, dirname(path), depth + 1);
    })
    .replace(/\{\{<\s*var\s+([A-Za-z0-9_]+)\s*>\}\}/g, (_, key: string) => {
      const v = values[key];
      if (v === undefined) throw new Error(`{{< var ${key} >}}: no such value in _variables.yml`);
      return v;
    })
    .replace(/^```\{mermaid\}\s*$/gm, "```{.mermaid}");
}
