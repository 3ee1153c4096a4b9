-- Dirty-data screens over the view `raw`: SQL approximations of the spec's rules (the exact
-- rule outcome is the pipeline's rejects table). One row per screen: matched rows and the
-- rows it is a rate of.
WITH t AS (
  SELECT
    trim(event_id, E' \t') AS event_id,
    trim(user_id, E' \t') AS user_id,
    trim(event_time, E' \t') AS event_time,
    event_type,
    lower(trim(event_type, E' \t')) AS event_type_norm,
    trim(ip_address, E' \t') AS ip_address,
    trim(revenue, E' \t') AS revenue
  FROM raw
)
SELECT 'missingEventId' AS screen, COUNT(CASE WHEN COALESCE(event_id, '') = '' THEN 1 END) AS matched, COUNT(*) AS of_rows FROM t
UNION ALL
SELECT 'missingUserId', COUNT(CASE WHEN COALESCE(user_id, '') = '' THEN 1 END), COUNT(*) FROM t
UNION ALL
SELECT 'missingEventTime', COUNT(CASE WHEN COALESCE(event_time, '') = '' THEN 1 END), COUNT(*) FROM t
UNION ALL
SELECT 'invalidEventTime',
  COUNT(CASE WHEN COALESCE(event_time, '') <> '' AND NOT regexp_full_match(event_time,
    '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?(Z|[+-](0[0-9]|1[0-8]):[0-5][0-9])?')
    THEN 1 END), COUNT(*) FROM t
UNION ALL
SELECT 'duplicate', COUNT(event_id) - COUNT(DISTINCT event_id), COUNT(*) FROM t WHERE COALESCE(event_id, '') <> ''
UNION ALL
SELECT 'eventTypeCase', COUNT(CASE WHEN event_type_norm <> '' AND event_type <> event_type_norm THEN 1 END), COUNT(*) FROM t
UNION ALL
SELECT 'missingEventType', COUNT(CASE WHEN COALESCE(event_type_norm, '') = '' THEN 1 END), COUNT(*) FROM t
UNION ALL
SELECT 'missingIp', COUNT(CASE WHEN COALESCE(ip_address, '') = '' THEN 1 END), COUNT(*) FROM t
UNION ALL
SELECT 'malformedIp',
  COUNT(CASE WHEN COALESCE(ip_address, '') <> ''
    AND NOT regexp_full_match(ip_address, '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])')
    AND NOT regexp_full_match(ip_address, '[0-9a-fA-F:]*:[0-9a-fA-F:]*') THEN 1 END), COUNT(*) FROM t
UNION ALL
SELECT 'badRevenue',
  COUNT(CASE WHEN COALESCE(revenue, '') <> '' AND NOT regexp_full_match(revenue, '-?[0-9]+(\.[0-9]{1,2})?') THEN 1 END),
  COUNT(*)
FROM t WHERE event_type_norm = 'purchase'
