-- docs/pipeline-spec.md, Input: a Parquet file with the same column names; every raw
-- column is read as text (a Parquet null is null). A view: cleanse reads the file once.
CREATE OR REPLACE VIEW raw_input AS
SELECT
  CAST(event_id AS VARCHAR) AS event_id,
  CAST(user_id AS VARCHAR) AS user_id,
  CAST(event_time AS VARCHAR) AS event_time,
  CAST(event_type AS VARCHAR) AS event_type,
  CAST(page_url AS VARCHAR) AS page_url,
  CAST(referrer AS VARCHAR) AS referrer,
  CAST(ip_address AS VARCHAR) AS ip_address,
  CAST(user_agent AS VARCHAR) AS user_agent,
  CAST(revenue AS VARCHAR) AS revenue
FROM read_parquet({{path}});
