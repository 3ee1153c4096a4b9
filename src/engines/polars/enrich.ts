import pl from "nodejs-polars";
import type { GeoDb } from "../../geo/GeoDb.ts";

/**
 * docs/pipeline-spec.md §E1: country_code of ip_address, exactly as the .mmdb
 * database answers. The database is asked once per DISTINCT valid address (§C7
 * already nulled the invalid ones) and the answers are joined back, so the JS lookup loop
 * runs over a few thousand addresses, not over every event.
 */
export async function enrich(valid: pl.DataFrame, geo: GeoDb): Promise<pl.DataFrame> {
  const ips = valid
    .lazy()
    .select(pl.col("ip_address"))
    .filter(pl.col("ip_address").isNotNull())
    .unique();
  const addresses = (await ips.collect()).getColumn("ip_address").toArray() as string[];
  const countries = addresses.map((ip) => geo.country(ip));
  const lookup = pl.DataFrame({
    ip_address: pl.Series("ip_address", addresses, pl.Utf8),
    country_code: pl.Series("country_code", countries, pl.Utf8),
  });
  return valid.join(lookup, { on: "ip_address", how: "left" });
}
