-- question: Which landing pages start the most sessions, and what share of those sessions bounce (one event only)? Top N by sessions.
-- columns: landing_page text, sessions int, bounces int, bounce_rate double
-- params: top_n int 10 how many landing pages
-- source: sessions
SELECT
  landing_page,
  COUNT(*) AS sessions,
  COUNT(CASE WHEN is_bounce THEN 1 END) AS bounces,
  CAST(COUNT(CASE WHEN is_bounce THEN 1 END) AS DOUBLE) / COUNT(*) AS bounce_rate
FROM sessions
GROUP BY landing_page
ORDER BY sessions DESC, landing_page ASC NULLS LAST
LIMIT $top_n
