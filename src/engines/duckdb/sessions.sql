-- docs/pipeline-spec.md §O2: one row per session, from the events just staged (§O1), whose
-- event_seq gives the session order. session_start is the first event's time, which is the
-- smallest; arg_min_null/arg_max_null keep a null page_url of the first/last event (plain
-- arg_min would skip it); the country is the first NON-null one in session order.
-- Written like events (see write.sql): Iceberg types and field ids, one folder per UTC day.
COPY (
  SELECT
    session_id,
    user_id,
    session_start,
    session_end,
    CAST(epoch_us(session_end) - epoch_us(session_start) AS DOUBLE) / 1e6 AS duration_seconds,
    event_count,
    page_view_count,
    purchase_count,
    revenue_total,
    country_code,
    landing_page,
    exit_page,
    event_count = 1 AS is_bounce,
    CAST(session_start AS DATE) AS session_start_day
  FROM (
    SELECT
      session_id,
      user_id,
      min(event_time) AS session_start,
      max(event_time) AS session_end,
      CAST(count(*) AS INTEGER) AS event_count,
      CAST(count_if(event_type = 'page_view') AS INTEGER) AS page_view_count,
      CAST(count_if(event_type = 'purchase') AS INTEGER) AS purchase_count,
      CAST(coalesce(sum(revenue), 0) AS DECIMAL(14, 2)) AS revenue_total,
      arg_min(country_code, event_seq) FILTER (WHERE country_code IS NOT NULL) AS country_code,
      arg_min_null(page_url, event_seq) AS landing_page,
      arg_max_null(page_url, event_seq) AS exit_page
    FROM read_parquet({{events_files}})
    GROUP BY session_id, user_id
  )
) TO {{sessions_dir}} (
  FORMAT parquet,
  PARTITION_BY (session_start_day),
  FILENAME_PATTERN 'part-{i}',
  FIELD_IDS {{sessions_field_ids}}
);
