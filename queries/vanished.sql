-- Purpose: how the enterprises of the --prior / --quarter-only files were found here: how many
--   (and their revenue there) no current row has at all, and how many only rejected rows have.
--   A code that does not repeat is one enterprise per matched row; a repeated code is counted once.
--   And how many rows of the side files repeat a credit code (the first of them is used).
-- Needs: tables side_by_code (by_code.sql), settled (settled.sql).
-- Slots: side: prior or previous (a fixed allow-list, never input).
-- Parameters: none.
WITH single AS (
    SELECT
        sum(side_found) AS present,
        sum(side_revenue) AS present_revenue,
        sum(side_found) FILTER (WHERE status = 'rejected') AS rejected
    FROM settled
    WHERE code IS NULL
),
repeated AS (
    SELECT
        code,
        max(side_revenue) AS side_revenue,
        bool_and(status = 'rejected') AS all_rejected
    FROM settled
    WHERE code IS NOT NULL
    GROUP BY code
    HAVING max(side_found) > 0
),
side AS (
    SELECT count(*) AS enterprises, sum(revenue) AS revenue, sum(rows - 1) AS repeated_rows
    FROM {{side}}_by_code
)
SELECT
    side.enterprises - coalesce(single.present, 0) - (SELECT count(*) FROM repeated)
        AS vanished_enterprises,
    coalesce(side.revenue, 0) - coalesce(single.present_revenue, 0)
        - coalesce((SELECT sum(side_revenue) FROM repeated), 0) AS vanished_revenue,
    coalesce(single.rejected, 0) + (SELECT count(*) FROM repeated WHERE all_rejected)
        AS rejected_enterprises,
    coalesce(side.repeated_rows, 0) AS repeated_rows
FROM side, single
