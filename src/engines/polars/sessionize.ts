import { hash } from "node:crypto";
import pl from "nodejs-polars";

/** docs/pipeline-spec.md §S2: a gap strictly greater than 30 minutes splits. */
const SESSION_GAP_MICROS = 30 * 60 * 1_000_000;

/**
 * docs/pipeline-spec.md §S1-§S4. One sort by (user_id, event_time, event_id) (Polars
 * orders Utf8 byte-wise; event_id is unique after §C10, so the order is total), then
 * everything is a shift or a forward fill over that order: no window partitions needed.
 * Adds session_no (1-based, in sorted order), session_start (Int64 micros), session_id and
 * event_seq; the frame stays sorted.
 */
export async function sessionize(events: pl.DataFrame): Promise<pl.DataFrame> {
  const user = pl.col("user_id");
  const time = pl.col("event_time");
  const isNew = user
    .shift(1)
    .isNull()
    .or(user.neq(user.shift(1)))
    .or(time.sub(time.shift(1)).gt(pl.lit(SESSION_GAP_MICROS).cast(pl.Int64)));
  const sorted = await events
    .lazy()
    .sort(["user_id", "event_time", "event_id"])
    .withRowIndex("row")
    .withColumns(isNew.alias("is_new"))
    .withColumns(
      pl.col("is_new").cast(pl.UInt32).cumSum().alias("session_no"),
      pl
        .when(pl.col("is_new"))
        .then(time)
        .otherwise(pl.lit(null))
        .forwardFill()
        .alias("session_start"),
      pl
        .when(pl.col("is_new"))
        .then(pl.col("row"))
        .otherwise(pl.lit(null))
        .forwardFill()
        .alias("first_row"),
    )
    .withColumns(
      pl.col("row").sub(pl.col("first_row")).add(pl.lit(1)).cast(pl.Int32).alias("event_seq"),
    )
    .drop("row", "first_row")
    .collect();
  const { numbers, ids } = await sessionIds(sorted);
  // A value mapping session_no -> session_id, not a join: the sorted frame is not gathered again.
  const sessionId =
    numbers.length === 0
      ? pl.lit(null).cast(pl.Utf8)
      : pl.col("session_no").replaceStrict(numbers, ids, pl.lit(null).cast(pl.Utf8), pl.Utf8);
  return sorted.withColumns(sessionId.alias("session_id")).drop("is_new");
}

/**
 * session_id = md5 hex of `user_id|session_start micros` (docs/pipeline-spec.md
 * §S3). Polars has no md5, so the key text is built in Polars on the one row
 * that starts each session and hashed in JS with node:crypto, once per session.
 */
async function sessionIds(sorted: pl.DataFrame): Promise<{ numbers: number[]; ids: string[] }> {
  const starts = await sorted
    .lazy()
    .filter(pl.col("is_new"))
    .select(
      pl.col("session_no"),
      pl
        .concatString([pl.col("user_id"), pl.lit("|"), pl.col("session_start").cast(pl.Utf8)], "")
        .alias("key"),
    )
    .collect();
  const keys = starts.getColumn("key").toArray() as string[];
  const ids = new Array<string>(keys.length);
  for (let i = 0; i < keys.length; i++) ids[i] = hash("md5", keys[i]!, "hex");
  return { numbers: starts.getColumn("session_no").toArray() as number[], ids };
}
