-- Frees the run's memory; the staged Parquet files are the result.
DROP VIEW IF EXISTS enriched;
DROP VIEW IF EXISTS raw_input;
DROP VIEW IF EXISTS events_out;
DROP VIEW IF EXISTS kept;
DROP TABLE IF EXISTS session_keys;
DROP TABLE IF EXISTS duplicate_losers;
DROP TABLE IF EXISTS ip_country;
DROP TABLE IF EXISTS event_type_map;
DROP TABLE IF EXISTS ip_valid;
DROP VIEW IF EXISTS cleansed;
