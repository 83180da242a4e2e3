-- Purpose: what one narrow pass over the credit codes can tell, kept only where it matters: the
--   64-bit hashes of codes seen more than once (candidates for duplicates.sql) and of codes that
--   fail the GB 32100-2015 check digit. Small whatever the input; computing the check here, in a
--   simple pipeline, costs far less than in the wide main pass.
-- Needs: view input_rows; function uscc_valid.
-- Parameters: none.
-- A hash collision could at worst flag a valid code (a flag, not a reject): odds about 1e-19 a row.
CREATE OR REPLACE TEMP TABLE code_hashes AS
SELECT
    hash(code) AS h,
    count(*) > 1 AS repeated,
    bool_or(NOT uscc_valid(code)) AS check_failed
FROM (SELECT upper(clean(credit_code_raw)) AS code FROM input_rows) AS codes
WHERE code <> ''
GROUP BY 1
HAVING count(*) > 1 OR bool_or(NOT uscc_valid(code));
