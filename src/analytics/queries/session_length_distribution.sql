-- question: How are sessions distributed by length, in events and in minutes (histogram buckets)?
-- columns: measure text, bucket_from int, bucket_to int, sessions int, share double
-- source: sessions
-- A bucket holds lengths in [bucket_from, bucket_to); bucket_to null is open-ended. Minutes are duration_seconds / 60.
WITH per_session AS (
  SELECT
    CASE
      WHEN event_count < 2 THEN 1
      WHEN event_count < 3 THEN 2
      WHEN event_count < 5 THEN 3
      WHEN event_count < 9 THEN 5
      WHEN event_count < 17 THEN 9
      ELSE 17
    END AS events_from,
    CASE
      WHEN duration_seconds < 60 THEN 0
      WHEN duration_seconds < 300 THEN 1
      WHEN duration_seconds < 900 THEN 5
      WHEN duration_seconds < 1800 THEN 15
      WHEN duration_seconds < 3600 THEN 30
      ELSE 60
    END AS minutes_from
  FROM sessions
),
counts AS (
  SELECT 'events' AS measure, events_from AS bucket_from, COUNT(*) AS sessions
  FROM per_session
  GROUP BY events_from
  UNION ALL
  SELECT 'minutes' AS measure, minutes_from AS bucket_from, COUNT(*) AS sessions
  FROM per_session
  GROUP BY minutes_from
)
SELECT
  measure,
  bucket_from,
  CASE
    WHEN measure = 'events' THEN
      CASE bucket_from WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 5 WHEN 5 THEN 9 WHEN 9 THEN 17 END
    ELSE
      CASE bucket_from WHEN 0 THEN 1 WHEN 1 THEN 5 WHEN 5 THEN 15 WHEN 15 THEN 30 WHEN 30 THEN 60 END
  END AS bucket_to,
  sessions,
  CAST(sessions AS DOUBLE) / SUM(sessions) OVER (PARTITION BY measure) AS share
FROM counts
ORDER BY measure, bucket_from
