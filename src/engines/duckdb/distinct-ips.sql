-- §C7 needs the shared TypeScript validator; it runs on DISTINCT trimmed addresses only.
SELECT DISTINCT spec_trim(ip_address) AS ip
FROM cleansed
WHERE reject_reason IS NULL AND spec_trim(ip_address) IS NOT NULL;
