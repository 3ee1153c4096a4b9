-- §C6 outside ASCII needs the Unicode default lower-case mapping of the shared TypeScript
-- helper (DuckDB's lower() differs on a few characters); distinct values only.
SELECT DISTINCT spec_trim(event_type) AS raw_type
FROM cleansed
WHERE reject_reason IS NULL AND NOT spec_is_ascii(spec_trim(event_type));
