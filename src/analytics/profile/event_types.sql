-- Raw event_type values as the pipeline will read them (trimmed, lower-cased; empty = null)
-- and how many raw spellings fold into each.
SELECT
  NULLIF(lower(trim(event_type, E' \t')), '') AS event_type,
  COUNT(*) AS rows,
  COUNT(DISTINCT event_type) AS raw_spellings
FROM raw
GROUP BY 1
ORDER BY rows DESC, event_type NULLS LAST
