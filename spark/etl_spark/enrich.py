"""Enrichment (docs/pipeline-spec.md, Enrichment): country_code of ip_address from a
MaxMind-format database, looked up once per DISTINCT valid address on the executors
(mapPartitions over the distinct set), then broadcast back to the events."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from .errors import InputError


def geo_db_info(path: Path) -> dict[str, object]:
    """What every run records about the database (same fields as src/geo/GeoDb.ts)."""
    import maxminddb

    if not path.is_file():
        raise InputError(f"IP database {path} not found: pass --geo-db PATH or run make install")
    try:
        with maxminddb.open_database(str(path)) as reader:
            meta = reader.metadata()
    except Exception as err:  # noqa: BLE001 - any reader failure means "not an mmdb"
        raise InputError(f"IP database {path} is not a valid .mmdb file: {err}") from None
    built = dt.datetime.fromtimestamp(meta.build_epoch, tz=dt.UTC)
    return {
        "path": str(path.resolve()),
        "databaseType": meta.database_type,
        # Same text as JavaScript's Date.toISOString().
        "buildDate": built.strftime("%Y-%m-%dT%H:%M:%S.") + f"{built.microsecond // 1000:03d}Z",
        "sizeBytes": os.path.getsize(path),
    }


def country_of(record: object) -> str | None:
    """GeoLite2-style `country.iso_code` or ip-location-db `country_code`, as GeoDb.ts reads."""
    if not isinstance(record, dict):
        return None
    country = record.get("country")
    if isinstance(country, dict) and isinstance(country.get("iso_code"), str):
        return country["iso_code"]
    code = record.get("country_code")
    return code if isinstance(code, str) else None


def _lookup(reader, ip: str) -> str | None:
    try:
        return country_of(reader.get(ip))
    except ValueError:  # e.g. an IPv6 address in an IPv4-only database: no country
        return None


def _lookup_partition(db_path: str):
    def lookup(rows: Iterator) -> Iterator[tuple[str, str | None]]:
        import maxminddb

        with maxminddb.open_database(db_path, maxminddb.MODE_MMAP_EXT) as reader:
            for row in rows:
                yield row[0], _lookup(reader, row[0])

    return lookup


def enrich(events: DataFrame, geo_db: Path) -> DataFrame:
    """Adds country_code; null where the address is null or the database has no country."""
    distinct = events.select("t_ip_address").where(F.col("t_ip_address").isNotNull()).distinct()
    # One Python task per partition of the distinct set (no pandas/Arrow UDF needed); the
    # result is small (one row per address) and joins back as a broadcast.
    pairs = distinct.rdd.mapPartitions(_lookup_partition(str(geo_db.resolve())))
    countries = events.sparkSession.createDataFrame(
        pairs, "t_ip_address string, country_code string"
    )
    return events.join(F.broadcast(countries), on="t_ip_address", how="left")
