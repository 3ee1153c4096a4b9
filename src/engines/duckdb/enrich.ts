import type { DuckDBConnection } from "@duckdb/node-api";
import type { GeoDb } from "../../geo/GeoDb.ts";
import { appendRows } from "./appendRows.ts";
import { loadSql } from "./loadSql.ts";

/**
 * Spec, Enrichment: looks up the country of each DISTINCT valid address once (the .mmdb
 * reader is JavaScript), loads the answers into `ip_country` and declares the `enriched`
 * view that joins them to the kept rows.
 */
export async function enrich(con: DuckDBConnection, geo: GeoDb, validIps: string[]): Promise<void> {
  await appendRows(
    con,
    "ip_country",
    validIps.map((ip) => [ip, geo.country(ip)]),
  );
  await con.run(loadSql("enrich"));
}
