-- §C10: among rows that passed §C2-§C5 and share an event_id, keep one. Only ids that
-- occur more than once are ranked (a hash aggregate finds them), so the ordering below
-- sorts a handful of rows, not the whole input. Order: earliest event_time; then the
-- cleansed columns byte-wise (DuckDB compares VARCHAR by bytes), revenue as a number,
-- nulls first; then the nine raw values byte-wise, nulls first.
-- The losers keep their nine raw values: they are rejects (§O3), and write.sql takes them
-- from here instead of scanning every row of `cleansed` again for a few (docs/engines.md,
-- "Fifth pass").
CREATE OR REPLACE TABLE duplicate_losers AS
WITH dup_ids AS (
  SELECT c_event_id
  FROM cleansed
  WHERE reject_reason IS NULL
  GROUP BY c_event_id
  HAVING count(*) > 1
),
candidates AS (
  SELECT
    c.*,
    coalesce(m.normalized, 'unknown') AS c_event_type,
    v.ip AS c_ip_address
  FROM cleansed AS c
  LEFT JOIN ip_valid AS v ON v.ip = spec_trim(c.ip_address)
  LEFT JOIN event_type_map AS m ON m.raw_type = spec_trim(c.event_type)
  WHERE c.reject_reason IS NULL AND c.c_event_id IN (SELECT c_event_id FROM dup_ids)
)
SELECT row_id, event_id, user_id, event_time, event_type, page_url, referrer, ip_address, user_agent, revenue
FROM candidates
QUALIFY row_number() OVER (
  PARTITION BY c_event_id
  ORDER BY
    c_event_time,
    c_user_id,
    c_event_type,
    spec_trim(page_url) NULLS FIRST,
    spec_trim(referrer) NULLS FIRST,
    c_ip_address NULLS FIRST,
    spec_trim(user_agent) NULLS FIRST,
    spec_revenue(spec_trim(revenue)) NULLS FIRST,
    event_id NULLS FIRST,
    user_id NULLS FIRST,
    event_time NULLS FIRST,
    event_type NULLS FIRST,
    page_url NULLS FIRST,
    referrer NULLS FIRST,
    ip_address NULLS FIRST,
    user_agent NULLS FIRST,
    revenue NULLS FIRST
) > 1;
