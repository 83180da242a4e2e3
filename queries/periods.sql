-- Purpose: the distinct periods named by the 报告期 column, when --period is not given.
-- Needs: view input_rows; macros of macros.sql.
-- Parameters: none.
SELECT DISTINCT period_key(clean(period_raw))
FROM input_rows
WHERE NOT blank(period_raw)
