import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { Reader, type Response } from "maxmind";
import { requireFile } from "../config/settings.ts";

/** What every run records about the IP database it used (spec: Enrichment). */
export interface GeoDbInfo {
  path: string;
  databaseType: string;
  /** Build date from the .mmdb metadata, ISO 8601 UTC. */
  buildDate: string;
  sizeBytes: number;
}

/**
 * Record shapes we accept: MaxMind GeoIP2/GeoLite2 country (`country.iso_code`) and the
 * ip-location-db builds (`country_code`). Spark's lookup (spark/) reads the same two keys.
 */
interface CountryRecord {
  country?: { iso_code?: string };
  country_code?: string;
}

/**
 * A MaxMind-format country database held in memory. Lookups answer exactly what the
 * database answers: the ISO code of `country`, or null when it has none.
 */
export class GeoDb {
  private readonly reader: Reader<Response>;
  readonly info: GeoDbInfo;

  private constructor(reader: Reader<Response>, info: GeoDbInfo) {
    this.reader = reader;
    this.info = info;
  }

  static open(path: string): GeoDb {
    const full = resolve(
      requireFile(path, "IP database", "pass --geo-db PATH or set ETL_GEO_DB, or run make install"),
    );
    let reader: Reader<Response>;
    try {
      reader = new Reader<Response>(readFileSync(full));
    } catch (err) {
      throw new Error(`IP database ${full} is not a valid .mmdb file: ${(err as Error).message}`);
    }
    const meta = reader.metadata;
    return new GeoDb(reader, {
      path: full,
      databaseType: meta.databaseType,
      buildDate: meta.buildEpoch.toISOString(),
      sizeBytes: statSync(full).size,
    });
  }

  /** ISO 3166-1 alpha-2 code, or null. The address must already be valid (spec: Cleansing 7). */
  country(ip: string): string | null {
    const hit = this.reader.get(ip) as CountryRecord | null;
    if (hit === null) return null;
    return hit.country?.iso_code ?? hit.country_code ?? null;
  }
}
