import pl from "nodejs-polars";
import type { GeoDb } from "../../geo/GeoDb.ts";

/**
 * docs/pipeline-spec.md §E1: country_code of ip_address, exactly as the .mmdb
 * database answers. The database is asked once per DISTINCT valid address (§C7
 * already nulled the invalid ones) and the answers are mapped back, so the JS lookup loop
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
  // A value mapping, not a join: only the new column is built, the frame is not gathered.
  const country =
    addresses.length === 0
      ? pl.lit(null).cast(pl.Utf8)
      : pl
          .col("ip_address")
          .replaceStrict(addresses, countries as string[], pl.lit(null).cast(pl.Utf8), pl.Utf8);
  return valid.withColumns(country.alias("country_code"));
}
