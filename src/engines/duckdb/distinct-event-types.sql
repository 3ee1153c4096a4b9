-- §C6 needs the Unicode default lower-case mapping of the shared TypeScript helper (DuckDB's
-- lower() differs on a few characters): every DISTINCT trimmed event type of the valid rows
-- (row_keys.c_type) is mapped there (a few dozen values), so the per-row work is one join,
-- no lower(). The null (no type, 'unknown') is dropped by the caller.
SELECT DISTINCT c_type AS raw_type
FROM row_keys;
