-- Purpose: every credit code of the --partial list file, and whether a counted row of a partial
--   (*) industry has it (not: the enterprise is in another industry, its rows were rejected, or it
--   is in no input; the list names enterprises the tables do not count, which a reader must know).
-- Needs: tables partial_list (digicons.measure.pipeline), settled (settled.sql, flag list).
-- Parameters: none.
WITH found AS (
    SELECT DISTINCT unnest(listed_codes) AS credit_code
    FROM settled
    WHERE partial AND status = 'digital'
)
SELECT l.credit_code, f.credit_code IS NOT NULL AS found
FROM partial_list AS l
LEFT JOIN found AS f ON f.credit_code = l.credit_code
ORDER BY l.credit_code;
