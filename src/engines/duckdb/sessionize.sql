-- docs/pipeline-spec.md, Sessionization. Per user, events in (event_time, event_id)
-- order; a gap strictly greater than 30 minutes (1 800 000 000 µs) starts a session.
-- The windows sort only the narrow keys (a window sorts its whole payload: sorting the
-- wide rows measured ~10x slower). The kept keys: the valid rows of ids seen once and the
-- ranked winner of each duplicated id (dedup.sql); the event id is unique among them, so
-- it is the key the events join back by (write.sql reads the wide columns again).
-- Step 1: row number and the start flag from the previous event's time.
-- Step 2: event times only grow along the order, so a session's start is the greatest
-- start time so far, and event_seq counts from the row number of that start.
CREATE OR REPLACE TABLE session_keys AS
WITH kept_keys AS (
  SELECT r.c_event_id, r.c_user_id, r.c_event_time
  FROM row_keys AS r
  ANTI JOIN dup_ids AS d ON d.c_event_id = r.c_event_id
  WHERE r.valid
  UNION ALL
  SELECT c_event_id, c_user_id, c_event_time
  FROM dup_winners
),
step AS (
  SELECT
    c_event_id,
    c_user_id,
    c_event_time,
    row_number() OVER w AS rn,
    coalesce(epoch_us(c_event_time) - epoch_us(lag(c_event_time) OVER w) > 1800000000, true)
      AS is_start
  FROM kept_keys
  WINDOW w AS (PARTITION BY c_user_id ORDER BY c_event_time, c_event_id)
)
SELECT
  c_event_id,
  max(CASE WHEN is_start THEN c_event_time END) OVER w AS session_start,
  CAST(rn - max(CASE WHEN is_start THEN rn END) OVER w + 1 AS INTEGER) AS event_seq
FROM step
WINDOW w AS (PARTITION BY c_user_id ORDER BY rn ROWS UNBOUNDED PRECEDING);

-- The narrow keys are not needed any more: free them before the write.
DROP TABLE row_keys;

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
JOIN session_keys AS s ON s.c_event_id = e.event_id;
