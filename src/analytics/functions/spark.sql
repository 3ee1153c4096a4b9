-- UTC calendar helpers of the named questions (src/analytics/queries): Spark SQL's definitions,
-- the plain casts in the UTC session (etl_spark/session.py sets spark.sql.session.timeZone).
-- ./duckdb.sql defines the same names with the same meaning (read there why DuckDB differs).
CREATE OR REPLACE TEMPORARY FUNCTION utc_date(ts TIMESTAMP) RETURNS DATE RETURN CAST(ts AS DATE);
CREATE OR REPLACE TEMPORARY FUNCTION utc_hour(ts TIMESTAMP) RETURNS INT RETURN EXTRACT(HOUR FROM ts);
