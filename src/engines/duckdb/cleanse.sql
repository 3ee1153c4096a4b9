-- docs/pipeline-spec.md §C1-§C5 in ONE pass over the input (this is where the file is
-- read). Kept per row: the nine raw values (rejects are written as read, §Output), the
-- trimmed ids, the parsed UTC event time and the first reject reason that applies.
-- The other cleansed columns are cheap to derive and are computed where they are used.
CREATE OR REPLACE TABLE cleansed AS
SELECT
  event_id, user_id, event_time, event_type, page_url, referrer, ip_address, user_agent, revenue,
  spec_trim(event_id) AS c_event_id,
  spec_trim(user_id) AS c_user_id,
  spec_event_time(spec_trim(event_time)) AS c_event_time,
  CASE
    WHEN c_event_id IS NULL THEN 'missing_event_id'
    WHEN c_user_id IS NULL THEN 'missing_user_id'
    WHEN spec_trim(event_time) IS NULL THEN 'missing_event_time'
    WHEN c_event_time IS NULL THEN 'invalid_event_time'
  END AS reject_reason
FROM raw_input;
