-- The textual shapes of one raw column (every digit shown as 9, every letter kept), with
-- their row counts: the formats a reader has to accept or reject. The column is `value` of
-- the view `raw_column`; the N most frequent shapes come first, ties by shape.
SELECT
  COALESCE(regexp_replace(value, '[0-9]', '9', 'g'), '(null)') AS shape,
  COUNT(*) AS rows
FROM raw_column
GROUP BY 1
ORDER BY rows DESC, shape
LIMIT $top_n
