-- The kept rows (§C2-§C5 passed, §C10 losers removed) with every cleansed column
-- (§C6-§C9) and the country (Enrichment). Views: nothing is materialised here; the joins
-- against the small lookup tables run inside the passes that read them (sessions, write).
-- ip_country holds exactly the valid addresses (§C7), so an invalid one joins to null;
-- event_type_map holds every trimmed event type of the valid rows (§C6), a null one joins
-- to null and becomes 'unknown'.
CREATE OR REPLACE VIEW kept AS
SELECT c.*
FROM cleansed AS c
WHERE c.reject_reason IS NULL
  AND c.row_id NOT IN (SELECT row_id FROM duplicate_losers);

CREATE OR REPLACE VIEW enriched AS
SELECT
  k.row_id,
  k.c_event_id AS event_id,
  k.c_user_id AS user_id,
  k.c_event_time AS event_time,
  coalesce(m.normalized, 'unknown') AS event_type,
  spec_trim(k.page_url) AS page_url,
  spec_trim(k.referrer) AS referrer,
  g.ip AS ip_address,
  spec_trim(k.user_agent) AS user_agent,
  spec_revenue(spec_trim(k.revenue)) AS revenue,
  g.country_code AS country_code
FROM kept AS k
LEFT JOIN ip_country AS g ON g.ip = spec_trim(k.ip_address)
LEFT JOIN event_type_map AS m ON m.raw_type = spec_trim(k.event_type);
