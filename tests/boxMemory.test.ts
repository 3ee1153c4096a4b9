import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultMemoryLimit } from "../src/engines/duckdb/defaultMemoryLimit.ts";
import { boxMemory } from "../src/profile/boxMemory.ts";

function fakeCgroups(files: Record<string, string>, procCgroup: string) {
  const root = mkdtempSync(join(tmpdir(), "cgroup-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  writeFileSync(join(root, "self-cgroup"), procCgroup);
  return { root, proc: join(root, "self-cgroup") };
}

describe("boxMemory", () => {
  it("takes the smallest v1 limit on the way to the root", () => {
    const { root, proc } = fakeCgroups(
      {
        "memory/memory.limit_in_bytes": "9223372036854771712\n",
        "memory/outer/memory.limit_in_bytes": "4294967296\n",
        "memory/outer/box/memory.limit_in_bytes": "9223372036854771712\n",
      },
      "5:cpu:/\n4:memory:/outer/box\n0::/\n",
    );
    const box = boxMemory(root, proc);
    expect(box.bytes).toBe(Math.min(4294967296, totalmem()));
  });

  it("reads a v2 memory.max and ignores 'max'", () => {
    const { root, proc } = fakeCgroups(
      { "box/memory.max": "2147483648\n", "memory.max": "max\n" },
      "0::/box\n",
    );
    expect(boxMemory(root, proc)).toEqual({
      bytes: Math.min(2147483648, totalmem()),
      source: 2147483648 < totalmem() ? join(root, "box/memory.max") : "machine",
    });
  });

  it("falls back to the machine without cgroup files", () => {
    expect(boxMemory("/nonexistent", "/nonexistent/cgroup")).toEqual({
      bytes: totalmem(),
      source: "machine",
    });
  });
});

describe("defaultMemoryLimit", () => {
  it("is half the box, at least 256 MiB", () => {
    expect(defaultMemoryLimit(2 * 1024 ** 3)).toBe("1024MiB");
    expect(defaultMemoryLimit(24 * 1024 ** 3)).toBe("12288MiB");
    expect(defaultMemoryLimit(100 * 1024 ** 2)).toBe("256MiB");
  });
});
