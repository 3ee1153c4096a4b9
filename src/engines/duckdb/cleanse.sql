-- docs/pipeline-spec.md §C1-§C5 in ONE pass over the input (this is where the file is
-- read). Kept per row: the nine raw values (rejects are written as read, §Output), the
-- trimmed ids, the parsed UTC event time and the first reject reason that applies.
-- The other cleansed columns are cheap to derive and are computed where they are used.
-- The rows go to a scratch Parquet file, not to an in-memory table: DuckDB does not
-- compress in-memory tables (this one was ~1.5x the CSV, and decided the run's peak
-- memory), while Parquet's dictionary and run-length encodings keep it small on disk and
-- the later stages read only the columns they need. Its file_row_number is the row's
-- identity (docs/engines.md, "Memory"). No codec on top: snappy made the file ~25 %
-- smaller but cost CPU on the write and on every read back (docs/engines.md, "Fifth pass").
COPY (
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
  FROM raw_input
) TO {{cleansed_file}} (FORMAT parquet, COMPRESSION uncompressed);

CREATE OR REPLACE VIEW cleansed AS
SELECT file_row_number AS row_id, * EXCLUDE (file_row_number)
FROM read_parquet({{cleansed_file}}, file_row_number = true);
