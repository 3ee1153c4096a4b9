-- question: How many sessions started on each day (UTC) in each country, and from how many users? (country null: no country for the IP)
-- columns: day date, country_code text, sessions int, users int
-- source: sessions
SELECT
  CAST(session_start AS DATE) AS day,
  country_code,
  COUNT(*) AS sessions,
  COUNT(DISTINCT user_id) AS users
FROM sessions
GROUP BY CAST(session_start AS DATE), country_code
ORDER BY day, country_code NULLS LAST
