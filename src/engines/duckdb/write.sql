-- docs/pipeline-spec.md, Output; staged Parquet for the Iceberg writer
-- (docs/iceberg.md, Writing): Iceberg physical types (TIMESTAMPTZ -> TIMESTAMP(MICROS, UTC),
-- DECIMAL, INTEGER -> int32, DOUBLE, BOOLEAN, VARCHAR -> UTF8) and Parquet field ids equal
-- to the Iceberg column ids. events is split by day partition (UTC day of
-- event_time); the partition column names the folder and is not a data
-- column (DuckDB leaves PARTITION_BY columns out of the files). sessions.sql writes the
-- sessions table the same way, from these events files.
COPY (
  SELECT
    event_id, user_id, event_time, event_type, page_url, referrer, ip_address, user_agent,
    revenue, country_code, session_id, event_seq,
    CAST(event_time AS DATE) AS event_time_day
  FROM events_out
) TO {{events_dir}} (
  FORMAT parquet,
  PARTITION_BY (event_time_day),
  FILENAME_PATTERN 'part-{i}',
  FIELD_IDS {{events_field_ids}}
);

-- Rejects: the nine raw values as read and the first reason that applies (§C2-§C5, §C10).
COPY (
  SELECT
    event_id, user_id, event_time, event_type, page_url, referrer, ip_address, user_agent,
    revenue, reject_reason
  FROM cleansed
  WHERE reject_reason IS NOT NULL
  UNION ALL
  SELECT
    event_id, user_id, event_time, event_type, page_url, referrer, ip_address, user_agent,
    revenue, 'duplicate_event_id' AS reject_reason
  FROM duplicate_losers
) TO {{rejects_file}} (
  FORMAT parquet,
  FIELD_IDS {{rejects_field_ids}}
);
