"""Cleansing (docs/pipeline-spec.md, Cleansing 1-10) as Spark SQL expressions: no Python
UDF on the hot path. The regexes and calendar arithmetic are those of spec.py (the pure
mirror of src/spec/*), so tests check both on the same vectors."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from .spec import EVENT_TIME_BODY, IPV4_BODY, IPV6_BODY, REVENUE_BODY, java_anchored
from .tables import DUPLICATE_ORDER, RAW_COLUMNS

# The cleansed columns of one row; the raw ones keep their names for the rejects table.
CLEAN = [f"t_{c}" for c in RAW_COLUMNS]


def trim_field(name: str) -> Column:
    """§C1: strip space, tab, CR, LF (SQL TRIM with a character set); empty is null."""
    return F.expr(f"nullif(trim(BOTH ' \\t\\r\\n' FROM `{name}`), '')")


def with_event_time_micros(df: DataFrame, text_col: str, out_col: str = "micros") -> DataFrame:
    """§C5: adds `out_col` = UTC microseconds (bigint) of the trimmed text in `text_col`; null
    unless it is a real instant in the grammar.

    Built as successive projections so that the regex match and each parsed part is computed
    once per row (Spark keeps a projection whose expensive outputs are used several times)."""
    keep = df.columns
    t = F.col(text_col)
    df = df.withColumn("_et", F.when(t.rlike(java_anchored(EVENT_TIME_BODY)), t))
    s = F.col("_et")

    def num(start: int, length: int) -> Column:
        # The matched text is ASCII at fixed positions up to the seconds.
        return F.substring(s, start, length).cast("bigint")

    zone = F.regexp_extract(s, r"(Z|[+-][0-9]{2}:[0-9]{2})\z", 1)
    df = df.select(
        *keep,
        num(1, 4).alias("_y"),
        num(6, 2).alias("_mo"),
        num(9, 2).alias("_d"),
        num(12, 2).alias("_h"),
        num(15, 2).alias("_mi"),
        num(18, 2).alias("_s"),
        F.rpad(F.regexp_extract(s, r"^.{19}\.([0-9]{1,6})", 1), 6, "0")
        .cast("bigint")
        .alias("_frac"),
        zone.alias("_zone"),
    )
    y, mo, d = F.col("_y"), F.col("_mo"), F.col("_d")
    h, mi, sec = F.col("_h"), F.col("_mi"), F.col("_s")
    zone = F.col("_zone")
    oh = F.substring(zone, 2, 2).cast("bigint")
    om = F.substring(zone, 5, 2).cast("bigint")
    has_offset = (zone != "") & (zone != "Z")
    sign = F.when(zone.startswith("-"), -1).otherwise(1)
    offset = F.when(has_offset, sign * (oh * 3600 + om * 60)).otherwise(0)

    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    dim = (
        F.when(mo == 2, F.when(leap, 29).otherwise(28)).when(mo.isin(4, 6, 9, 11), 30).otherwise(31)
    )
    valid = (
        mo.between(1, 12)
        & (d >= 1)
        & (d <= dim)
        & (h <= 23)
        & (mi <= 59)
        & (sec <= 59)
        & (~has_offset | ((oh <= 18) & (om <= 59)))
    )
    # H. Hinnant's days_from_civil as in src/spec/calendar.ts. Years are 0000-9999, so the
    # shifted year is >= -1, the other terms are >= 0, and these floors are exact.
    yy = y - F.when(mo <= 2, 1).otherwise(0)
    era = F.floor(yy / F.lit(400.0)).cast("bigint")
    yoe = yy - era * 400
    mp = (mo + 9) % 12
    doy = F.floor((mp * 153 + 2) / F.lit(5.0)).cast("bigint") + d - 1
    doe = yoe * 365 + F.floor(yoe / F.lit(4.0)) - F.floor(yoe / F.lit(100.0)) + doy
    days = era * 146097 + doe - 719468
    seconds = days * 86400 + h * 3600 + mi * 60 + sec - offset
    micros = F.when(valid, (seconds * 1_000_000 + F.col("_frac")).cast("bigint"))
    return df.select(*keep, micros.alias(out_col))


def clean_ip(col: Column) -> Column:
    """§C7: the trimmed text when a valid IPv4 or IPv6 address, else null."""
    ok = col.rlike(java_anchored(IPV4_BODY)) | col.rlike(java_anchored(IPV6_BODY))
    return F.when(ok, col)


def revenue(col: Column) -> Column:
    """§C8: decimal(12,2) when the text matches the grammar (exact, no rounding), else null."""
    return F.when(col.rlike(java_anchored(REVENUE_BODY)), col.try_cast("decimal(12,2)"))


def event_type(col: Column) -> Column:
    """§C6: lower-cased (full Unicode mapping); null becomes unknown."""
    return F.coalesce(F.lower(col), F.lit("unknown"))


def cleanse(raw: DataFrame) -> DataFrame:
    """Every input row, raw columns plus cleansed ones and `reject_reason` (null = kept).

    Columns: the nine raw ones, event_id ... revenue cleansed as t_*, `micros` (event time in
    UTC microseconds) and reject_reason.
    """
    t = {c: trim_field(c) for c in RAW_COLUMNS}
    df = raw.select(
        *RAW_COLUMNS,
        t["event_id"].alias("t_event_id"),
        t["user_id"].alias("t_user_id"),
        t["event_time"].alias("t_event_time"),
        # §C6: lower-cased; null becomes unknown.
        event_type(t["event_type"]).alias("t_event_type"),
        t["page_url"].alias("t_page_url"),
        t["referrer"].alias("t_referrer"),
        clean_ip(t["ip_address"]).alias("t_ip_address"),
        t["user_agent"].alias("t_user_agent"),
        revenue(t["revenue"]).alias("t_revenue"),
    )
    df = with_event_time_micros(df, "t_event_time")
    # §C2-C5: the first reason that applies.
    reason = (
        F.when(F.col("t_event_id").isNull(), "missing_event_id")
        .when(F.col("t_user_id").isNull(), "missing_user_id")
        .when(F.col("t_event_time").isNull(), "missing_event_time")
        .when(F.col("micros").isNull(), "invalid_event_time")
    )
    df = df.withColumn("reject_reason", reason)

    # §C10: among rows that passed C2-C5, one per event_id survives: earliest time, then the
    # cleansed values, then the raw ones; byte-wise text (Spark's default UTF8_BINARY order),
    # nulls first (Spark's default for ascending).
    order = [
        *("micros" if c == "event_time" else f"t_{c}" for c in DUPLICATE_ORDER),
        *RAW_COLUMNS,
    ]
    # One window over all rows (no union, so the cleansed projection is computed once): rows
    # that already have a reason sit in their own partitions and are not ranked.
    passed = F.col("reject_reason").isNull()
    w = Window.partitionBy("t_event_id", passed).orderBy(
        *(F.col(c).asc_nulls_first() for c in order)
    )
    duplicate = passed & (F.row_number().over(w) > 1)
    return df.withColumn(
        "reject_reason",
        F.when(duplicate, F.lit("duplicate_event_id")).otherwise(F.col("reject_reason")),
    )
