import pl from "nodejs-polars";

/**
 * docs/pipeline-spec.md §O2: one row per session from the sessionized
 * events, which are already in session order, so first()/last() inside each group follow
 * (event_time, event_id). session_start/session_end stay Int64 micros until write.
 */
export async function sessions(events: pl.DataFrame): Promise<pl.DataFrame> {
  const count = pl.len().cast(pl.Int32);
  return events
    .lazy()
    .groupBy("session_no")
    .agg(
      pl.col("session_id").first(),
      pl.col("user_id").first(),
      pl.col("session_start").first(),
      pl.col("event_time").last().alias("session_end"),
      count.alias("event_count"),
      pl.col("event_type").eq(pl.lit("page_view")).sum().cast(pl.Int32).alias("page_view_count"),
      pl.col("event_type").eq(pl.lit("purchase")).sum().cast(pl.Int32).alias("purchase_count"),
      // Sum of a decimal column is exact integer arithmetic; an all-null sum is 0.00.
      pl.col("revenue").sum().fillNull(pl.lit(0)).cast(pl.Decimal(14, 2)).alias("revenue_total"),
      pl.col("country_code").dropNulls().first().alias("country_code"),
      pl.col("page_url").first().alias("landing_page"),
      pl.col("page_url").last().alias("exit_page"),
    )
    .withColumns(
      // §O2 asks for micros / 1e6 as one IEEE division. Polars divides by a scalar through
      // its reciprocal (x * 1e-6, 1 ulp off for e.g. 3912119649); dividing by a column
      // built from the data keeps it a true element-wise division.
      pl
        .col("session_end")
        .sub(pl.col("session_start"))
        .cast(pl.Float64)
        .div(pl.col("event_count").cast(pl.Float64).mul(0).add(1e6))
        .alias("duration_seconds"),
      pl.col("event_count").eq(pl.lit(1)).alias("is_bounce"),
    )
    .collect();
}
