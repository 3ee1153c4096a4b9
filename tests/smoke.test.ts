import { describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { defaultGeoDb } from "../src/config/settings.ts";
import { GeoDb } from "../src/geo/GeoDb.ts";

describe("toolchain smoke", () => {
  it("opens DuckDB and runs a query", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const con = await db.connect();
    const reader = await con.runAndReadAll(
      "select sum(x)::BIGINT as s, count(*) as n from range(1, 101) t(x)",
    );
    expect(reader.getRowObjects()).toEqual([{ s: 5050n, n: 100n }]);
    con.closeSync();
  });

  it("looks up 8.8.8.8 in the default IP database", () => {
    const geo = GeoDb.open(defaultGeoDb);
    expect(geo.country("8.8.8.8")).toBe("US");
    expect(geo.country("10.0.0.1")).toBeNull();
    expect(geo.info.buildDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});
