import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/commandList.ts";

// src/cli/commandList.ts lists the command modules statically (so the compiled CLI is one
// bundle); a file added to src/cli/commands must be listed there too, in file-name order.
describe("etl commands", () => {
  it("src/cli/commandList.ts lists every file of src/cli/commands, in file-name order", async () => {
    const dir = join(import.meta.dirname, "..", "src", "cli", "commands");
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && !/\.(test|d)\.ts$/.test(f))
      .sort();
    const modules: unknown[] = [];
    for (const file of files) modules.push(await import(pathToFileURL(join(dir, file)).href));
    expect(files.length).toBeGreaterThan(0);
    expect(COMMANDS).toEqual(modules);
    COMMANDS.forEach((mod, i) => expect(mod, files[i]).toBe(modules[i]));
  });
});
