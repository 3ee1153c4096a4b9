import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { killDuringCommit } from "./crash/killDuringCommit.ts";

/**
 * CI-sized kill-during-commit test: four points (mid-move, some tables staged, just before
 * and just after the one catalog transaction) on the golden input over a tiny earlier run.
 * `make kill-test` runs every point of a 200k-event commit (docs/hardening.md).
 */
const work = mkdtempSync(join(tmpdir(), "etl-kill-ci-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it("a run killed during its commit leaves all three tables from one run, and no orphan after the next run", async () => {
  const earlier = join(work, "earlier.csv");
  writeFileSync(
    earlier,
    "event_id,user_id,event_time,event_type,page_url,referrer,ip_address,user_agent,revenue\n" +
      "x1,u9,2026-01-03T10:00:00Z,page_view,/a,,8.8.8.8,UA,\n",
  );
  const results = await killDuringCommit({
    engine: "duckdb",
    earlierInput: earlier,
    newInput: join(import.meta.dirname, "fixtures", "golden", "input.csv"),
    points: ["moved-first:events", "staged:sessions", "swap", "swapped"],
  });
  expect(
    results.map((r) => [r.point, r.reached, r.after, r.nextRunOk, r.orphans, r.stagingLeft]),
  ).toEqual([
    ["moved-first:events", true, "earlier", true, 0, false],
    ["staged:sessions", true, "earlier", true, 0, false],
    ["swap", true, "earlier", true, 0, false],
    ["swapped", true, "new", true, 0, false],
  ]);
}, 600_000);
