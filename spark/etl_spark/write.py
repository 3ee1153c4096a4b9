"""Write (docs/pipeline-spec.md, Output): the three Iceberg tables through the Iceberg Spark
runtime, in the JdbcCatalog `lakehouse` shared with the TypeScript writer. One snapshot per
table: overwrite replaces the whole table content, append adds to it."""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .session import CATALOG_NAME
from .tables import EVENTS, REJECTS, SESSIONS, Table, create_table_sql


def qualified(namespace: str, table: Table) -> str:
    return f"{CATALOG_NAME}.`{namespace}`.{table.name}"


def ensure_tables(spark: SparkSession, namespace: str) -> None:
    spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {CATALOG_NAME}.`{namespace}`")
    for table in (EVENTS, SESSIONS, REJECTS):
        spark.sql(create_table_sql(qualified(namespace, table), table))


def events_output(sessionized: DataFrame) -> DataFrame:
    return sessionized.select(
        F.col("t_event_id").alias("event_id"),
        F.col("t_user_id").alias("user_id"),
        F.timestamp_micros("micros").alias("event_time"),
        F.col("t_event_type").alias("event_type"),
        F.col("t_page_url").alias("page_url"),
        F.col("t_referrer").alias("referrer"),
        F.col("t_ip_address").alias("ip_address"),
        F.col("t_user_agent").alias("user_agent"),
        F.col("t_revenue").alias("revenue"),
        "country_code",
        "session_id",
        "event_seq",
    )


def write_table(
    spark: SparkSession,
    namespace: str,
    table: Table,
    df: DataFrame,
    mode: str,
    snapshot_properties: dict[str, str] | None = None,
) -> dict[str, object]:
    """Writes one table in one snapshot and returns its snapshot id and counts; the
    properties go into the snapshot summary (Iceberg's snapshot-property.* write option)."""
    name = qualified(namespace, table)
    writer = df.select(*table.column_names).writeTo(name)
    for key, value in (snapshot_properties or {}).items():
        writer = writer.option(f"snapshot-property.{key}", value)
    if mode == "overwrite":
        # Deletes every existing row and adds the new files in one snapshot.
        writer.overwrite(F.lit(True))
    elif mode == "append":
        writer.append()
    else:
        raise ValueError(f"mode must be overwrite or append, not {mode!r}")
    snap = spark.sql(
        f"SELECT snapshot_id, summary FROM {name}.snapshots ORDER BY committed_at DESC LIMIT 1"
    ).first()
    summary = snap["summary"] if snap else {}
    return {
        "table": table.name,
        "snapshotId": str(snap["snapshot_id"]) if snap else None,
        "addedFiles": int(summary.get("added-data-files", 0)),
        "addedRecords": int(summary.get("added-records", 0)),
    }
