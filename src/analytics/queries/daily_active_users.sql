-- question: How many distinct users were active on each day (UTC), and how many events did they make?
-- columns: day date, active_users int, events int
-- source: events, sessions
-- utc_date / utc_hour: src/analytics/functions (the UTC day and hour of a timestamp, per engine).
-- Users come from the sessions table (1 row per session instead of 1 per event): a session has
-- events on every UTC day from the day of session_start to the day of session_end and on no
-- other (its events are at most 30 min apart, docs/pipeline-spec.md S2 and O2), so a user is
-- active on a day exactly when one of the user's sessions covers it. Sessions that end on a
-- later day add their later days through per_day (every such day has events).
WITH per_day AS (
  SELECT utc_date(event_time) AS day, COUNT(*) AS events
  FROM events
  GROUP BY utc_date(event_time)
),
users_per_day AS (
  SELECT day, COUNT(DISTINCT user_id) AS active_users
  FROM (
    SELECT utc_date(session_start) AS day, user_id
    FROM sessions
    UNION ALL
    SELECT d.day, s.user_id
    FROM sessions s
    JOIN per_day d ON d.day > utc_date(s.session_start) AND d.day <= utc_date(s.session_end)
    WHERE utc_date(s.session_end) > utc_date(s.session_start)
  ) AS user_days
  GROUP BY day
)
SELECT p.day, u.active_users, p.events
FROM per_day p
JOIN users_per_day u ON u.day = p.day
ORDER BY p.day
