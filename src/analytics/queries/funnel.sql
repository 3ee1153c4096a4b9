-- question: Of all sessions, how many view a page, then add to cart after that view, then purchase after that add to cart, and what are the conversion rates between steps?
-- columns: step int, event_type text, sessions int, conversion_from_previous double, conversion_from_start double
-- source: events, sessions
-- Step 0 is every session; a step counts a session when its event comes later (event_seq) than the previous step's first one.
-- Steps 0 and 1 come from the sessions table (page_view_count: docs/pipeline-spec.md O2).
-- Steps 2 and 3 read the add_to_cart and purchase events, plus each session's first event when
-- it is not a page view. A session whose first event (event_seq 1) is a page view has its
-- first view at 1, so its first add_to_cart after the view is its first add_to_cart (cart_min).
-- Only the few other sessions with an add_to_cart (first_seq = 1) need their page views read
-- (late): first view, then the first add_to_cart after it.
WITH marks AS (
  SELECT
    session_id,
    MIN(event_seq) AS first_seq,
    MIN(CASE WHEN event_type = 'add_to_cart' THEN event_seq END) AS cart_min,
    MAX(CASE WHEN event_type = 'purchase' THEN event_seq END) AS purchase_max
  FROM events
  WHERE event_type IN ('add_to_cart', 'purchase') OR (event_seq = 1 AND event_type <> 'page_view')
  GROUP BY session_id
),
late AS (
  SELECT e.session_id, e.event_type, e.event_seq
  FROM events e
  JOIN marks m ON m.session_id = e.session_id
  WHERE m.first_seq = 1 AND m.cart_min IS NOT NULL AND e.event_type IN ('page_view', 'add_to_cart')
),
late_views AS (
  SELECT session_id, MIN(event_seq) AS view_seq
  FROM late
  WHERE event_type = 'page_view'
  GROUP BY session_id
),
late_carts AS (
  SELECT l.session_id, MIN(l.event_seq) AS cart_seq
  FROM late l
  JOIN late_views v ON v.session_id = l.session_id
  WHERE l.event_type = 'add_to_cart' AND l.event_seq > v.view_seq
  GROUP BY l.session_id
),
carts AS (
  SELECT
    CASE WHEN m.first_seq > 1 THEN m.cart_min ELSE l.cart_seq END AS cart_seq,
    m.purchase_max
  FROM marks m
  LEFT JOIN late_carts l ON l.session_id = m.session_id
  WHERE m.cart_min IS NOT NULL
),
steps AS (
  SELECT 0 AS step, 'session' AS event_type, COUNT(*) AS sessions FROM sessions
  UNION ALL
  SELECT 1, 'page_view', COUNT(CASE WHEN page_view_count > 0 THEN 1 END) FROM sessions
  UNION ALL
  SELECT 2, 'add_to_cart', COUNT(cart_seq) FROM carts
  UNION ALL
  SELECT 3, 'purchase', COUNT(CASE WHEN purchase_max > cart_seq THEN 1 END) FROM carts
)
SELECT
  step,
  event_type,
  sessions,
  CAST(sessions AS DOUBLE) / NULLIF(LAG(sessions) OVER (ORDER BY step), 0) AS conversion_from_previous,
  CAST(sessions AS DOUBLE) / NULLIF(FIRST_VALUE(sessions) OVER (ORDER BY step), 0) AS conversion_from_start
FROM steps
ORDER BY step
