-- Purpose: one row per credit code of the --prior (last year's) or --quarter-only (previous
--   cumulative quarter) files: the first row with a code and a numeric revenue.
-- Needs: view {side}_rows (digicons.sources.create_rows_view); macros of macros.sql.
-- Parameters: none. {side} is replaced by `prior` or `previous` (a fixed allow-list, never input).
CREATE OR REPLACE TEMP TABLE {side}_by_code AS
SELECT
    upper(clean(credit_code_raw)) AS credit_code,
    arg_min(revenue_value, CAST(file_idx AS BIGINT) * 1099511627776 + row_no) AS revenue,
    arg_min(revenue_prior_value, CAST(file_idx AS BIGINT) * 1099511627776 + row_no) AS revenue_prior
FROM {side}_rows
WHERE NOT blank(credit_code_raw) AND revenue_value IS NOT NULL
GROUP BY 1;
