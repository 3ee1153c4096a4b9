"""Sessions (docs/pipeline-spec.md, Output: sessions): one row per session."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def sessions(events: DataFrame) -> DataFrame:
    """Aggregates sessionized events (columns as produced by sessionize) per session_id."""
    first_last = F.struct("event_seq", "t_page_url")
    # First event, in session order, whose country_code is not null (min skips nulls).
    country = F.min(
        F.when(F.col("country_code").isNotNull(), F.struct("event_seq", "country_code"))
    )
    # Grouping by user too lets Spark reuse sessionize's partitioning by user (no shuffle).
    agg = events.groupBy(F.col("t_user_id").alias("user_id"), "session_id").agg(
        F.min("micros").alias("start_micros"),
        F.max("micros").alias("end_micros"),
        F.count(F.lit(1)).cast("int").alias("event_count"),
        F.count(F.when(F.col("t_event_type") == "page_view", 1))
        .cast("int")
        .alias("page_view_count"),
        F.count(F.when(F.col("t_event_type") == "purchase", 1)).cast("int").alias("purchase_count"),
        F.sum("t_revenue").alias("revenue_sum"),
        country.alias("country"),
        F.min(first_last).alias("first"),
        F.max(first_last).alias("last"),
    )
    return agg.select(
        "session_id",
        "user_id",
        F.timestamp_micros("start_micros").alias("session_start"),
        F.timestamp_micros("end_micros").alias("session_end"),
        ((F.col("end_micros") - F.col("start_micros")) / F.lit(1e6)).alias("duration_seconds"),
        "event_count",
        "page_view_count",
        "purchase_count",
        # Sum of non-null revenue, 0.00 when none; decimal(14,2) holds it exactly.
        F.coalesce(F.col("revenue_sum"), F.lit(0)).cast("decimal(14,2)").alias("revenue_total"),
        F.col("country.country_code").alias("country_code"),
        F.col("first.t_page_url").alias("landing_page"),
        F.col("last.t_page_url").alias("exit_page"),
        (F.col("event_count") == 1).alias("is_bounce"),
    )
