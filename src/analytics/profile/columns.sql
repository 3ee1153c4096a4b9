-- Per raw column: rows, nulls (empty), blank (whitespace only), padded (leading/trailing
-- whitespace around text), distinct values (approximate) and the longest value in characters.
-- The input is the view `raw` (every column text).
WITH long AS (
  SELECT * FROM raw UNPIVOT INCLUDE NULLS (value FOR column_name IN (COLUMNS(*)))
)
SELECT
  column_name,
  COUNT(*) AS rows,
  COUNT(*) - COUNT(value) AS nulls,
  COUNT(CASE WHEN value IS NOT NULL AND trim(value, E' \t') = '' THEN 1 END) AS blank,
  COUNT(CASE WHEN trim(value, E' \t') <> '' AND trim(value, E' \t') <> value THEN 1 END) AS padded,
  approx_count_distinct(value) AS distinct_approx,
  MAX(length(value)) AS max_length
FROM long
GROUP BY column_name
