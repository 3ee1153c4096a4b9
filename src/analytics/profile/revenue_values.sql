-- Revenue of purchase rows whose text is a plain number (the spec's pattern), as doubles
-- for a histogram; malformed ones are counted by screens.sql.
SELECT CAST(trim(revenue, E' \t') AS DOUBLE) AS revenue
FROM raw
WHERE lower(trim(event_type, E' \t')) = 'purchase'
  AND regexp_full_match(trim(revenue, E' \t'), '-?[0-9]+(\.[0-9]{1,2})?')
ORDER BY revenue
