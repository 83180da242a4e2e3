-- Purpose: the credit codes that more than one acceptable row carries, with the row to keep (the
--   first, by file and row). Two narrow passes instead of a window over every wide row: first the
--   64-bit hashes seen twice (small, whatever the input), then the exact codes among those rows.
-- Needs: view classified (checked.sql).
-- Parameters: none.
-- Every acceptable row has the period of the run, so the credit code alone is the key.
CREATE OR REPLACE TEMP TABLE duplicate_hashes AS
SELECT hash(upper(clean(credit_code_raw))) AS h
FROM input_rows
WHERE nullif(clean(credit_code_raw), '') IS NOT NULL
GROUP BY 1
HAVING count(*) > 1;

CREATE OR REPLACE TEMP TABLE duplicates AS
SELECT
    credit_code,
    min(CAST(file_idx AS BIGINT) * 1099511627776 + row_no) AS first_key
FROM classified
WHERE invalid IS NULL
    AND credit_code <> ''
    AND hash(credit_code) IN (SELECT h FROM duplicate_hashes)
GROUP BY credit_code
HAVING count(*) > 1;
