-- docs/pipeline-spec.md §C1-§C5 as a VIEW over the input: the nine raw values (rejects are
-- written as read, §Output), the trimmed ids, the parsed UTC event time and the first
-- reject reason that applies. Nothing wide is materialised: the stages that need the raw
-- values (dedup.sql for the rejected rows and duplicated ids, write.sql for the events)
-- read the input again through this view (docs/engines.md, "Narrow keys and re-reads").
CREATE OR REPLACE VIEW cleansed AS
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

-- The first read (this is where §I2 is enforced): one narrow row per input row, with what
-- §C6/§C7 (distinct trimmed types and addresses), §C10 (duplicated ids) and the session
-- windows need. The lookup keys are null on rejected rows: only valid rows are looked up.
CREATE OR REPLACE TABLE row_keys AS
SELECT
  c_event_id,
  c_user_id,
  c_event_time,
  reject_reason IS NULL AS valid,
  CASE WHEN reject_reason IS NULL THEN spec_trim(ip_address) END AS c_ip,
  CASE WHEN reject_reason IS NULL THEN spec_trim(event_type) END AS c_type
FROM cleansed;
