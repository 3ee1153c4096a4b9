-- §C7 needs the shared TypeScript validator; it runs on DISTINCT trimmed addresses only.
-- The null (no address) is dropped by the caller: a WHERE on spec_trim() would trim every
-- row a second time.
SELECT DISTINCT spec_trim(ip_address) AS ip
FROM cleansed
WHERE reject_reason IS NULL;
