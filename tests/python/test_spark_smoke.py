"""Smoke test: local Spark + Iceberg runtime + JdbcCatalog on SQLite, write and read back."""

import sqlite3

import pytest
from etl_spark.session import CATALOG_NAME, build_session


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("warehouse")
    session = build_session(warehouse, master="local[2]", app_name="smoke")
    yield session, warehouse
    session.stop()


def test_iceberg_table_round_trip(spark):
    session, warehouse = spark
    session.sql(f"CREATE NAMESPACE IF NOT EXISTS {CATALOG_NAME}.smoke")
    session.sql(
        f"CREATE TABLE {CATALOG_NAME}.smoke.t (id bigint, name string, ts timestamp) "
        "USING iceberg PARTITIONED BY (days(ts))"
    )
    session.sql(
        f"INSERT INTO {CATALOG_NAME}.smoke.t VALUES "
        "(1, 'a', TIMESTAMP '2026-01-01 10:00:00'), (2, 'b', TIMESTAMP '2026-01-02 23:59:59')"
    )
    rows = session.sql(f"SELECT id, name FROM {CATALOG_NAME}.smoke.t ORDER BY id").collect()
    assert [(r.id, r.name) for r in rows] == [(1, "a"), (2, "b")]

    files = session.sql(f"SELECT partition FROM {CATALOG_NAME}.smoke.t.files").collect()
    assert len(files) == 2, "one data file per day partition"

    # The catalog is the SQLite file that the TypeScript writer and PyIceberg share.
    with sqlite3.connect(warehouse / "catalog.db") as con:
        got = con.execute(
            "SELECT catalog_name, table_namespace, table_name, metadata_location "
            "FROM iceberg_tables"
        ).fetchall()
    assert len(got) == 1
    assert got[0][:3] == (CATALOG_NAME, "smoke", "t")
    assert got[0][3].endswith(".metadata.json")


def test_open_session_on_existing_catalog_leaves_it_writable(spark):
    """A Spark session reading an existing catalog must not hold SQLite's lock (docs/iceberg.md)."""
    from etl_spark.session import catalog_tables_ready

    session, warehouse = spark
    session.sql(f"CREATE NAMESPACE IF NOT EXISTS {CATALOG_NAME}.smoke")
    session.sql(f"CREATE TABLE IF NOT EXISTS {CATALOG_NAME}.smoke.w (id bigint) USING iceberg")
    session.stop()
    assert catalog_tables_ready(warehouse / "catalog.db")

    again = build_session(warehouse, master="local[1]", app_name="smoke-again")
    try:
        assert again.sql(f"SELECT count(*) AS n FROM {CATALOG_NAME}.smoke.w").collect()[0].n == 0
        # What the TS writer and PyIceberg do on commit: a write transaction on catalog.db.
        with sqlite3.connect(warehouse / "catalog.db", timeout=3) as con:
            con.execute("BEGIN IMMEDIATE")
            con.execute(
                "UPDATE iceberg_namespace_properties SET property_value = property_value "
                "WHERE catalog_name = ?",
                (CATALOG_NAME,),
            )
    finally:
        again.stop()
