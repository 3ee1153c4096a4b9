"""spark-submit entry point of the Spark baseline (docs/pipeline-spec.md, all sections).

Two ways to run it:
- one-shot: `spark-submit spark/etl_spark/main.py --input F --warehouse W [--namespace spark]
  [--geo-db DB] [--mode overwrite|append] [--master M]`;
- `--serve`: builds the SparkSession, prints `ETL_READY {...}`, then reads ONE JSON request
  ({input, warehouse, namespace, geoDb, mode}) from the file ETL_REQUEST_FILE (written
  atomically by the launcher; spark-submit gives the Python driver no stdin) or from stdin,
  and runs it. SparkEngine.ts uses
  this so that Engine.open() covers the JVM and session start-up and run() the pipeline.

Machine-readable lines on stdout, among Spark's own logs (stderr):
`ETL_PROGRESS {"phase","state","ms"}`, `ETL_RESULT {...}` once at the end, or `ETL_ERROR {...}`.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

if __package__ in (None, ""):  # run as a script by spark-submit
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from etl_spark import procfs  # noqa: E402
from etl_spark.cleanse import CLEAN, cleanse  # noqa: E402
from etl_spark.enrich import enrich, geo_db_info  # noqa: E402
from etl_spark.errors import InputError  # noqa: E402
from etl_spark.ingest import ingest  # noqa: E402
from etl_spark.session import PROJECT_ROOT, build_session, catalog_conf  # noqa: E402
from etl_spark.sessionize import sessionize  # noqa: E402
from etl_spark.sessions import sessions  # noqa: E402
from etl_spark.spec import is_valid_namespace  # noqa: E402
from etl_spark.tables import EVENTS, RAW_COLUMNS, REJECTS, SESSIONS  # noqa: E402
from etl_spark.write import ensure_tables, events_output, write_table  # noqa: E402

PREFIX_READY = "ETL_READY "
PREFIX_PROGRESS = "ETL_PROGRESS "
PREFIX_RESULT = "ETL_RESULT "
PREFIX_ERROR = "ETL_ERROR "

DEFAULT_GEO_DB = (
    PROJECT_ROOT
    / "node_modules/@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb"
)


def emit(prefix: str, payload: dict[str, object]) -> None:
    print(prefix + json.dumps(payload), flush=True)


def process_start_ms() -> float:
    """Epoch ms when this run started: ETL_T0_MS from the launcher, else the start of the
    spark-submit JVM that started this Python process (/proc), else now."""
    if os.environ.get("ETL_T0_MS"):
        return float(os.environ["ETL_T0_MS"])
    started = procfs.start_epoch_ms(os.getppid())
    return started if started is not None else time.time() * 1000


class Phases:
    """Wall time of each phase, measured here; prints progress lines as they start and end."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        emit(PREFIX_PROGRESS, {"phase": name, "state": "start"})
        start = time.perf_counter()
        yield
        ms = round((time.perf_counter() - start) * 1000, 1)
        self.ms[name] = ms
        emit(PREFIX_PROGRESS, {"phase": name, "state": "end", "ms": ms})


def ship_package(spark) -> None:
    """Executors (a standalone cluster's Python workers) import etl_spark from this zip."""
    pkg = Path(__file__).resolve().parent
    folder = Path(tempfile.mkdtemp(prefix="etl_spark-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    target = folder / "etl_spark.zip"
    with zipfile.ZipFile(target, "w") as zf:
        for f in sorted(pkg.glob("*.py")):
            zf.write(f, f"etl_spark/{f.name}")
    spark.sparkContext.addPyFile(str(target))


SPARK_MODES = ("fair", "cache-stages")
CACHE_CHOICES = ("classified", "sessionized")
# What the fair mode keeps (persist MEMORY_AND_DISK): chosen by measurement, spark/README.md.
DEFAULT_CACHE = "classified,sessionized"


def run_pipeline(
    spark,
    input_path: Path,
    warehouse: Path,
    namespace: str,
    geo_db: Path,
    mode: str,
    spark_mode: str | None = None,
    input_fingerprint: str | None = None,
) -> dict[str, object]:
    """The pipeline in one of two modes (ETL_SPARK_MODE, default fair):

    - fair: as a production job runs: lazy DataFrames, one action per table write, no
      count or cache for timing; only what is reused by more than one write is persisted
      (ETL_SPARK_CACHE, default `classified,sessionized`: the rejects write and the
      sessionized chain share the classified rows; the events and sessions writes share the
      sessionized ones).
      Phase times come from Spark's own job metrics (its status store, spark_job_metrics).
    - cache-stages: the earlier baseline that caches and counts every stage so that each has
      its own wall time; kept to measure what that materialisation costs.
    """
    spark_mode = spark_mode or os.environ.get("ETL_SPARK_MODE", "fair")
    if spark_mode not in SPARK_MODES:
        raise InputError(
            f"ETL_SPARK_MODE must be one of {', '.join(SPARK_MODES)}, not {spark_mode!r}"
        )
    # Same snapshot summary entries as the TypeScript commit (src/harness/runPipeline.ts).
    props = {"etl.engine": "spark", "etl.input": str(input_path.resolve())}
    if input_fingerprint:
        props["etl.input-fingerprint"] = input_fingerprint
    run = Run(spark, input_path, warehouse, namespace, geo_db, mode, props)
    return (run_pipeline_fair if spark_mode == "fair" else run_pipeline_cache_stages)(run)


class Run:
    """What both modes share: the checked request, the geo database's identity, the phase
    timer, and the steps written once (split, write, row balance, summary)."""

    def __init__(
        self,
        spark,
        input_path: Path,
        warehouse: Path,
        namespace: str,
        geo_db: Path,
        mode: str,
        snapshot_properties: dict[str, str] | None,
    ) -> None:
        if mode not in ("overwrite", "append"):
            raise InputError(f"mode must be overwrite or append, not {mode!r}")
        if not is_valid_namespace(namespace):
            raise InputError(
                f"namespace {json.dumps(namespace)} is not allowed: use a lowercase letter, then "
                "lowercase letters, digits or _ (at most 64 characters)"
            )
        warehouse.mkdir(parents=True, exist_ok=True)
        for key, value in catalog_conf(warehouse).items():
            if key != "spark.sql.extensions":
                spark.conf.set(key, value)
        self.spark = spark
        self.input_path = input_path
        self.warehouse = warehouse
        self.namespace = namespace
        self.geo_db = geo_db
        self.mode = mode
        self.snapshot_properties = snapshot_properties
        self.geo = geo_db_info(geo_db)
        self.phases = Phases()

    @staticmethod
    def split(classified):
        """Kept events go on with their cleansed columns only (half the width to shuffle);
        rejects keep the raw columns and their reason."""
        kept = classified.where("reject_reason IS NULL").select(*CLEAN, "micros")
        rejects = classified.where("reject_reason IS NOT NULL").select(
            *RAW_COLUMNS, "reject_reason"
        )
        return kept, rejects

    def write(self, sessionized, session_rows, rejects) -> list[dict[str, object]]:
        """The three tables, one write action each; returns what each commit added."""
        ensure_tables(self.spark, self.namespace)
        return [
            write_table(self.spark, self.namespace, table, df, self.mode, self.snapshot_properties)
            for table, df in (
                (EVENTS, events_output(sessionized)),
                (SESSIONS, session_rows),
                (REJECTS, rejects),
            )
        ]

    @staticmethod
    def check_rows(rows_in: int, n_events: int, n_rejects: int) -> None:
        if rows_in != n_events + n_rejects:
            raise RuntimeError(
                f"row accounting broken: {rows_in} rows in, {n_events} events + {n_rejects} rejects"
            )

    def summary(
        self,
        spark_mode: str,
        counts: dict[str, int],
        phases_ms: dict[str, float],
        committed: list[dict[str, object]],
        **extra: object,
    ) -> dict[str, object]:
        """The ETL_RESULT payload: the same keys in both modes, then the mode's own."""
        return {
            "engine": "spark",
            "engine_version": self.spark.version,
            "input": str(self.input_path.resolve()),
            "warehouse": str(self.warehouse.resolve()),
            "namespace": self.namespace,
            "mode": self.mode,
            "spark_mode": spark_mode,
            "master": self.spark.sparkContext.master,
            "geo_db": self.geo,
            **counts,
            "phases": {f"{k}_ms": v for k, v in phases_ms.items()},
            "committed": committed,
            **extra,
        }


def spark_cache_choice() -> set[str]:
    """ETL_SPARK_CACHE: comma-separated CACHE_CHOICES, or none."""
    cache = {
        c.strip()
        for c in os.environ.get("ETL_SPARK_CACHE", DEFAULT_CACHE).split(",")
        if c.strip() and c.strip() != "none"
    }
    unknown = cache - set(CACHE_CHOICES)
    if unknown:
        raise InputError(f"ETL_SPARK_CACHE: unknown {sorted(unknown)}; use {CACHE_CHOICES} or none")
    return cache


def run_pipeline_fair(run: Run) -> dict[str, object]:
    """No materialisation for timing: ingest runs its validation pass (which also counts the
    rows), then each table is written by one action. Counts come from the Iceberg snapshots
    the writes commit; the rows-in = events + rejects check runs on them."""
    from pyspark import StorageLevel

    spark = run.spark
    cache = spark_cache_choice()
    sc = spark.sparkContext
    persisted = []

    def keep(df, name: str):
        if name not in cache:
            return df
        persisted.append(df.persist(StorageLevel.MEMORY_AND_DISK))
        return persisted[-1]

    def group(name: str):
        sc.setJobGroup(name, f"etl {name}")
        return run.phases.phase(name)

    with group("ingest"):
        raw, rows_in = ingest(spark, run.input_path, materialize=False)
    kept, rejects = run.split(keep(cleanse(raw), "classified"))
    sessionized = keep(sessionize(enrich(kept, run.geo_db)), "sessionized")
    session_rows = sessions(sessionized)
    with group("write"):
        committed = run.write(sessionized, session_rows, rejects)
    sc.setJobGroup("done", "etl done")
    for df in persisted:
        df.unpersist()
    added = {c["table"]: int(c["addedRecords"]) for c in committed}
    run.check_rows(rows_in, added["events"], added["rejects"])
    metrics = spark_job_metrics(spark, ["ingest", "write"])
    # Spark's job spans when the status store answered, else the driver's wall clock.
    phases = {
        name: (metrics[name]["span_ms"] if metrics.get(name) else run.phases.ms[name])
        for name in ("ingest", "write")
    }
    print("ETL_SPARK_METRICS " + json.dumps(metrics), file=sys.stderr, flush=True)
    return run.summary(
        "fair",
        {"rows_in": rows_in, **{t: added[t] for t in ("events", "sessions", "rejects")}},
        phases,
        committed,
        spark_cache=sorted(cache),
        phases_source="spark-status-store" if metrics else "driver-wall-clock",
        spark_metrics=metrics,
    )


def spark_job_metrics(spark, groups: list[str]) -> dict[str, dict[str, float]]:
    """Per job group, from Spark's own status store (what the UI and its REST API serve),
    read through the status tracker and py4j, so no HTTP round trip is needed: span_ms =
    first job submitted to last job completed, jobs, stages, and the executors' run and CPU
    time, shuffle writes and spills summed over the groups' stages. {} when unavailable
    (then the caller falls back to its own clock)."""
    sc = spark.sparkContext
    tracker = sc.statusTracker()
    try:
        store = sc._jsc.sc().statusStore()  # noqa: SLF001 - the JVM SparkContext
        out: dict[str, dict[str, float]] = {}
        for g in groups:
            ids = sorted(tracker.getJobIdsForGroup(g))
            if not ids:
                continue
            # The listener bus is asynchronous: wait until every job has its end time.
            for _ in range(100):
                jobs = [store.job(i) for i in ids]
                if all(j.completionTime().isDefined() for j in jobs):
                    break
                time.sleep(0.05)
            done = [j for j in jobs if j.completionTime().isDefined()]
            if not done:
                continue
            stage_ids = sorted(
                {j.stageIds().apply(k) for j in done for k in range(j.stageIds().size())}
            )
            ran = []
            for sid in stage_ids:
                try:
                    st = store.lastStageAttempt(sid)
                except Exception:  # noqa: BLE001 - a stage skipped (reused shuffle) has no attempt
                    continue
                if st.status().toString() == "COMPLETE":
                    ran.append(st)
            first = min(j.submissionTime().get().getTime() for j in done)
            last = max(j.completionTime().get().getTime() for j in done)
            out[g] = {
                "span_ms": float(last - first),
                "jobs": len(done),
                "stages": len(ran),
                "executor_run_ms": sum(int(st.executorRunTime()) for st in ran),
                "executor_cpu_ms": round(sum(int(st.executorCpuTime()) for st in ran) / 1e6, 1),
                "shuffle_write_bytes": sum(int(st.shuffleWriteBytes()) for st in ran),
                "spilled_bytes": sum(int(st.diskBytesSpilled()) for st in ran),
            }
        return out
    except Exception as err:  # noqa: BLE001 - metrics are best effort; the run succeeded
        print(f"ETL_SPARK_METRICS_ERROR {err!r}"[:500], file=sys.stderr, flush=True)
        return {}


def run_pipeline_cache_stages(run: Run) -> dict[str, object]:
    """Runs every stage, materializing each (cached) so its time is its own, and writes the
    three tables only after everything is computed, so a refused input changes no table."""
    phase = run.phases.phase

    with phase("ingest"):
        raw, rows_in = ingest(run.spark, run.input_path)

    with phase("cleanse"):
        classified = cleanse(raw).cache()
        by_reason = {
            r["reject_reason"]: r["n"]
            for r in classified.groupBy("reject_reason")
            .agg({"*": "count"})
            .withColumnRenamed("count(1)", "n")
            .collect()
        }
        raw.unpersist()
        kept, rejects = run.split(classified)

    with phase("enrich"):
        enriched = enrich(kept, run.geo_db).cache()
        enriched.count()

    with phase("sessionize"):
        sessionized = sessionize(enriched).cache()
        n_events = sessionized.count()
        enriched.unpersist()

    with phase("sessions"):
        session_rows = sessions(sessionized).cache()
        n_sessions = session_rows.count()

    n_rejects = sum(n for reason, n in by_reason.items() if reason is not None)
    run.check_rows(rows_in, n_events, n_rejects)

    with phase("write"):
        committed = run.write(sessionized, session_rows, rejects)
    for df in (classified, sessionized, session_rows):
        df.unpersist()

    return run.summary(
        "cache-stages",
        {"rows_in": rows_in, "events": n_events, "sessions": n_sessions, "rejects": n_rejects},
        run.phases.ms,
        committed,
        phases_source="cache-count",
        rejects_by_reason={k: by_reason[k] for k in sorted(k for k in by_reason if k is not None)},
    )


def read_request() -> str:
    """One JSON request: from the file named by ETL_REQUEST_FILE once it appears (spark-submit
    gives the Python driver no stdin), else from stdin. Gives up when the launcher
    (ETL_PARENT_PID) is gone."""
    path = os.environ.get("ETL_REQUEST_FILE")
    if not path:
        return sys.stdin.readline()
    parent = os.environ.get("ETL_PARENT_PID")
    request = Path(path)
    while not request.exists():
        if parent and not procfs.alive(int(parent)):
            return ""
        time.sleep(0.02)
    text = request.read_text(encoding="utf-8")
    request.unlink()
    return text


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="etl_spark", description=__doc__.splitlines()[0])
    p.add_argument("--serve", action="store_true", help="read one JSON request on stdin")
    p.add_argument("--input", type=Path)
    p.add_argument("--warehouse", type=Path)
    p.add_argument("--namespace", default="spark")
    p.add_argument(
        "--geo-db", type=Path, default=Path(os.environ.get("ETL_GEO_DB", DEFAULT_GEO_DB))
    )
    p.add_argument("--mode", choices=["overwrite", "append"], default="overwrite")
    p.add_argument("--master", default=None, help="default: spark-submit's --master or local[*]")
    args = p.parse_args(argv)
    if not args.serve and (args.input is None or args.warehouse is None):
        p.error("--input and --warehouse are required (or --serve)")
    return args


def main(argv: list[str]) -> int:
    t0_ms = process_start_ms()
    args = parse_args(argv)
    spark = None
    try:
        # Catalog settings are applied per request (the warehouse may come on stdin); they are
        # read when the catalog is first used, after this point.
        spark = build_session(args.warehouse, master=args.master, app_name="etl-spark")
        spark.sparkContext.setLogLevel(os.environ.get("ETL_SPARK_LOG_LEVEL", "WARN"))
        ship_package(spark)
        ready_ms = time.time() * 1000
        startup_ms = round(ready_ms - t0_ms, 1)
        emit(PREFIX_READY, {"startup_ms": startup_ms, "spark_version": spark.version})
        if args.serve:
            line = read_request()
            if not line.strip():
                emit(PREFIX_ERROR, {"kind": "request", "message": "no request received"})
                return 2
            req = json.loads(line)
            run_start = time.time() * 1000
            summary = run_pipeline(
                spark,
                Path(req["input"]),
                Path(req["warehouse"]),
                req.get("namespace", "spark"),
                Path(req.get("geoDb") or args.geo_db),
                req.get("mode", "overwrite"),
                input_fingerprint=req.get("inputFingerprint"),
            )
        else:
            run_start = time.time() * 1000
            summary = run_pipeline(
                spark, args.input, args.warehouse, args.namespace, args.geo_db, args.mode
            )
        end_ms = time.time() * 1000
        summary["startup_ms"] = startup_ms
        summary["run_ms"] = round(end_ms - run_start, 1)
        summary["total_ms"] = round(end_ms - t0_ms, 1)
        emit(PREFIX_RESULT, summary)
        return 0
    except InputError as err:
        emit(PREFIX_ERROR, {"kind": "input", "message": str(err)})
        return 2
    except Exception as err:  # noqa: BLE001 - reported as one line, the trace goes to stderr
        import traceback

        traceback.print_exc()
        emit(PREFIX_ERROR, {"kind": "engine", "message": _first_line(err)})
        return 1
    finally:
        if spark is not None:
            spark.stop()


def _first_line(err: Exception) -> str:
    """The deepest Java cause of a Py4J error (the useful part), else the Python message."""
    text = str(err).strip() or type(err).__name__
    java = getattr(err, "java_exception", None)
    if java is not None:
        try:
            cause = java
            while cause.getCause() is not None:
                cause = cause.getCause()
            text = f"{java.toString()} (cause: {cause.toString()})"
        except Exception:  # noqa: BLE001 - the gateway may be gone; keep the Python text
            pass
    return text.splitlines()[0][:2000]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
