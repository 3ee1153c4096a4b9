"""Reads the Iceberg tables back through the catalog as canonical CSV (tests, comparisons)."""

from __future__ import annotations

from pathlib import Path

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from etl_spark.canonical import to_canonical_csv
from etl_spark.session import CATALOG_NAME
from etl_spark.tables import TABLES
from etl_spark.write import qualified


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


def canonical_from_pyiceberg(warehouse: Path, namespace: str) -> dict[str, str | None]:
    """Canonical text of each table as PyIceberg reads it (an independent reader, no JVM);
    None for a table that does not exist."""
    from pyiceberg.catalog.sql import SqlCatalog
    from pyiceberg.exceptions import NoSuchTableError

    warehouse = warehouse.resolve()
    catalog = SqlCatalog(
        CATALOG_NAME,
        uri=f"sqlite:///{warehouse / 'catalog.db'}",
        warehouse=f"file://{warehouse}",
    )
    out: dict[str, str | None] = {}
    for name, table in TABLES.items():
        try:
            arrow = catalog.load_table((namespace, name)).scan().to_arrow()
        except NoSuchTableError:
            out[name] = None
            continue
        rows = arrow.select(table.column_names).to_pylist()
        out[name] = to_canonical_csv(table, rows)
    return out


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description="canonical CSV of the three tables (PyIceberg)")
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--namespace", required=True)
    args = parser.parse_args()
    print(json.dumps(canonical_from_pyiceberg(args.warehouse, args.namespace)))
