-- question: Of all sessions, how many view a page, then add to cart after that view, then purchase after that add to cart, and what are the conversion rates between steps?
-- columns: step int, event_type text, sessions int, conversion_from_previous double, conversion_from_start double
-- source: events, sessions
-- Step 0 is every session; a step counts a session when its event comes later (event_seq) than the previous step's first one.
WITH views AS (
  SELECT session_id, MIN(event_seq) AS view_seq
  FROM events
  WHERE event_type = 'page_view'
  GROUP BY session_id
),
carts AS (
  SELECT e.session_id, MIN(e.event_seq) AS cart_seq
  FROM events e
  JOIN views v ON e.session_id = v.session_id
  WHERE e.event_type = 'add_to_cart' AND e.event_seq > v.view_seq
  GROUP BY e.session_id
),
purchases AS (
  SELECT e.session_id
  FROM events e
  JOIN carts c ON e.session_id = c.session_id
  WHERE e.event_type = 'purchase' AND e.event_seq > c.cart_seq
  GROUP BY e.session_id
),
steps AS (
  SELECT 0 AS step, 'session' AS event_type, COUNT(*) AS sessions FROM sessions
  UNION ALL
  SELECT 1, 'page_view', COUNT(*) FROM views
  UNION ALL
  SELECT 2, 'add_to_cart', COUNT(*) FROM carts
  UNION ALL
  SELECT 3, 'purchase', COUNT(*) FROM purchases
)
SELECT
  step,
  event_type,
  sessions,
  CAST(sessions AS DOUBLE) / NULLIF(LAG(sessions) OVER (ORDER BY step), 0) AS conversion_from_previous,
  CAST(sessions AS DOUBLE) / NULLIF(FIRST_VALUE(sessions) OVER (ORDER BY step), 0) AS conversion_from_start
FROM steps
ORDER BY step
