-- question: How many sessions started on each day (UTC) in each country, and from how many users? (country null: no country for the IP)
-- columns: day date, country_code text, sessions int, users int
-- source: sessions
-- utc_date / utc_hour: src/analytics/functions (the UTC day and hour of a timestamp, per engine).
SELECT
  utc_date(session_start) AS day,
  country_code,
  COUNT(*) AS sessions,
  COUNT(DISTINCT user_id) AS users
FROM sessions
GROUP BY utc_date(session_start), country_code
ORDER BY day, country_code NULLS LAST
