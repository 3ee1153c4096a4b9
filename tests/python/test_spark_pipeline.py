"""The Spark job end to end on the golden files (tests/fixtures/golden): CSV and Parquet
input reproduce expected/*.csv exactly when read back through the Iceberg catalog; the
tables have the schemas and partition specs of src/lakehouse/tables.ts; overwrite and
append; bad inputs are refused naming the line and change no table."""

from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
from pathlib import Path

import pytest
from etl_spark.errors import InputError
from etl_spark.main import DEFAULT_GEO_DB, run_pipeline, ship_package
from etl_spark.readback import canonical_table
from etl_spark.session import CATALOG_NAME, build_session
from etl_spark.tables import RAW_COLUMNS, TABLES

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"
# Bytes decoded as they are: read_text() would turn a CR inside a value into LF.
EXPECTED = {t: (GOLDEN / "expected" / f"{t}.csv").read_bytes().decode("utf-8") for t in TABLES}
# Rows, not lines: a quoted value may hold a line break.
EXPECTED_ROWS = {
    t: len(list(csv.reader(io.StringIO(text, newline="")))) - 1 for t, text in EXPECTED.items()
}


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("warehouse")
    session = build_session(
        warehouse,
        master="local[2]",
        app_name="pipeline-test",
        extra_conf={"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2"},
    )
    session.sparkContext.setLogLevel("ERROR")
    ship_package(session)
    yield session, warehouse
    session.stop()


def run(
    spark, input_path: Path, namespace: str, mode: str = "overwrite", spark_mode: str = "fair"
) -> dict:
    session, warehouse = spark
    return run_pipeline(
        session, input_path, warehouse, namespace, DEFAULT_GEO_DB, mode, spark_mode=spark_mode
    )


def assert_golden(session, namespace: str) -> None:
    for table in TABLES:
        got = canonical_table(session, namespace, table)
        assert got == EXPECTED[table], f"{namespace}.{table} differs from expected/{table}.csv"


@pytest.mark.parametrize("spark_mode", ["fair", "cache-stages"])
def test_golden_csv(spark, spark_mode):
    summary = run(spark, GOLDEN / "input.csv", "golden_csv", spark_mode=spark_mode)
    counts = EXPECTED_ROWS
    assert (summary["events"], summary["sessions"], summary["rejects"]) == (
        counts["events"],
        counts["sessions"],
        counts["rejects"],
    )
    assert summary["rows_in"] == counts["events"] + counts["rejects"]
    # fair: Spark fuses cleanse..sessions into the write jobs, so only ingest (its validation
    # pass) and write have times of their own; cache-stages materialises every stage.
    phases = (
        ("ingest", "write")
        if spark_mode == "fair"
        else ("ingest", "cleanse", "enrich", "sessionize", "sessions", "write")
    )
    assert set(summary["phases"]) == {f"{p}_ms" for p in phases}
    assert summary["spark_mode"] == spark_mode
    assert_golden(spark[0], "golden_csv")


def test_golden_parquet(spark):
    run(spark, GOLDEN / "input.parquet", "golden_parquet")
    assert_golden(spark[0], "golden_parquet")


def test_tables_match_declared_schemas_and_specs(spark):
    session, warehouse = spark
    for name, table in TABLES.items():
        ident = f"{CATALOG_NAME}.golden_csv.{name}"
        fields = session.table(ident).schema.fields
        assert [f.name for f in fields] == table.column_names
        assert [not f.nullable for f in fields] == [c.required for c in table.columns]
        files = session.table(f"{ident}.files").schema
        if table.partition_source:
            part = files["partition"].dataType.fieldNames()
            assert part == [f"{table.partition_source}_day"]
        else:
            assert "partition" not in files.fieldNames()
    with sqlite3.connect(warehouse / "catalog.db") as con:
        names = con.execute(
            "SELECT table_name FROM iceberg_tables WHERE table_namespace = 'golden_csv'"
        ).fetchall()
    assert sorted(n for (n,) in names) == ["events", "rejects", "sessions"]


def test_append_then_overwrite(spark):
    session, _ = spark
    run(spark, GOLDEN / "input.csv", "golden_csv", mode="append")
    n_events = session.table(f"{CATALOG_NAME}.golden_csv.events").count()
    assert n_events == 2 * EXPECTED_ROWS["events"]
    run(spark, GOLDEN / "input.csv", "golden_csv", mode="overwrite")
    assert_golden(session, "golden_csv")


def test_header_only_file_gives_empty_tables(spark):
    session, _ = spark
    summary = run(spark, GOLDEN / "empty.csv", "empty")
    assert (summary["rows_in"], summary["events"], summary["sessions"]) == (0, 0, 0)
    for name in TABLES:
        assert session.table(f"{CATALOG_NAME}.empty.{name}").count() == 0


@pytest.mark.parametrize(
    "file,message",
    [
        ("wrong_field_count.csv", r"line 6: expected 9 fields as in the header, found 8"),
        ("unbalanced_quote.csv", r"line 3: a quoted field is never closed"),
        ("quote_in_field.csv", r"line 3: a quote inside an unquoted field"),
        ("not_utf8.csv", r"line 3: bytes that are not UTF-8"),
        ("blank_line.csv", r"line 3: expected 9 fields as in the header, found 1"),
        ("missing_column.csv", r"header lacks column event_time"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(spark, file, message):
    session, _ = spark
    path = GOLDEN / "bad" / file
    with pytest.raises(InputError, match=message) as err:
        run(spark, path, "bad")
    assert str(path) in str(err.value)
    assert session.sql(f"SHOW NAMESPACES IN {CATALOG_NAME} LIKE 'bad'").count() == 0


# Line-ending and encoding corners of §I2 (BOM, CRLF, CRLF and a lone CR inside values, a
# record spanning lines), judged by the reference pipeline (src/reference) on the same file.
ADVERSARIAL_ROWS = [
    ",".join(RAW_COLUMNS),
    "e1,u1,2026-01-01T10:00:00Z,click,/a,,8.8.8.8,UA,1.5",
    'e2,u1,2026-01-01T10:10:00Z,Click,"/b\r\nx",,1.1.1.1,"U,A",',
    'e3,u1,2026-01-01 10:20:00+01:00,PURCHASE,/c\rd,," 8.8.4.4 ",UA,  -0.5 ',
    "e3,u1,2026-01-01T09:20:00Z,purchase,/c,,2001:4860:4860::8888,UA,2",
    ' e4 ,u2,2026-01-01T10:00:00.5Z,,,,,,""',
    "e5,u2,,x,,,,,",
    "e6,u2,2026-13-01T00:00:00Z,x,,,,,",
    'e7,u3,2026-01-01T10:00:00Z,x,"",,::1,,12.345',
    'e8,u3,2026-01-01T10:30:00Z,page_view,/p,,10.0.0.1,,"7"',
]


def test_crlf_bom_and_lone_cr_match_the_reference(spark, tmp_path):
    (tmp_path / "input.csv").write_bytes(
        ("\ufeff" + "\r\n".join(ADVERSARIAL_ROWS) + "\r\n").encode("utf-8")
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [
            "node",
            str(root / "node_modules" / "tsx" / "dist" / "cli.mjs"),
            str(root / "src" / "reference" / "goldenMain.ts"),
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        cwd=root,
    )
    run(spark, tmp_path / "input.csv", "adversarial")
    for table in TABLES:
        expected = (tmp_path / "expected" / f"{table}.csv").read_bytes().decode("utf-8")
        assert canonical_table(spark[0], "adversarial", table) == expected, table
