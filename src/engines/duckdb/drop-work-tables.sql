-- Frees the run's memory; the staged Parquet files are the result.
DROP VIEW IF EXISTS events_out;
DROP VIEW IF EXISTS enriched;
DROP VIEW IF EXISTS kept;
DROP VIEW IF EXISTS cleansed;
DROP VIEW IF EXISTS raw_input;
DROP TABLE IF EXISTS session_keys;
DROP TABLE IF EXISTS dup_winners;
DROP TABLE IF EXISTS dup_rank;
DROP TABLE IF EXISTS odd_rows;
DROP TABLE IF EXISTS dup_ids;
DROP TABLE IF EXISTS row_keys;
DROP TABLE IF EXISTS ip_country;
DROP TABLE IF EXISTS event_type_map;
DROP TABLE IF EXISTS ip_valid;
