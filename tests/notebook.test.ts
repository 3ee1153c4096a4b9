import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { notebookCostModel } from "../src/notebook/costNotebook.ts";
import { shownPath } from "../src/notebook/shownPath.ts";

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
