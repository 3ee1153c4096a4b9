-- question: How many distinct users were active on each day (UTC), and how many events did they make?
-- columns: day date, active_users int, events int
-- source: events
SELECT
  CAST(event_time AS DATE) AS day,
  COUNT(DISTINCT user_id) AS active_users,
  COUNT(*) AS events
FROM events
GROUP BY CAST(event_time AS DATE)
ORDER BY day
