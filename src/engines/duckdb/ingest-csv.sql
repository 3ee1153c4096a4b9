-- docs/pipeline-spec.md, Input: every raw column as text, an empty field is null (a quoted
-- empty field too), values as read (no trimming). strict_mode refuses a line with the
-- wrong number of fields or an unbalanced quote, and DuckDB refuses bytes that are not
-- UTF-8; either error names the line, and ingest.ts adds the file.
-- A view, not a table: the file is read once, by the cleanse stage's single pass.
CREATE OR REPLACE VIEW raw_input AS
SELECT event_id, user_id, event_time, event_type, page_url, referrer, ip_address, user_agent, revenue
FROM read_csv(
  {{path}},
  header = true,
  delim = ',',
  quote = '"',
  escape = '"',
  auto_detect = false,
  strict_mode = true,
  columns = {{columns}}
);
