-- UTC calendar helpers of the named questions (src/analytics/queries): DuckDB's definitions.
-- ./spark.sql defines the same names with the same meaning; tests/analytics.test.ts proves the
-- answers equal and tests/queryFunctions.test.ts proves these equal to DuckDB's own casts.
-- Why not CAST(ts AS DATE) / EXTRACT(HOUR FROM ts) directly: on a TIMESTAMPTZ both go through
-- ICU's calendar for every value, which was most of the CPU of daily_active_users and
-- hourly_traffic on 10M events. A TIMESTAMPTZ holds UTC microseconds, so the UTC day and hour
-- come from the naive timestamp with the same microseconds, which core DuckDB casts without ICU.
CREATE OR REPLACE TEMP MACRO utc_date(ts) AS CAST(make_timestamp(epoch_us(ts)) AS DATE);
CREATE OR REPLACE TEMP MACRO utc_hour(ts) AS EXTRACT(HOUR FROM make_timestamp(epoch_us(ts)));
