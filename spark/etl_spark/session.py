"""SparkSession factory: pinned local jars, Iceberg SQL catalog on SQLite, no downloads."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CATALOG_NAME = "lakehouse"
ICEBERG_EXTENSIONS = "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions"


def pinned_jars(jars_dir: Path | None = None) -> list[Path]:
    """The jars listed in spark/jars.txt, where `make install` put them."""
    jars_dir = jars_dir or Path(os.environ.get("ETL_JARS_DIR", PROJECT_ROOT / ".tools" / "jars"))
    jars = []
    for line in (PROJECT_ROOT / "spark" / "jars.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        _group, artifact, version = line.split(":")
        jar = jars_dir / f"{artifact}-{version}.jar"
        if not jar.exists():
            raise FileNotFoundError(f"missing jar {jar}: run `make install`")
        jars.append(jar)
    return jars


def catalog_conf(warehouse: Path) -> dict[str, str]:
    """Iceberg JdbcCatalog on <warehouse>/catalog.db, shared with the TS writer and PyIceberg."""
    warehouse = warehouse.resolve()
    prefix = f"spark.sql.catalog.{CATALOG_NAME}"
    return {
        "spark.sql.extensions": ICEBERG_EXTENSIONS,
        prefix: "org.apache.iceberg.spark.SparkCatalog",
        f"{prefix}.type": "jdbc",
        f"{prefix}.uri": f"jdbc:sqlite:{warehouse / 'catalog.db'}",
        f"{prefix}.warehouse": f"file://{warehouse}",
        # Same schema version as PyIceberg's SqlCatalog (it has the iceberg_type column).
        f"{prefix}.jdbc.schema-version": "V1",
        # Iceberg's JdbcCatalog start-up check leaves a metadata ResultSet open on SQLite, and
        # sqlite-jdbc then holds the database lock for the session's lifetime: the TS writer
        # and PyIceberg get "database is locked" (docs/iceberg.md). So the check runs only
        # when the catalog tables are still to be made. Always explicit, because a value from
        # an earlier session in the same JVM would otherwise leak into this one.
        f"{prefix}.jdbc.init-catalog-tables": (
            "false" if catalog_tables_ready(warehouse / "catalog.db") else "true"
        ),
    }


def catalog_tables_ready(db: Path) -> bool:
    """True when `db` already has both catalog tables in the V1 shape (with iceberg_type)."""
    if not db.exists():
        return False
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        names = {
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
                "('iceberg_tables', 'iceberg_namespace_properties')"
            )
        }
        if len(names) < 2:
            return False
        cols = {r[1] for r in con.execute("PRAGMA table_info(iceberg_tables)")}
    return "iceberg_type" in cols


def build_session(
    warehouse: Path | None,
    master: str | None = "local[*]",
    app_name: str = "etl-spark",
    extra_conf: dict[str, str] | None = None,
):
    """A SparkSession that uses only the pinned local jars (spark.jars, never packages).

    `warehouse` None leaves the catalog to be configured later with `spark.conf.set` (catalogs
    are loaded on first use); `master` None keeps spark-submit's --master (its default is local[*]).
    """
    from pyspark.sql import SparkSession

    # PySpark starts its Python workers (the IP lookup needs maxminddb) with $PYSPARK_PYTHON,
    # else a bare `python3`: make it this environment's interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    builder = (
        builder.config("spark.jars", ",".join(str(j) for j in pinned_jars()))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.pyspark.python", os.environ["PYSPARK_PYTHON"])
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
    )
    conf = (
        catalog_conf(warehouse)
        if warehouse is not None
        else {"spark.sql.extensions": ICEBERG_EXTENSIONS}
    )
    for key, value in {**conf, **(extra_conf or {})}.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
