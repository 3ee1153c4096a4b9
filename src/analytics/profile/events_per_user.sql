-- How many raw rows each (trimmed, non-blank) user_id has: the distribution of activity.
SELECT events, COUNT(*) AS users
FROM (
  SELECT COUNT(*) AS events
  FROM raw
  WHERE trim(user_id, E' \t') <> ''
  GROUP BY trim(user_id, E' \t')
)
GROUP BY events
ORDER BY events
