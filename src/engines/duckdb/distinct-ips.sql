-- §C7 needs the shared TypeScript validator; it runs on DISTINCT trimmed addresses only
-- (row_keys.c_ip is the trimmed address of a valid row). The null is dropped by the caller.
SELECT DISTINCT c_ip AS ip
FROM row_keys;
