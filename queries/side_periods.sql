-- Purpose: the 报告期 texts of each --prior or --quarter-only file, to check its period.
-- Needs: view side_rows (digicons.inputs.sources).
-- Slots: side: prior or previous (a fixed allow-list, never input).
-- Parameters: none.
SELECT DISTINCT file_idx, period_raw
FROM {{side}}_rows
WHERE period_raw IS NOT NULL
