-- Purpose: the rows a statistician must look at: rejected rows with their reason, and kept rows
--   with data-quality flags, in input order, with the row's original values.
-- Needs: view checked (checked.sql).
-- Parameters: none.
SELECT
    file_idx,
    row_no,
    status,
    reason,
    kept_file_idx,
    kept_row_no,
    flags,
    credit_code_raw,
    name_raw,
    industry_code_raw,
    region_raw,
    revenue_raw,
    revenue_prior_raw,
    period_raw
FROM checked
WHERE reason IS NOT NULL OR len(flags) > 0
ORDER BY file_idx, row_no
