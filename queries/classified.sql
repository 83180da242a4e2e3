-- Purpose: every input row normalised, joined to its prior / previous values, validated and
--   classified: its category, and why it cannot be used (`invalid`), if it cannot.
-- Needs: view input_rows (file_idx, row_no, credit_code_raw, name_raw, industry_code_raw,
--   region_raw, revenue_raw, revenue_value, revenue_prior_raw, revenue_prior_value, period_raw);
--   tables class_map (class_code, section, minor, partial, pattern), run_settings (period,
--   period_label, has_region, prior_from_files, quarter_only, partial_mode, region_level),
--   prior_by_code and previous_by_code (credit_code, revenue, revenue_prior), code_hashes
--   (code_hashes.sql); macros.sql.
-- Parameters: none (run_settings holds the bound values of this run).
-- Most rows take the cheap branch of every CASE; the costly checks run only where needed.
-- A table macro over a view of input rows, so that duplicates.sql can classify only the rows
-- whose credit code repeats (candidate_rows), filtered right at the scan.
CREATE OR REPLACE TEMP MACRO classify_rows(source) AS TABLE
WITH cleaned AS (
    SELECT
        i.*,
        upper(clean(i.credit_code_raw)) AS credit_code,
        upper(clean(i.industry_code_raw)) AS industry_text,
        clean(i.region_raw) AS region,
        clean(i.period_raw) AS period_text,
        s.period AS wanted_period,
        s.period_label AS wanted_label,
        s.has_region,
        s.prior_from_files,
        s.quarter_only,
        s.partial_mode,
        s.region_level
    FROM query_table(source) AS i, run_settings AS s
),
joined AS (
    SELECT
        c.*,
        -- --prior files replace the 上年同期 column; --quarter-only subtracts the previous
        -- cumulative quarter (an enterprise missing there contributes its whole cumulative value).
        CASE
            WHEN c.quarter_only THEN c.revenue_value - coalesce(pv.revenue, 0)
            ELSE c.revenue_value
        END AS revenue,
        CASE
            WHEN c.prior_from_files THEN pr.revenue
            WHEN c.quarter_only THEN c.revenue_prior_value - coalesce(pv.revenue_prior, 0)
            ELSE c.revenue_prior_value
        END AS revenue_prior,
        c.prior_from_files AND pr.credit_code IS NULL AS prior_missing,
        c.quarter_only AND pv.credit_code IS NULL AS previous_missing,
        coalesce(ch.check_failed, false) AS check_failed,
        CASE
            WHEN c.period_text IS NULL OR c.period_text = '' THEN c.wanted_period
            WHEN c.period_text IN (c.wanted_period, c.wanted_label) THEN c.wanted_period
            ELSE period_key(c.period_text)
        END AS period
    FROM cleaned AS c
    LEFT JOIN prior_by_code AS pr ON pr.credit_code = c.credit_code
    LEFT JOIN previous_by_code AS pv ON pv.credit_code = c.credit_code
    LEFT JOIN code_hashes AS ch ON ch.h = hash(c.credit_code)
)
SELECT
    p.*,
    m.minor,
    coalesce(m.partial, false) AS partial,
    CASE
        WHEN p.industry_text IS NULL OR p.industry_text = '' THEN 'industry_code_missing'
        WHEN m.class_code IS NULL AND NOT regexp_full_match(p.industry_text, '[A-Z]?[0-9]{4}')
            THEN 'industry_code_malformed'
        WHEN m.class_code IS NULL THEN 'industry_code_unknown'
        WHEN length(p.industry_text) <> 4 AND left(p.industry_text, 1) <> m.section
            THEN 'industry_code_section_mismatch'
        WHEN p.revenue_value IS NULL AND blank(p.revenue_raw)
            THEN 'revenue_missing'
        WHEN p.revenue_value IS NULL THEN 'revenue_not_numeric'
        WHEN p.period IS NULL THEN 'period_unrecognised'
        WHEN p.period <> p.wanted_period THEN 'period_mismatch'
    END AS invalid,
    m.class_code
FROM joined AS p
-- A class code is 4 digits, optionally after its section letter: I6422.
LEFT JOIN class_map AS m
    ON m.class_code = CASE
        WHEN length(p.industry_text) = 4 THEN p.industry_text
        WHEN length(p.industry_text) = 5 AND regexp_full_match(p.industry_text, '[A-Z][0-9]{4}')
            THEN right(p.industry_text, 4)
    END;

CREATE OR REPLACE TEMP VIEW classified AS SELECT * FROM classify_rows('input_rows');

CREATE OR REPLACE TEMP VIEW candidate_rows AS
SELECT i.*
FROM input_rows AS i
SEMI JOIN (SELECT h FROM code_hashes WHERE repeated) AS c
    ON c.h = hash(upper(clean(i.credit_code_raw)));
