"""The named analytical questions of src/analytics/queries/*.sql on Spark SQL.

The files are read as they are; the dialect differences are the parameter marker (`$top_n` in
DuckDB, `:top_n` in Spark's named parameters) and the helper functions the queries call
(utc_date, utc_hour), which src/analytics/functions/spark.sql defines for Spark. Tables are
named unqualified; the namespace becomes the current database of the `lakehouse` catalog.
Answers come out in the engine-neutral form of src/analytics/NamedQuery.ts (integers and
decimals as exact text, doubles as numbers, dates as ISO text) so the TypeScript side compares
them to DuckDB's.
"""

from __future__ import annotations

import datetime
import decimal
import re
import time
from dataclasses import dataclass
from pathlib import Path

from etl_spark.session import CATALOG_NAME, PROJECT_ROOT

QUERIES_DIR = PROJECT_ROOT / "src" / "analytics" / "queries"
# Spark SQL's definitions of the helper functions the queries call (utc_date, utc_hour).
FUNCTIONS_SQL = PROJECT_ROOT / "src" / "analytics" / "functions" / "spark.sql"
COLUMN_KINDS = ("int", "decimal", "double", "text", "date")
_HEADER = re.compile(r"^--\s*(question|columns|params|source):\s*(.*)$")
_PARAM = re.compile(r"^([a-z_][a-z0-9_]*)\s+int\s+(-?\d+)\s+(.+)$")
_MARKER = re.compile(r"\$([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    question: str
    columns: tuple[tuple[str, str], ...]
    params: dict[str, int]
    sql: str


def parse_query(path: Path) -> NamedQuery:
    """Mirror of src/analytics/parseNamedQuery.ts (the TS side validates headers in full)."""
    sql = path.read_text(encoding="utf-8")
    header: dict[str, list[str]] = {}
    for line in sql.splitlines():
        m = _HEADER.match(line.strip())
        if m:
            header.setdefault(m.group(1), []).append(m.group(2).strip())
    if len(header.get("question", [])) != 1 or len(header.get("columns", [])) != 1:
        raise ValueError(f"{path}: needs one '-- question:' and one '-- columns:' line")
    columns = []
    for col in header["columns"][0].split(","):
        name, kind = col.split()
        if kind not in COLUMN_KINDS:
            raise ValueError(f"{path}: column {name} has unknown kind {kind}")
        columns.append((name, kind))
    params = {}
    for p in header.get("params", []):
        m = _PARAM.match(p)
        if not m:
            raise ValueError(f"{path}: param '{p}' must be 'name int default description'")
        params[m.group(1)] = int(m.group(2))
    return NamedQuery(path.stem, header["question"][0], tuple(columns), params, sql)


def list_queries(directory: Path = QUERIES_DIR) -> list[NamedQuery]:
    return [parse_query(p) for p in sorted(directory.glob("*.sql"))]


def to_spark_sql(sql: str) -> str:
    """DuckDB's `$name` parameter markers as Spark's `:name` (the one dialect difference)."""
    return _MARKER.sub(r":\1", sql)


def _cell(value, kind: str):
    if value is None:
        return None
    if kind == "double":
        return float(value)
    if kind == "int":
        return str(int(value))
    if kind == "decimal":
        return format(decimal.Decimal(value), "f")
    if kind == "date":
        if not isinstance(value, datetime.date):
            raise TypeError(f"expected a date, got {value!r}")
        return value.isoformat()
    return str(value)


def define_functions(spark, path: Path = FUNCTIONS_SQL) -> None:
    """Creates the queries' helper functions as temporary SQL functions (one per statement)."""
    text = "\n".join(
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("--")
    )
    for statement in text.split(";"):
        if statement.strip():
            spark.sql(statement)


def run_query(spark, query: NamedQuery, namespace: str, params: dict[str, int] | None = None):
    """One question on `namespace`; returns the answer and the query's wall milliseconds."""
    args = {**query.params, **(params or {})}
    spark.sql(f"USE {CATALOG_NAME}.`{namespace}`")
    started = time.perf_counter()
    df = spark.sql(to_spark_sql(query.sql), args=args)
    rows = df.collect()
    elapsed_ms = (time.perf_counter() - started) * 1000
    names = tuple(df.columns)
    declared = tuple(n for n, _ in query.columns)
    if names != declared:
        raise ValueError(
            f"{query.name}: returned columns {names} differ from its header {declared}"
        )
    kinds = [k for _, k in query.columns]
    answer = {
        "name": query.name,
        "columns": [{"name": n, "kind": k} for n, k in query.columns],
        "rows": [[_cell(v, kinds[i]) for i, v in enumerate(r)] for r in rows],
    }
    return answer, elapsed_ms


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    import os
    import sys

    from etl_spark.session import build_session

    parser = argparse.ArgumentParser(description="named questions on Spark SQL, JSON lines out")
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--namespace", action="append", required=True)
    parser.add_argument("--name", action="append", help="question name (default: all)")
    parser.add_argument("--param", action="append", default=[], help="k=v (integers)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per question (timing)")
    parser.add_argument("--master", default=os.environ.get("ETL_SPARK_MASTER", "local[*]"))
    args = parser.parse_args(argv)
    queries = list_queries()
    if args.name:
        known = {q.name: q for q in queries}
        missing = [n for n in args.name if n not in known]
        if missing:
            parser.error(f"unknown question(s) {missing}; known: {sorted(known)}")
        queries = [known[n] for n in args.name]
    params = {}
    for kv in args.param:
        k, _, v = kv.partition("=")
        params[k] = int(v)
    started = time.perf_counter()
    spark = build_session(
        args.warehouse,
        master=args.master,
        app_name="etl-queries",
        extra_conf={
            "spark.sql.shuffle.partitions": str(2 * (os.cpu_count() or 1)),
            "spark.ui.showConsoleProgress": "false",
        },
    )
    spark.sparkContext.setLogLevel("ERROR")
    define_functions(spark)
    startup_ms = (time.perf_counter() - started) * 1000
    try:
        for ns in args.namespace:
            for q in queries:
                wanted = {k: v for k, v in params.items() if k in q.params}
                times = []
                for _ in range(args.repeat):
                    answer, ms = run_query(spark, q, ns, wanted)
                    times.append(round(ms, 1))
                line = {
                    **answer,
                    "namespace": ns,
                    "query_ms": times,
                    "startup_ms": round(startup_ms),
                }
                print("ETL_ANSWER " + json.dumps(line, ensure_ascii=False), flush=True)
    finally:
        spark.stop()
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
