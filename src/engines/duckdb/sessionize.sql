-- docs/pipeline-spec.md, Sessionization. Per user, events in (event_time, event_id)
-- order; a gap strictly greater than 30 minutes (1 800 000 000 µs) starts a session.
-- The windows sort only the four narrow key columns (a window sorts its whole payload:
-- sorting the wide rows measured ~10x slower); the wide columns join back by row_id.
-- Step 1: row number and the start flag from the previous event's time.
-- Step 2: event times only grow along the order, so a session's start is the greatest
-- start time so far, and event_seq counts from the row number of that start.
CREATE OR REPLACE TABLE session_keys AS
WITH step AS (
  SELECT
    row_id,
    c_user_id,
    c_event_time,
    row_number() OVER w AS rn,
    coalesce(epoch_us(c_event_time) - epoch_us(lag(c_event_time) OVER w) > 1800000000, true)
      AS is_start
  FROM kept
  WINDOW w AS (PARTITION BY c_user_id ORDER BY c_event_time, c_event_id)
)
SELECT
  row_id,
  max(CASE WHEN is_start THEN c_event_time END) OVER w AS session_start,
  CAST(rn - max(CASE WHEN is_start THEN rn END) OVER w + 1 AS INTEGER) AS event_seq
FROM step
WINDOW w AS (PARTITION BY c_user_id ORDER BY rn ROWS UNBOUNDED PRECEDING);

-- The events table (§O1), as a view read once by write.sql.
CREATE OR REPLACE VIEW events_out AS
SELECT
  e.event_id,
  e.user_id,
  e.event_time,
  e.event_type,
  e.page_url,
  e.referrer,
  e.ip_address,
  e.user_agent,
  e.revenue,
  e.country_code,
  -- §S3: md5 of `user_id|session_start` in whole microseconds.
  md5(e.user_id || '|' || CAST(epoch_us(s.session_start) AS VARCHAR)) AS session_id,
  s.event_seq
FROM enriched AS e
JOIN session_keys AS s USING (row_id);
