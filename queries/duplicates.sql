-- Purpose: the credit codes that more than one acceptable row carries, with the row to keep (the
--   first, by file and row). Only candidate rows (hash repeated in code_hashes) are examined.
-- Needs: macro classify_rows and view candidate_rows (classified.sql).
-- Parameters: none.
-- Every acceptable row has the period of the run, so the credit code alone is the key.
CREATE OR REPLACE TEMP TABLE duplicates AS
SELECT
    credit_code,
    min(CAST(file_idx AS BIGINT) * 1099511627776 + row_no) AS first_key
FROM classify_rows('candidate_rows')
WHERE invalid IS NULL AND credit_code <> ''
GROUP BY credit_code
HAVING count(*) > 1;
