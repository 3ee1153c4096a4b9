-- question: How does traffic spread over the hours of the day (UTC): events, page views and purchases per hour, and each hour's share of all events?
-- columns: hour int, events int, page_views int, purchases int, share_of_events double
-- source: events
-- utc_date / utc_hour: src/analytics/functions (the UTC day and hour of a timestamp, per engine).
SELECT
  utc_hour(event_time) AS hour,
  COUNT(*) AS events,
  COUNT(CASE WHEN event_type = 'page_view' THEN 1 END) AS page_views,
  COUNT(CASE WHEN event_type = 'purchase' THEN 1 END) AS purchases,
  CAST(COUNT(*) AS DOUBLE) / SUM(COUNT(*)) OVER () AS share_of_events
FROM events
GROUP BY utc_hour(event_time)
ORDER BY hour
