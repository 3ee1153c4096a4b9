-- question: How much revenue (sum of event revenue, refunds negative) and how many purchases did each country bring on each day (UTC)?
-- columns: day date, country_code text, purchases int, revenue decimal
-- source: events
-- utc_date / utc_hour: src/analytics/functions (the UTC day and hour of a timestamp, per engine).
SELECT
  utc_date(event_time) AS day,
  country_code,
  COUNT(CASE WHEN event_type = 'purchase' THEN 1 END) AS purchases,
  COALESCE(SUM(revenue), 0) AS revenue
FROM events
WHERE event_type = 'purchase' OR revenue IS NOT NULL
GROUP BY utc_date(event_time), country_code
ORDER BY day, country_code NULLS LAST
