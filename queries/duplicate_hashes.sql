-- Purpose: the 64-bit hashes of credit codes seen more than once (a small table, whatever the
--   input): the candidates for duplicates.sql. A narrow pass instead of a window over wide rows.
-- Needs: view input_rows.
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE duplicate_hashes AS
SELECT hash(upper(clean(credit_code_raw))) AS h
FROM input_rows
GROUP BY 1
HAVING count(*) > 1;

