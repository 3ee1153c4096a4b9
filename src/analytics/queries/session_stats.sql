-- question: How long is a session and how many events does it hold, on average and at the median?
-- columns: sessions int, avg_duration_seconds double, median_duration_seconds double, avg_events double, median_events double, bounce_rate double
-- source: sessions
-- Median is the interpolated one (DuckDB median, Spark median: both average the two middle values).
SELECT
  COUNT(*) AS sessions,
  AVG(duration_seconds) AS avg_duration_seconds,
  MEDIAN(duration_seconds) AS median_duration_seconds,
  AVG(CAST(event_count AS DOUBLE)) AS avg_events,
  MEDIAN(CAST(event_count AS DOUBLE)) AS median_events,
  CAST(COUNT(CASE WHEN is_bounce THEN 1 END) AS DOUBLE) / NULLIF(COUNT(*), 0) AS bounce_rate
FROM sessions
