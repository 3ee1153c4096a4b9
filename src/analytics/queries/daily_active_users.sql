-- question: How many distinct users were active on each day (UTC), and how many events did they make?
-- columns: day date, active_users int, events int
-- source: events
-- utc_date / utc_hour: src/analytics/functions (the UTC day and hour of a timestamp, per engine).
SELECT
  utc_date(event_time) AS day,
  COUNT(DISTINCT user_id) AS active_users,
  COUNT(*) AS events
FROM events
GROUP BY utc_date(event_time)
ORDER BY day
