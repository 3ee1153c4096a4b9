-- §C6 needs the Unicode default lower-case mapping of the shared TypeScript helper (DuckDB's
-- lower() differs on a few characters): every DISTINCT trimmed event type of the valid rows
-- is mapped there (a few dozen values), so the per-row work is one join, no lower(). The
-- null (no type, 'unknown') is dropped by the caller, as in distinct-ips.sql.
SELECT DISTINCT spec_trim(event_type) AS raw_type
FROM cleansed
WHERE reject_reason IS NULL;
