-- Purpose: the rejected and flagged rows with their details, in input order, the first $limit.
-- Needs: table aggregates (aggregate.sql).
-- Parameters: $row_set (the set_id of the per-row grouping set), $limit.
SELECT status, issue
FROM aggregates
WHERE set_id = $row_set AND issue_key <> 0
ORDER BY issue_key
LIMIT $limit
