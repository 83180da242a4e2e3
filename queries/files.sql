-- Purpose: what each input file gave: its rows read (total rows set apart), their revenue as
--   read, its total rows with their revenue, and the figure to compare with the sum of its rows:
--   its 合计 / 总计 rows, or when it has none, the sum of its 小计 rows (each covers a group).
-- Needs: table settled (settled.sql); macros.sql.
-- Parameters: none.
WITH labelled AS (
    SELECT
        file_idx,
        rows,
        revenue,
        status,
        -- A total row is a group of its own, with its details (judged.sql gives it a row_key).
        status = 'total' AND NOT (
            subtotal_label(details.credit_code) OR subtotal_label(details.name)
            OR subtotal_label(details.industry_code) OR subtotal_label(details.region)
        ) AS grand
    FROM settled
)
SELECT
    file_idx,
    sum(rows) FILTER (WHERE status <> 'total') AS rows,
    sum(revenue) FILTER (WHERE status <> 'total') AS revenue,
    sum(rows) FILTER (WHERE status = 'total') AS total_rows,
    sum(revenue) FILTER (WHERE status = 'total') AS total_revenue,
    count(*) FILTER (WHERE grand) AS grand_rows,
    CASE WHEN bool_or(grand) THEN sum(revenue) FILTER (WHERE grand)
        ELSE sum(revenue) FILTER (WHERE status = 'total') END AS control_revenue
FROM labelled
GROUP BY file_idx
ORDER BY file_idx
