-- Purpose: what each input file gave: its rows read (total rows set apart), their revenue as
--   read, and its total rows (合计) with their revenue, to compare with the sum of its rows.
-- Needs: table settled (settled.sql).
-- Parameters: none.
SELECT
    file_idx,
    sum(rows) FILTER (WHERE status <> 'total') AS rows,
    sum(revenue) FILTER (WHERE status <> 'total') AS revenue,
    sum(rows) FILTER (WHERE status = 'total') AS total_rows,
    sum(revenue) FILTER (WHERE status = 'total') AS total_revenue
FROM settled
GROUP BY file_idx
ORDER BY file_idx
