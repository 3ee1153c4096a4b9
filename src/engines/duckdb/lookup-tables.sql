-- Filled by the TypeScript side through appenders (cleanse.ts, enrich.ts).
CREATE OR REPLACE TABLE ip_valid (ip VARCHAR NOT NULL);
CREATE OR REPLACE TABLE event_type_map (raw_type VARCHAR NOT NULL, normalized VARCHAR NOT NULL);
CREATE OR REPLACE TABLE ip_country (ip VARCHAR NOT NULL, country_code VARCHAR);
