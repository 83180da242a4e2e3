-- Purpose: every input row, normalised and validated: its status (digital / not_digital /
--   rejected), the reason for a reject, its category, and its data-quality flags.
-- Needs: view input_rows (file_idx, row_no, credit_code_raw, name_raw, industry_code_raw,
--   region_raw, revenue_raw, revenue_value, revenue_prior_raw, revenue_prior_value, period_raw),
--   table class_map (class_code, section, minor, partial, pattern), macros from macros.sql.
-- Parameters: $period (the period of the tables, as '2024Q3').
-- The first acceptable row of a credit code in a period is kept; later ones are rejected.
CREATE OR REPLACE TEMP VIEW checked AS
WITH parsed AS (
    SELECT
        i.*,
        upper(clean(i.credit_code_raw)) AS credit_code,
        upper(clean(i.industry_code_raw)) AS industry_text,
        clean(i.region_raw) AS region,
        coalesce(period_key(clean(i.period_raw)), $period) AS period
    FROM input_rows AS i
),
classified AS (
    SELECT
        p.*,
        m.minor,
        m.partial,
        m.pattern,
        CASE
            WHEN p.industry_text IS NULL OR p.industry_text = '' THEN 'industry_code_missing'
            WHEN NOT regexp_full_match(p.industry_text, '[A-Z]?[0-9]{4}')
                THEN 'industry_code_malformed'
            WHEN m.class_code IS NULL THEN 'industry_code_unknown'
            WHEN length(p.industry_text) = 5 AND left(p.industry_text, 1) <> m.section
                THEN 'industry_code_section_mismatch'
            WHEN p.revenue_value IS NULL AND nullif(clean(p.revenue_raw), '') IS NULL
                THEN 'revenue_missing'
            WHEN p.revenue_value IS NULL THEN 'revenue_not_numeric'
            WHEN p.period_raw IS NOT NULL AND clean(p.period_raw) <> ''
                AND period_key(clean(p.period_raw)) IS NULL THEN 'period_unrecognised'
            WHEN p.period <> $period THEN 'period_mismatch'
        END AS invalid
    FROM parsed AS p
    LEFT JOIN class_map AS m ON m.class_code = right(p.industry_text, 4)
),
ranked AS (
    SELECT
        c.*,
        c.invalid IS NULL AND coalesce(c.credit_code, '') <> '' AS dedup,
        row_number() OVER w AS occurrence,
        first_value(c.file_idx) OVER w AS first_file_idx,
        first_value(c.row_no) OVER w AS first_row_no
    FROM classified AS c
    WINDOW w AS (
        PARTITION BY c.invalid IS NULL AND coalesce(c.credit_code, '') <> '', c.period, c.credit_code
        ORDER BY c.file_idx, c.row_no
    )
)
SELECT
    file_idx,
    row_no,
    credit_code,
    region,
    minor,
    coalesce(partial, false) AS partial,
    pattern,
    right(industry_text, 4) AS class_code,
    revenue_value AS revenue,
    revenue_prior_value AS revenue_prior,
    CASE
        WHEN invalid IS NOT NULL THEN invalid
        WHEN dedup AND occurrence > 1 THEN 'duplicate_credit_code'
    END AS reason,
    CASE WHEN dedup AND occurrence > 1 THEN first_file_idx END AS kept_file_idx,
    CASE WHEN dedup AND occurrence > 1 THEN first_row_no END AS kept_row_no,
    CASE
        WHEN invalid IS NOT NULL OR (dedup AND occurrence > 1) THEN 'rejected'
        WHEN minor IS NULL THEN 'not_digital'
        ELSE 'digital'
    END AS status,
    list_filter([
        CASE WHEN coalesce(credit_code, '') = '' THEN 'credit_code_missing'
             WHEN NOT uscc_valid(credit_code) THEN 'credit_code_check_failed' END,
        CASE WHEN revenue_value < 0 THEN 'revenue_negative' END,
        CASE WHEN nullif(clean(name_raw), '') IS NULL THEN 'name_missing' END,
        CASE WHEN $has_region AND coalesce(region, '') = '' THEN 'region_missing' END,
        CASE WHEN revenue_prior_value IS NULL AND nullif(clean(revenue_prior_raw), '') IS NOT NULL
             THEN 'revenue_prior_not_numeric' END
    ], lambda f: f IS NOT NULL) AS flags,
    credit_code_raw,
    name_raw,
    industry_code_raw,
    region_raw,
    revenue_raw,
    revenue_prior_raw,
    period_raw
FROM ranked;
