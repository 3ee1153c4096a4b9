import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { notebookCostModel } from "../src/notebook/costNotebook.ts";
import { shownPath, withoutMachinePaths } from "../src/notebook/shownPath.ts";

describe("notebook helpers", () => {
  it("shownPath prints paths inside the repository relative to it, others unchanged", () => {
    expect(shownPath("/r/repo/scratch/notebooks/100", "/r/repo")).toBe("scratch/notebooks/100");
    expect(shownPath("/r/repo", "/r/repo")).toBe(".");
    expect(shownPath("/r/repo-other/x", "/r/repo")).toBe("/r/repo-other/x");
    expect(shownPath("/tmp/work", "/r/repo")).toBe("/tmp/work");
  });

  it("notebookCostModel names a missing COST_RESULTS path instead of modelling no rows", () => {
    const missing = join("results", "no-such-folder");
    expect(() => notebookCostModel({ COST_RESULTS: missing })).toThrow(
      /COST_RESULTS=results\/no-such-folder: no such file or folder/,
    );
  });
});

describe("withoutMachinePaths", () => {
  it("shortens absolute paths in text: repository ones to relative, others to their last two parts", () => {
    const msg =
      'IO Error: Could not write file "/w/bench/scratch/r1/warehouse/.duckdb-tmp/t-4.tmp": No space left on device';
    expect(withoutMachinePaths(msg, "/w/repo")).toBe(
      'IO Error: Could not write file "…/.duckdb-tmp/t-4.tmp": No space left on device',
    );
    expect(withoutMachinePaths("read /w/repo/data/generated/x.csv line 3", "/w/repo")).toBe(
      "read data/generated/x.csv line 3",
    );
    expect(withoutMachinePaths("ratio 1/2 and s3://b/k/x and ./a/b", "/w/repo")).toBe(
      "ratio 1/2 and s3://b/k/x and ./a/b",
    );
  });
});
