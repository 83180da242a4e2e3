-- Purpose: stage 0 of measure: the distinct (file, industry code, region, period) values as read,
--   with their number of rows. digicons.measure.keys judges each once.
-- Needs: view input_rows (digicons.inputs.sources).
-- Parameters: none.
SELECT file_idx, industry_code_raw, region_raw, period_raw, count(*) AS rows
FROM input_rows
GROUP BY ALL
ORDER BY ALL NULLS FIRST
