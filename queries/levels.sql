-- Purpose: every published level from the aggregates table, without the one group per listed row.
-- Needs: table aggregates (aggregate.sql).
-- Parameters: $row_set (the set_id of the per-row grouping set).
SELECT * FROM aggregates WHERE set_id <> $row_set
