-- Purpose: the values of this run that the queries read, as a one-row table (views cannot take
--   bound parameters, tables can be filled with them).
-- Needs: nothing.
-- Parameters: $period ('2024Q3'), $label ('2024年1-3季度'), $has_region, $prior (from --prior
--   files), $quarter (--quarter-only), $partial (full / exclude / shares / list), $level
--   (province / city / county).
CREATE OR REPLACE TEMP TABLE run_settings AS
SELECT
    $period AS period,
    $label AS period_label,
    $has_region AS has_region,
    $prior AS prior_from_files,
    $quarter AS quarter_only,
    $partial AS partial_mode,
    $level AS region_level;
