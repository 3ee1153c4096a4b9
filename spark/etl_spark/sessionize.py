"""Sessionization (docs/pipeline-spec.md, Sessionization): per user, in (event_time,
event_id) order, a gap strictly greater than 30 minutes starts a new session. One window
spec (one sort) gives the gap, the session start and the position in the session."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from .spec import SESSION_GAP_MICROS


def session_id_column(user_id: Column, start_micros: Column) -> Column:
    """§S4: lower-case hex MD5 of the UTF-8 text `user_id|micros`."""
    return F.md5(F.concat(user_id, F.lit("|"), start_micros.cast("string")))


def sessionize(events: DataFrame) -> DataFrame:
    """Adds session_start_micros, session_id and event_seq to the kept events."""
    w = Window.partitionBy("t_user_id").orderBy("micros", "t_event_id")
    running = w.rowsBetween(Window.unboundedPreceding, Window.currentRow)
    prev = F.lag("micros").over(w)
    df = events.withColumn("rn", F.row_number().over(w)).withColumn(
        "new_session", prev.isNull() | ((F.col("micros") - prev) > SESSION_GAP_MICROS)
    )
    # Times never decrease along the window, so the latest session start seen so far is the
    # current session's start, and its row number gives the position in the session.
    df = df.withColumn(
        "session_start_micros", F.max(F.when(F.col("new_session"), F.col("micros"))).over(running)
    ).withColumn("start_rn", F.max(F.when(F.col("new_session"), F.col("rn"))).over(running))
    return (
        df.withColumn("event_seq", (F.col("rn") - F.col("start_rn") + 1).cast("int"))
        # §S4: md5 of `user_id|micros` (UTF-8), lower-case hex.
        .withColumn(
            "session_id", session_id_column(F.col("t_user_id"), F.col("session_start_micros"))
        ).drop("rn", "new_session", "start_rn")
    )
