"""Reads the Iceberg tables back through the catalog as canonical CSV (tests, comparisons)."""

from __future__ import annotations

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from .canonical import to_canonical_csv
from .tables import TABLES
from .write import qualified


def table_rows(spark: SparkSession, namespace: str, table_name: str) -> list[dict]:
    """Rows as Python values canonical.py accepts: timestamps as int micros (PySpark would
    turn them into naive local datetimes), decimals as Decimal."""
    table = TABLES[table_name]
    cols = [
        F.unix_micros(c.name).alias(c.name) if c.type == "timestamptz" else F.col(c.name)
        for c in table.columns
    ]
    df = spark.table(qualified(namespace, table)).select(*cols)
    return [r.asDict() for r in df.collect()]


def canonical_table(spark: SparkSession, namespace: str, table_name: str) -> str:
    return to_canonical_csv(TABLES[table_name], table_rows(spark, namespace, table_name))
