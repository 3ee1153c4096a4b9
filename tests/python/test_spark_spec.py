"""The Python mirror of src/spec/* (etl_spark.spec) and the Spark expressions of
etl_spark.cleanse / sessionize, both on the language-neutral vectors
tests/fixtures/vectors/*.json that the TypeScript helpers are tested on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from etl_spark import spec

VECTORS = Path(__file__).resolve().parents[1] / "fixtures" / "vectors"


def cases(name: str) -> list[dict]:
    return json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))


def ids(name: str) -> list[str]:
    return [f"{i}:{c['why']}" for i, c in enumerate(cases(name))]


def revenue_text(text: str | None) -> str | None:
    cents = spec.parse_revenue_cents(text)
    return None if cents is None else spec.format_cents(cents)


def event_time_text(text: str | None) -> str | None:
    micros = spec.parse_event_time(text)
    return None if micros is None else str(micros)


def event_type(text: str | None) -> str:
    return "unknown" if text is None else text.lower()


PY_FUNCS = {
    "trim": spec.trim_field,
    "event_time": event_time_text,
    "ip_address": spec.is_valid_ip,
    "revenue": revenue_text,
    "event_type": event_type,
}


@pytest.mark.parametrize(
    "name,case",
    [(n, c) for n in PY_FUNCS for c in cases(n)],
    ids=[f"{n}-{i}" for n in PY_FUNCS for i in ids(n)],
)
def test_python_helpers_on_vectors(name, case):
    assert PY_FUNCS[name](case["input"]) == case["expected"], case["why"]


@pytest.mark.parametrize("case", cases("session_id"), ids=ids("session_id"))
def test_python_session_id_on_vectors(case):
    inp = case["input"]
    assert spec.session_id(inp["user_id"], int(inp["session_start_micros"])) == case["expected"]


def test_format_micros_round_trips_event_time_vectors():
    for case in cases("event_time"):
        if case["expected"] is not None:
            text = spec.format_micros(int(case["expected"]))
            assert text.startswith(case["expected_utc"]), case["why"]
            assert spec.parse_event_time(text) == int(case["expected"])


# --- the same vectors through the Spark SQL expressions used by the job -------------------


@pytest.fixture(scope="module")
def spark():
    from etl_spark.session import build_session

    session = build_session(None, master="local[1]", app_name="spec-vectors")
    yield session
    session.stop()


def spark_column(spark, name: str, values: list):
    """Applies the job's expression for `name` to `values` (one row each, order kept)."""
    from etl_spark import cleanse
    from pyspark.sql import functions as F

    exprs = {
        "trim": lambda c: cleanse.trim_field("v"),
        "event_time": None,
        "ip_address": lambda c: cleanse.clean_ip(c).isNotNull(),
        "revenue": lambda c: cleanse.revenue(c).cast("string"),
        "event_type": cleanse.event_type,
    }
    df = spark.createDataFrame([(i, v) for i, v in enumerate(values)], "i int, v string")
    if name == "event_time":
        df = cleanse.with_event_time_micros(df, "v", "micros")
        rows = df.select("i", F.col("micros").cast("string").alias("out")).orderBy("i").collect()
    else:
        rows = df.select("i", exprs[name](F.col("v")).alias("out")).orderBy("i").collect()
    return [r["out"] for r in rows]


@pytest.mark.parametrize("name", list(PY_FUNCS))
def test_spark_expressions_on_vectors(spark, name):
    vec = cases(name)
    got = spark_column(spark, name, [c["input"] for c in vec])
    wrong = [
        (c["why"], c["input"], c["expected"], g)
        for c, g in zip(vec, got, strict=True)
        if g != c["expected"]
    ]
    assert wrong == []


def test_spark_session_id_on_vectors(spark):
    from pyspark.sql import functions as F

    vec = cases("session_id")
    df = spark.createDataFrame(
        [(c["input"]["user_id"], int(c["input"]["session_start_micros"])) for c in vec],
        "t_user_id string, session_start_micros bigint",
    )
    from etl_spark.sessionize import session_id_column

    got = [
        r[0]
        for r in df.select(
            session_id_column(F.col("t_user_id"), F.col("session_start_micros"))
        ).collect()
    ]
    assert got == [c["expected"] for c in vec]


def test_namespace_rule_is_the_typescript_one():
    """One rule for namespaces (src/lakehouse/namespace.ts, docs/hardening.md)."""
    ts = (Path(__file__).resolve().parents[2] / "src" / "lakehouse" / "namespace.ts").read_text()
    assert f'NAMESPACE_PATTERN = "{spec.NAMESPACE_PATTERN}"' in ts
    for ok in ["duckdb", "spark", "run_2", "x" * 64]:
        assert spec.is_valid_namespace(ok)
    for bad in ["", ".", "..", "../esc", "a/b", "A", "2run", "a-b", "x" * 65, "a\n"]:
        assert not spec.is_valid_namespace(bad)
