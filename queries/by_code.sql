-- Purpose: one row per credit code of the --prior (last year's) or --quarter-only (previous
--   cumulative quarter) files: the first row with a code and a numeric revenue, and how many
--   such rows the code has (a repeated code is said, vanished.sql); total rows (合计) left out.
--   Codes are normalised as in the current files (the side's own marks, digicons.measure.marks).
-- Needs: view side_rows (digicons.inputs.sources), table side_marks; macros.sql.
-- Slots: side: prior or previous (a fixed allow-list, never input); row_key_file
--   (digicons.measure.assemble.ROW_KEY_FILE).
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE {{side}}_by_code AS
WITH coded AS (
    SELECT
        coalesce(m.code, i.credit_code_raw) AS credit_code,
        i.credit_code_raw,
        CAST(i.file_idx AS BIGINT) * {{row_key_file}} + i.row_no AS row_key,
        i.revenue_value,
        i.revenue_prior_value
    FROM {{side}}_rows AS i
    LEFT JOIN {{side}}_marks AS m ON mark_applies(m.h, m.raw, i.credit_code_raw)
)
SELECT
    credit_code,
    arg_min(revenue_value, row_key) AS revenue,
    arg_min(revenue_prior_value, row_key) AS revenue_prior,
    count(*) AS rows
FROM coded
WHERE coalesce(credit_code, '') <> '' AND revenue_value IS NOT NULL
    -- A total row (合计 in the credit-code column, as judged.sql tells) is no enterprise.
    AND NOT total_code(credit_code, credit_code_raw)
GROUP BY credit_code;
