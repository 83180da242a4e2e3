-- Purpose: every input row, normalised and validated: its status (digital / not_digital /
--   rejected), the reason for a reject, its category, and its data-quality flags.
-- Needs: view input_rows (file_idx, row_no, credit_code_raw, name_raw, industry_code_raw,
--   region_raw, revenue_raw, revenue_value, revenue_prior_raw, revenue_prior_value, period_raw),
--   table class_map (class_code, section, minor, partial, pattern), table run_settings (period,
--   period_label, has_region), macros of macros.sql, function uscc_valid (digicons.creditcode).
-- Parameters: none (run_settings holds the bound values of this run).
-- The first acceptable row of a credit code in a period is kept; later ones are rejected.
-- Most rows take the cheap branch of every CASE; the costly checks run only where needed.
CREATE OR REPLACE TEMP VIEW checked AS
WITH settings AS (
    SELECT * FROM run_settings
),
cleaned AS (
    SELECT
        i.*,
        upper(clean(i.credit_code_raw)) AS credit_code,
        upper(clean(i.industry_code_raw)) AS industry_text,
        clean(i.region_raw) AS region,
        clean(i.period_raw) AS period_text,
        s.period AS wanted_period,
        s.period_label AS wanted_label,
        s.has_region
    FROM input_rows AS i, settings AS s
),
parsed AS (
    SELECT
        c.*,
        CASE
            WHEN c.period_text IS NULL OR c.period_text = '' THEN c.wanted_period
            WHEN c.period_text IN (c.wanted_period, c.wanted_label) THEN c.wanted_period
            ELSE period_key(c.period_text)
        END AS period
    FROM cleaned AS c
),
classified AS (
    SELECT
        p.*,
        m.minor,
        m.partial,
        CASE
            WHEN p.industry_text IS NULL OR p.industry_text = '' THEN 'industry_code_missing'
            WHEN m.class_code IS NULL AND NOT regexp_full_match(p.industry_text, '[A-Z]?[0-9]{4}')
                THEN 'industry_code_malformed'
            WHEN m.class_code IS NULL THEN 'industry_code_unknown'
            WHEN length(p.industry_text) <> 4 AND left(p.industry_text, 1) <> m.section
                THEN 'industry_code_section_mismatch'
            WHEN p.revenue_value IS NULL AND nullif(clean(p.revenue_raw), '') IS NULL
                THEN 'revenue_missing'
            WHEN p.revenue_value IS NULL THEN 'revenue_not_numeric'
            WHEN p.period IS NULL THEN 'period_unrecognised'
            WHEN p.period <> p.wanted_period THEN 'period_mismatch'
        END AS invalid
    FROM parsed AS p
    -- A class code is 4 digits, optionally after its section letter: I6422.
    LEFT JOIN class_map AS m
        ON m.class_code = CASE
            WHEN length(p.industry_text) = 4 THEN p.industry_text
            WHEN length(p.industry_text) = 5 AND regexp_full_match(p.industry_text, '[A-Z][0-9]{4}')
                THEN right(p.industry_text, 4)
        END
),
ranked AS (
    SELECT
        c.*,
        c.invalid IS NULL AND coalesce(c.credit_code, '') <> '' AS dedup,
        row_number() OVER w AS occurrence,
        first_value(c.file_idx) OVER w AS first_file_idx,
        first_value(c.row_no) OVER w AS first_row_no
    FROM classified AS c
    -- Every acceptable row has the wanted period, so the credit code alone partitions; acceptable
    -- rows sort first, so the first of a partition is the row that is kept.
    WINDOW w AS (
        PARTITION BY c.credit_code
        ORDER BY c.invalid IS NOT NULL, c.file_idx, c.row_no
    )
),
judged AS (
    SELECT
        r.*,
        CASE
            WHEN r.invalid IS NOT NULL THEN r.invalid
            WHEN r.dedup AND r.occurrence > 1 THEN 'duplicate_credit_code'
        END AS reason,
        list_filter([
            CASE WHEN coalesce(r.credit_code, '') = '' THEN 'credit_code_missing'
                 WHEN NOT uscc_valid(r.credit_code) THEN 'credit_code_check_failed' END,
            CASE WHEN r.revenue_value < 0 THEN 'revenue_negative' END,
            CASE WHEN nullif(clean(r.name_raw), '') IS NULL THEN 'name_missing' END,
            CASE WHEN r.has_region AND coalesce(r.region, '') = '' THEN 'region_missing' END,
            CASE WHEN r.revenue_prior_value IS NULL
                      AND nullif(clean(r.revenue_prior_raw), '') IS NOT NULL
                 THEN 'revenue_prior_not_numeric' END
        ], lambda f: f IS NOT NULL) AS flags
    FROM ranked AS r
)
SELECT
    file_idx,
    row_no,
    credit_code,
    region,
    minor,
    coalesce(partial, false) AS partial,
    revenue_value AS revenue,
    revenue_prior_value AS revenue_prior,
    reason,
    CASE
        WHEN reason IS NOT NULL THEN 'rejected'
        WHEN minor IS NULL THEN 'not_digital'
        ELSE 'digital'
    END AS status,
    flags,
    len(flags) > 0 AS flagged,
    -- One key per row worth showing a person (NULL for the rest), and that row's details.
    CASE WHEN reason IS NOT NULL OR len(flags) > 0
         THEN CAST(file_idx AS BIGINT) * 1099511627776 + row_no END AS issue_key,
    CASE WHEN reason IS NOT NULL OR len(flags) > 0 THEN struct_pack(
        file_idx := file_idx,
        reason := reason,
        row_no := row_no,
        kept_file_idx := CASE WHEN reason = 'duplicate_credit_code' THEN first_file_idx END,
        kept_row_no := CASE WHEN reason = 'duplicate_credit_code' THEN first_row_no END,
        flags := flags,
        credit_code := credit_code_raw,
        name := name_raw,
        industry_code := industry_code_raw,
        region := region_raw,
        revenue := revenue_raw,
        revenue_prior := revenue_prior_raw,
        period := period_raw
    ) END AS issue
FROM judged;
