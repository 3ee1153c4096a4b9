-- §C10: among rows that passed §C2-§C5 and share an event_id, keep one. A hash aggregate
-- over the narrow keys finds the ids seen more than once.
CREATE OR REPLACE TABLE dup_ids AS
SELECT c_event_id
FROM row_keys
WHERE valid
GROUP BY c_event_id
HAVING count(*) > 1;

-- The lookup keys were only needed for the distinct queries (cleanse.ts).
ALTER TABLE row_keys DROP COLUMN c_ip;
ALTER TABLE row_keys DROP COLUMN c_type;

-- The second read of the input: the few rows whose raw values are needed besides the kept
-- events: every rejected row (§C2-§C5, written as read) and every valid row of a
-- duplicated id (ranked below; the losers are rejects too).
CREATE OR REPLACE TABLE odd_rows AS
SELECT *
FROM cleansed
WHERE reject_reason IS NOT NULL OR c_event_id IN (SELECT c_event_id FROM dup_ids);

-- The ranking. Order: earliest event_time; then the cleansed columns byte-wise (DuckDB
-- compares VARCHAR by bytes), revenue as a number, nulls first; then the nine raw values
-- byte-wise, nulls first. Rank 1 is kept, the others are `duplicate_event_id` rejects.
CREATE OR REPLACE TABLE dup_rank AS
WITH candidates AS (
  SELECT
    c.rowid AS odd_id,
    c.*,
    coalesce(m.normalized, 'unknown') AS c_event_type,
    v.ip AS c_ip_address
  FROM odd_rows AS c
  LEFT JOIN ip_valid AS v ON v.ip = spec_trim(c.ip_address)
  LEFT JOIN event_type_map AS m ON m.raw_type = spec_trim(c.event_type)
  WHERE c.reject_reason IS NULL
)
SELECT
  odd_id,
  row_number() OVER (
    PARTITION BY c_event_id
    ORDER BY
      c_event_time,
      c_user_id,
      c_event_type,
      spec_trim(page_url) NULLS FIRST,
      spec_trim(referrer) NULLS FIRST,
      c_ip_address NULLS FIRST,
      spec_trim(user_agent) NULLS FIRST,
      spec_revenue(spec_trim(revenue)) NULLS FIRST,
      event_id NULLS FIRST,
      user_id NULLS FIRST,
      event_time NULLS FIRST,
      event_type NULLS FIRST,
      page_url NULLS FIRST,
      referrer NULLS FIRST,
      ip_address NULLS FIRST,
      user_agent NULLS FIRST,
      revenue NULLS FIRST
  ) AS rn
FROM candidates;

-- The kept row of each duplicated id, with its raw values (read once more by write.sql).
CREATE OR REPLACE TABLE dup_winners AS
SELECT o.*
FROM odd_rows AS o
WHERE o.rowid IN (SELECT odd_id FROM dup_rank WHERE rn = 1);
