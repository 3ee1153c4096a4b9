-- question: Which referrers (of a session's first event; null = direct) bring the most sessions, and which the most revenue? Rows in either top N.
-- columns: referrer text, sessions int, purchasing_sessions int, revenue decimal, sessions_rank int, revenue_rank int
-- params: top_n int 10 how many referrers in each ranking
-- source: events, sessions
-- Every session has exactly one first event (event_seq = 1), so sessions are counted on those
-- events; only sessions with a purchase or a non-zero revenue_total (never null: 0.00 when
-- none) can change purchasing_sessions or revenue, so only they are looked up on session_id.
WITH landing AS (
  SELECT session_id, referrer
  FROM events
  WHERE event_seq = 1
),
buying AS (
  SELECT session_id, purchase_count, revenue_total
  FROM sessions
  WHERE purchase_count > 0 OR revenue_total <> 0
),
per_referrer AS (
  SELECT
    l.referrer,
    COUNT(*) AS sessions,
    COUNT(CASE WHEN b.purchase_count > 0 THEN 1 END) AS purchasing_sessions,
    COALESCE(SUM(b.revenue_total), 0) AS revenue
  FROM landing l
  LEFT JOIN buying b ON b.session_id = l.session_id
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
