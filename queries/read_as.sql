-- Purpose: the texts read that become one credit code once normalised (company by code): the code
--   itself, and every text whose mark names it.
-- Needs: table marks (digicons.measure.marks).
-- Parameters: $code (a normalised credit code).
SELECT CAST($code AS VARCHAR) AS raw
UNION
SELECT raw FROM marks WHERE code = $code
