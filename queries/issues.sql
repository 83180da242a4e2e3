-- Purpose: the rejected and flagged rows with their details, in input order, the first $limit.
-- Needs: table settled (settled.sql).
-- Parameters: $limit.
SELECT status, reason, kept_key, flag_bits, details
FROM settled
WHERE row_key <> 0 AND status <> 'total' AND (reason IS NOT NULL OR flag_bits <> 0)
ORDER BY row_key
LIMIT $limit
