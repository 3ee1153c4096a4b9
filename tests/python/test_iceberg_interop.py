"""Iceberg tables written by the TypeScript writer (src/iceberg) are read by PyIceberg and Spark
with the same rows, schema, partitions and bounds; Spark writes that TypeScript then reads."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from etl_spark.session import PROJECT_ROOT, build_session
from pyiceberg.catalog.sql import SqlCatalog

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "iceberg" / "writeFixtureTables.ts"
TABLES = ("events", "sessions", "rejects")
# The contract of src/lakehouse/tables.ts for events, as PyIceberg prints it.
EVENTS_SCHEMA = [
    (1, "event_id", "string", True),
    (2, "user_id", "string", True),
    (3, "event_time", "timestamptz", True),
    (4, "event_type", "string", True),
    (5, "page_url", "string", False),
    (6, "referrer", "string", False),
    (7, "ip_address", "string", False),
    (8, "user_agent", "string", False),
    (9, "revenue", "decimal(12, 2)", False),
    (10, "country_code", "string", False),
    (11, "session_id", "string", True),
    (12, "event_seq", "int", True),
]


def node() -> str:
    exe = shutil.which("node")
    if not exe:
        pytest.skip("node is not on PATH")
    return exe


def ts_write(warehouse: Path, *args: str) -> dict:
    """Runs the TS fixture writer: stages Parquet with field ids, then commitStagedTables."""
    out = subprocess.run(
        [node(), "--import", "tsx", str(FIXTURE), "--warehouse", str(warehouse), *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def ts_query(warehouse: Path, sql: str) -> list[dict]:
    out = subprocess.run(
        [node(), "bin/etl.js", "query", "--warehouse", str(warehouse), "--sql", sql]
        + ["--format", "json"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def canonical(value):
    """Same text forms as the fixture's expected rows (tests/fixtures/iceberg)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, Decimal | float):
        return str(value)
    return value


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("iceberg-interop")


@pytest.fixture(scope="module")
def expected(warehouse: Path) -> dict[str, list[dict]]:
    exp = warehouse / "expected.json"
    args = ["--namespace", "duckdb", "--days", "0,1,2", "--files-per-day", "2"]
    ts_write(warehouse, *args, "--rows-per-file", "7", "--expected", str(exp))
    return json.loads(exp.read_text())


# Iceberg's JdbcCatalog, started on an existing SQLite catalog, leaves a metadata ResultSet open
# in its table check and sqlite-jdbc then holds the database lock for the session's lifetime:
# every other writer (TS, PyIceberg) gets "database is locked". The tables exist already (the TS
# writer made them), so the check is skipped.
NO_INIT = {"spark.sql.catalog.lakehouse.jdbc.init-catalog-tables": "false"}


@pytest.fixture(scope="module")
def spark(warehouse: Path, expected):
    from pyspark.sql import SparkSession

    # getOrCreate would reuse another module's session and its warehouse: start our own.
    if (active := SparkSession.getActiveSession()) is not None:
        active.stop()
    session = build_session(
        warehouse, master="local[1]", app_name="iceberg-interop", extra_conf=NO_INIT
    )
    yield session
    session.stop()


def key_of(table: str) -> str:
    return "session_id" if table == "sessions" else "event_id"


def test_pyiceberg_loads_every_ts_table_with_same_rows_and_schema(warehouse: Path, expected):
    catalog = SqlCatalog(
        "lakehouse", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}"
    )
    assert sorted(t[1] for t in catalog.list_tables("duckdb")) == sorted(TABLES)
    for name in TABLES:
        table = catalog.load_table(("duckdb", name))
        assert table.format_version == 2
        fields = table.schema().fields
        assert [f.name for f in fields] == list(expected[name][0].keys())
        assert [f.field_id for f in fields] == list(range(1, len(fields) + 1))
        rows = [
            {k: canonical(v) for k, v in r.items()} for r in table.scan().to_arrow().to_pylist()
        ]
        key = key_of(name)
        assert sorted(rows, key=lambda r: r[key]) == sorted(expected[name], key=lambda r: r[key])
    events = catalog.load_table(("duckdb", "events"))
    assert [
        (f.field_id, f.name, str(f.field_type), f.required) for f in events.schema().fields
    ] == (EVENTS_SCHEMA)
    spec = events.spec()
    assert [(f.field_id, f.source_id, f.name, str(f.transform)) for f in spec.fields] == [
        (1000, 3, "event_time_day", "day")
    ]
    assert json.loads(events.properties["schema.name-mapping.default"])[2] == {
        "field-id": 3,
        "names": ["event_time"],
    }
    files = events.inspect.files().to_pylist()
    assert len(files) == 6
    assert sorted({f["partition"]["event_time_day"] for f in files}) == [
        date(2026, 1, 1),
        date(2026, 1, 2),
        date(2026, 1, 3),
    ]
    assert all(f["record_count"] == 7 for f in files)


def per_file_expectations(rows: list[dict]) -> dict[str, dict]:
    """Groups the fixture's event rows by file (event ids are '<tag>-d<day>-f<file>-<row>')."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r["event_id"].rsplit("-", 1)[0]].append(r)
    out = {}
    for prefix, rs in groups.items():
        revenue = [Decimal(r["revenue"]) for r in rs if r["revenue"] is not None]
        out[prefix] = {
            "event_id": (min(r["event_id"] for r in rs), max(r["event_id"] for r in rs)),
            "event_time": (min(r["event_time"] for r in rs), max(r["event_time"] for r in rs)),
            "revenue": (min(revenue), max(revenue)),
            "page_url_nulls": sum(r["page_url"] is None for r in rs),
            "day": rs[0]["event_time"][:10],
        }
    return out


def test_spark_reads_ts_tables_partitions_and_bounds(spark, expected):
    for name in TABLES:
        got = spark.sql(f"SELECT count(*) AS n FROM lakehouse.duckdb.{name}").collect()[0].n
        assert got == len(expected[name])
    files = spark.sql(
        "SELECT partition.event_time_day AS day, record_count, null_value_counts[5] AS url_nulls,"
        " readable_metrics.event_id.lower_bound AS id_lo,"
        " readable_metrics.event_id.upper_bound AS id_hi,"
        " readable_metrics.event_time.lower_bound AS t_lo,"
        " readable_metrics.event_time.upper_bound AS t_hi,"
        " readable_metrics.revenue.lower_bound AS r_lo,"
        " readable_metrics.revenue.upper_bound AS r_hi,"
        " readable_metrics.user_agent.upper_bound AS ua_hi"
        " FROM lakehouse.duckdb.events.files"
    ).collect()
    want = per_file_expectations(expected["events"])
    assert len(files) == len(want) == 6
    for f in files:
        w = want[f.id_lo.rsplit("-", 1)[0]]
        assert (f.id_lo, f.id_hi) == w["event_id"]
        assert (canonical(f.t_lo), canonical(f.t_hi)) == w["event_time"]
        assert (f.r_lo, f.r_hi) == w["revenue"]
        assert f.day.isoformat() == w["day"]
        assert f.url_nulls == w["page_url_nulls"]
        assert f.record_count == 7
        # string upper bounds are truncated to 16 code points with the last one incremented
        assert f.ua_hi == "Mozilla/5.0 (X12"


def scan_metrics(df) -> dict[str, int]:
    """Metrics of the Iceberg BatchScanExec of an executed DataFrame."""
    plan = df._jdf.queryExecution().executedPlan()
    stack = [plan]
    while stack:
        p = stack.pop()
        name = p.getClass().getSimpleName()
        if name == "AdaptiveSparkPlanExec":
            stack.append(p.executedPlan())
        elif name.endswith("QueryStageExec"):
            stack.append(p.plan())
        elif name == "BatchScanExec":
            metrics = p.metrics()
            keys = metrics.keys().iterator()
            out = {}
            while keys.hasNext():
                k = keys.next()
                out[k] = int(metrics.get(k).get().value())
            return out
        else:
            children = p.children()
            stack.extend(children.apply(i) for i in range(children.size()))
    raise AssertionError("no BatchScanExec in the plan")


def test_spark_partition_filter_prunes_ts_files(spark, expected):
    df = spark.sql(
        "SELECT event_id FROM lakehouse.duckdb.events"
        " WHERE event_time >= TIMESTAMP '2026-01-02 00:00:00'"
        " AND event_time < TIMESTAMP '2026-01-03 00:00:00'"
    )
    ids = sorted(r.event_id for r in df.collect())
    assert ids == sorted(
        r["event_id"] for r in expected["events"] if r["event_time"].startswith("2026-01-02")
    )
    m = scan_metrics(df)
    assert m["resultDataFiles"] == 2
    assert m["skippedDataFiles"] == 4


def test_ts_reads_spark_writes_and_appends_on_top(spark, warehouse: Path, expected):
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lakehouse.spark")
    spark.sql(
        "CREATE TABLE lakehouse.spark.events USING iceberg PARTITIONED BY (days(event_time))"
        " AS SELECT * FROM lakehouse.duckdb.events WHERE event_seq <= 3"
    )
    spark.sql(
        "INSERT OVERWRITE lakehouse.spark.events"
        " SELECT * FROM lakehouse.duckdb.events WHERE event_seq <= 2"
    )
    want = spark.sql(
        "SELECT event_id, event_time, revenue, event_seq FROM lakehouse.spark.events"
    ).collect()
    got = ts_query(
        warehouse,
        "SELECT event_id, strftime(event_time, '%Y-%m-%dT%H:%M:%S.%fZ') AS event_time,"
        " revenue::VARCHAR AS revenue, event_seq FROM spark.events ORDER BY event_id",
    )
    assert len(got) == 12
    assert got == [
        {
            "event_id": r.event_id,
            "event_time": canonical(r.event_time),
            "revenue": None if r.revenue is None else str(r.revenue),
            "event_seq": r.event_seq,
        }
        for r in sorted(want, key=lambda r: r.event_id)
    ]
    # Spark appends to a TS table, then TS appends on top, carrying Spark's manifests.
    spark.sql("INSERT INTO lakehouse.duckdb.rejects SELECT * FROM lakehouse.duckdb.rejects")
    ts_write(
        warehouse,
        "--namespace",
        "duckdb",
        "--tables",
        "rejects",
        "--mode",
        "append",
        "--rows-per-file",
        "7",
    )
    spark.sql("REFRESH TABLE lakehouse.duckdb.rejects")
    n_rejects = len(expected["rejects"])
    assert spark.sql("SELECT count(*) AS n FROM lakehouse.duckdb.rejects").collect()[0].n == (
        3 * n_rejects
    )
    assert ts_query(warehouse, "SELECT count(*)::INT AS n FROM duckdb.rejects") == [
        {"n": 3 * n_rejects}
    ]
    snaps = spark.sql(
        "SELECT operation, summary['total-records'] AS total"
        " FROM lakehouse.duckdb.rejects.snapshots ORDER BY committed_at"
    ).collect()
    assert [(s.operation, int(s.total)) for s in snaps] == [
        ("overwrite", n_rejects),
        ("append", 2 * n_rejects),
        ("append", 3 * n_rejects),
    ]


def test_pyiceberg_and_ts_writers_interleave(warehouse: Path, expected):
    """PyIceberg appends to a TS table, TS appends on top of PyIceberg's manifests, and the TS
    reader reads a table PyIceberg created."""
    catalog = SqlCatalog(
        "lakehouse", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}"
    )
    ts_write(warehouse, "--namespace", "mixed", "--tables", "events", "--days", "0")
    table = catalog.load_table(("mixed", "events"))
    table.append(table.scan().to_arrow().slice(0, 2))
    ts_write(
        warehouse, "--namespace", "mixed", "--tables", "events", "--days", "4", "--mode", "append"
    )
    table = catalog.load_table(("mixed", "events"))
    assert table.scan().to_arrow().num_rows == 12
    assert [s.summary.operation.value for s in table.snapshots()] == [
        "overwrite",
        "append",
        "append",
    ]
    assert ts_query(warehouse, "SELECT count(*)::INT AS n FROM mixed.events") == [{"n": 12}]

    catalog.create_namespace("py")
    source = catalog.load_table(("duckdb", "sessions")).scan().to_arrow()
    created = catalog.create_table(("py", "sessions"), schema=source.schema)
    created.append(source)
    got = ts_query(
        warehouse,
        "SELECT count(*)::INT AS n, sum(revenue_total)::VARCHAR AS total FROM py.sessions",
    )
    total = sum(Decimal(r["revenue_total"]) for r in expected["sessions"])
    assert got == [{"n": len(expected["sessions"]), "total": str(total)}]
