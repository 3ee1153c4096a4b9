-- Row-level rules of docs/pipeline-spec.md as DuckDB macros (inlined by the planner, so
-- they cost nothing over writing the expressions out). Loaded once per connection.

-- §C1: trim space, tab, CR and LF only; empty is null. Most values need no trimming:
-- prefix/suffix LIKE tests are memcmp-cheap, while trim()/rtrim()/right() walk the whole
-- UTF-8 string (measured 5-7x slower on user agents), so trim() only runs when needed.
CREATE OR REPLACE MACRO spec_trim(s) AS
  CASE
    WHEN ascii(s) IN (32, 9, 10, 13)
      OR s LIKE '% ' OR s LIKE E'%\t' OR s LIKE E'%\r' OR s LIKE E'%\n'
      THEN nullif(trim(s, E' \t\r\n'), '')
    ELSE nullif(s, '')
  END;

-- §C5, the whole grammar in one RE2 pattern, ranges included (hour 00-23, minute and
-- second 00-59, offset 00:00-18:59). Measured cheaper than a GLOB "fast path" for the
-- common forms followed by the pattern for the rest, so there is one path.
-- DuckDB's cast then checks the calendar (month, day of month, leap years) and applies
-- the offset; it is lenient about shape, which the pattern makes strict.
-- No zone means UTC: the connection's TimeZone is UTC (see DuckDbEngine.open).
CREATE OR REPLACE MACRO spec_event_time(t) AS
  CASE
    WHEN regexp_full_match(
      t,
      '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?(Z|[+-](0[0-9]|1[0-8]):[0-5][0-9])?'
    )
      THEN try_cast(t AS TIMESTAMPTZ)
  END;

-- §C8: the spec's pattern verbatim; the cast cannot round because at most 2 decimals pass.
CREATE OR REPLACE MACRO spec_revenue(r) AS
  CASE WHEN regexp_full_match(r, '-?[0-9]{1,10}(\.[0-9]{1,2})?') THEN CAST(r AS DECIMAL(12, 2)) END;
