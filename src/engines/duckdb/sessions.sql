-- docs/pipeline-spec.md, Output `sessions`: one row per session of events_out.
-- arg_min_null/arg_max_null keep a null page_url of the first/last event (plain arg_min
-- would skip it); the country is the first NON-null one in session order.
-- Grouped by (user_id, session_start), so the md5 runs once per session.
CREATE OR REPLACE TABLE sessions_out AS
SELECT
  md5(user_id || '|' || CAST(epoch_us(session_start) AS VARCHAR)) AS session_id,
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
  event_count = 1 AS is_bounce
FROM (
  SELECT
    user_id,
    session_start,
    max(event_time) AS session_end,
    CAST(count(*) AS INTEGER) AS event_count,
    CAST(count_if(event_type = 'page_view') AS INTEGER) AS page_view_count,
    CAST(count_if(event_type = 'purchase') AS INTEGER) AS purchase_count,
    CAST(coalesce(sum(revenue), 0) AS DECIMAL(14, 2)) AS revenue_total,
    arg_min(country_code, event_seq) FILTER (WHERE country_code IS NOT NULL) AS country_code,
    arg_min_null(page_url, event_seq) AS landing_page,
    arg_max_null(page_url, event_seq) AS exit_page
  FROM events_out
  GROUP BY user_id, session_start
);
