"""Ingest (docs/pipeline-spec.md §I1-§I4): every raw column as a string, empty = null; a
file lacking a column, or a CSV that is not well-formed, is refused as a whole."""

from __future__ import annotations

from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType

from .csvcheck import check_csv, read_header, spark_line_regex
from .errors import InputError
from .tables import RAW_COLUMNS


def ingest(spark: SparkSession, path: Path, materialize: bool = True) -> tuple[DataFrame, int]:
    """The nine raw columns, in spec order, as read (not trimmed), empty text as null, with
    its row count. materialize=True (the cache-stages mode) caches the rows and counts them;
    False (the fair mode) leaves the DataFrame lazy and takes the count from work that runs
    anyway: the CSV line check's own pass (data lines = lines - header) or the Parquet footer."""
    if not path.is_file():
        raise InputError(f"input {path} not found; pass an existing CSV or Parquet file")
    if path.suffix.lower() == ".parquet":
        df = _ingest_parquet(spark, path)
        lines = None
    else:
        df, lines = _ingest_csv(spark, path)
    if materialize:
        df = df.cache()
        return df, df.count()
    if lines is not None:
        return df, lines
    # Parquet: a count reads only the footers' row counts.
    return df, df.count()


def _require_columns(path: Path, columns: list[str]) -> None:
    for c in RAW_COLUMNS:
        if c not in columns:
            raise InputError(
                f"{path}: header lacks column {c} (§I3: the header must name every one of "
                f"{', '.join(RAW_COLUMNS)})"
            )
        if columns.count(c) > 1:
            raise InputError(f"{path}: header names column {c} twice (§I3); keep one")


def _nulled(df: DataFrame) -> DataFrame:
    # §I1/§I4: an empty field (quoted or not), empty Parquet text and a Parquet null are null.
    return df.select(
        *(F.when(F.col(c) != "", F.col(c).cast("string")).alias(c) for c in RAW_COLUMNS)
    )


def _ingest_parquet(spark: SparkSession, path: Path) -> DataFrame:
    df = spark.read.parquet(str(path))
    _require_columns(path, df.columns)
    return _nulled(df.select(*(F.col(f"`{c}`").cast("string").alias(c) for c in RAW_COLUMNS)))


def _ingest_csv(spark: SparkSession, path: Path) -> tuple[DataFrame, int | None]:
    """The raw DataFrame, and the data-line count when every line is a whole record (None
    when records span lines: then only the parser knows the count)."""
    header = read_header(path)
    _require_columns(path, header)
    width = len(header)

    # §I2 in parallel: every physical line (split on LF only: a lone CR is data) must be a whole
    # record of `width` fields in valid UTF-8. Text lines keep their raw bytes, so
    # is_valid_utf8 sees what the file holds.
    lines = spark.read.option("lineSep", "\n").text(str(path))
    bad = (~F.col("value").rlike(spark_line_regex(width))) | (~F.is_valid_utf8("value"))
    multiline = False
    # One pass counts the lines and the bad ones (it reads the whole file either way).
    stats = lines.agg(
        F.count(F.lit(1)).alias("n"), F.sum(F.when(bad, 1).otherwise(0)).alias("bad")
    ).first()
    n_lines = int(stats["n"]) if stats is not None else 0
    if stats is not None and (stats["bad"] or 0) > 0:
        # An error (named by the exact check) or records spanning lines (valid).
        multiline = check_csv(path, width).multiline

    # Positional all-string schema of the file's own header, no inference; RFC 4180 quote
    # doubling (Spark's default escape is a backslash); LF as the only separator so a lone CR
    # stays data. An empty field, quoted or not, is null with Spark's default nullValue "".
    schema = StructType([StructField(f"_c{i}", StringType()) for i in range(width)])
    df = spark.read.csv(
        str(path),
        schema=schema,
        header=True,
        mode="FAILFAST",
        multiLine=multiline,
        lineSep="\n",
        quote='"',
        escape='"',
        encoding="UTF-8",
        ignoreLeadingWhiteSpace=False,
        ignoreTrailingWhiteSpace=False,
    )
    if multiline:
        # A multi-line file is parsed in one task; spread the rows for the next stages.
        df = df.repartition(spark.sparkContext.defaultParallelism)
    cols = {}
    for i, name in enumerate(header):
        col = F.col(f"_c{i}")
        if i == width - 1:
            # With LF as separator, the CR of a CRLF ending stays on an unquoted last field.
            col = F.regexp_replace(col, r"\r\z", "")
        cols[name] = col
    out = _nulled(df.select(*(cols[c].alias(c) for c in RAW_COLUMNS)))
    return out, None if multiline else max(0, n_lines - 1)
