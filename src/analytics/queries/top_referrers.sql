-- question: Which referrers (of a session's first event; null = direct) bring the most sessions, and which the most revenue? Rows in either top N.
-- columns: referrer text, sessions int, purchasing_sessions int, revenue decimal, sessions_rank int, revenue_rank int
-- params: top_n int 10 how many referrers in each ranking
-- source: events, sessions
WITH landing AS (
  SELECT session_id, referrer
  FROM events
  WHERE event_seq = 1
),
per_referrer AS (
  SELECT
    l.referrer,
    COUNT(*) AS sessions,
    COUNT(CASE WHEN s.purchase_count > 0 THEN 1 END) AS purchasing_sessions,
    SUM(s.revenue_total) AS revenue
  FROM sessions s
  JOIN landing l ON l.session_id = s.session_id
  GROUP BY l.referrer
),
ranked AS (
  SELECT
    referrer,
    sessions,
    purchasing_sessions,
    revenue,
    ROW_NUMBER() OVER (ORDER BY sessions DESC, referrer ASC NULLS FIRST) AS sessions_rank,
    ROW_NUMBER() OVER (ORDER BY revenue DESC, referrer ASC NULLS FIRST) AS revenue_rank
  FROM per_referrer
)
SELECT referrer, sessions, purchasing_sessions, revenue, sessions_rank, revenue_rank
FROM ranked
WHERE sessions_rank <= $top_n OR revenue_rank <= $top_n
ORDER BY sessions_rank
