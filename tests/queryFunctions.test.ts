import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { defineQueryFunctions } from "../src/analytics/runNamedQuery.ts";

// DuckDB's utc_date / utc_hour (src/analytics/functions/duckdb.sql) skip ICU; they must give
// what DuckDB's own casts give in a UTC session, which is what Spark's definitions are.
describe("named queries' helper functions on DuckDB", () => {
  it("utc_date and utc_hour equal CAST(ts AS DATE) and EXTRACT(HOUR FROM ts) in UTC", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const con = await instance.connect();
    try {
      await con.run("SET TimeZone = 'UTC'");
      await defineQueryFunctions(con);
      const values = [
        "2026-01-01 00:00:00+00",
        "2026-01-01 23:59:59.999999+00",
        "2026-01-02 00:00:00.000001+00",
        "2026-03-29 01:30:00+02",
        "2024-02-29 12:00:00-11",
        "1969-12-31 23:59:59.999999+00",
        "1900-06-15 13:45:00+00",
        "2262-04-11 23:47:16+00",
      ];
      const rows = (
        await con.runAndReadAll(`
          SELECT CAST(ts AS VARCHAR) AS ts,
                 CAST(utc_date(ts) AS VARCHAR) AS utc_date, CAST(CAST(ts AS DATE) AS VARCHAR) AS cast_date,
                 utc_hour(ts) AS utc_hour, EXTRACT(HOUR FROM ts) AS extract_hour
          FROM (SELECT CAST(v AS TIMESTAMPTZ) AS ts FROM unnest([${values.map((v) => `'${v}'`).join(", ")}, NULL]) AS t(v))`)
      ).getRowObjectsJson();
      expect(rows).toHaveLength(values.length + 1);
      for (const r of rows) {
        expect(r.utc_date, String(r.ts)).toBe(r.cast_date);
        expect(r.utc_hour, String(r.ts)).toBe(r.extract_hour);
      }
      // The instants were read with their offsets: 01:30+02 is 23:30 UTC the day before.
      expect(rows.find((r) => r.ts === "2026-03-28 23:30:00+00")?.utc_date).toBe("2026-03-28");
      expect(rows.at(-1)).toMatchObject({ utc_date: null, utc_hour: null });
    } finally {
      con.closeSync();
      instance.closeSync();
    }
  });
});
