-- docs/pipeline-spec.md, Input: a Parquet file with the same column names; every raw
-- column is read as text; a Parquet null and empty text are both null (§I4), also in
-- rejects. A view: cleanse reads the file once.
CREATE OR REPLACE VIEW raw_input AS
SELECT
  nullif(CAST(event_id AS VARCHAR), '') AS event_id,
  nullif(CAST(user_id AS VARCHAR), '') AS user_id,
  nullif(CAST(event_time AS VARCHAR), '') AS event_time,
  nullif(CAST(event_type AS VARCHAR), '') AS event_type,
  nullif(CAST(page_url AS VARCHAR), '') AS page_url,
  nullif(CAST(referrer AS VARCHAR), '') AS referrer,
  nullif(CAST(ip_address AS VARCHAR), '') AS ip_address,
  nullif(CAST(user_agent AS VARCHAR), '') AS user_agent,
  nullif(CAST(revenue AS VARCHAR), '') AS revenue
FROM read_parquet({{path}});
