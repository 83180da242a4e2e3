-- Purpose: every input row judged: status (digital / not_digital / rejected), reject reason,
--   weight of a partial (*) industry, region key, data-quality flags, and the details of the rows a
--   person must see.
-- Needs: view classified (classified.sql), table duplicates (duplicates.sql), tables partial_shares
--   (class_code, region, share) and partial_list (credit_code); function uscc_valid.
-- Parameters: none.
CREATE OR REPLACE TEMP VIEW checked AS
WITH judged AS (
    SELECT
        c.*,
        CASE
            WHEN c.invalid IS NOT NULL THEN c.invalid
            WHEN d.credit_code IS NOT NULL
                AND CAST(c.file_idx AS BIGINT) * 1099511627776 + c.row_no <> d.first_key
                THEN 'duplicate_credit_code'
        END AS reason,
        d.first_key,
        CASE
            WHEN NOT c.partial OR c.partial_mode = 'full' THEN 1.0
            WHEN c.partial_mode = 'exclude' THEN 0.0
            WHEN c.partial_mode = 'list' THEN CASE WHEN l.credit_code IS NULL THEN 0.0 ELSE 1.0 END
            ELSE coalesce(sr.share, sd.share)  -- NULL: no coefficient; counted in full, reported
        END AS weight_given,
        CASE
            WHEN c.region IS NULL OR c.region = '' THEN ''
            WHEN NOT regexp_full_match(c.region, '[0-9]{6}') OR c.region_level = 'county' THEN c.region
            WHEN c.region_level = 'city' THEN left(c.region, 4) || '00'
            ELSE left(c.region, 2) || '0000'
        END AS region_key
    FROM classified AS c
    LEFT JOIN duplicates AS d ON d.credit_code = c.credit_code AND c.invalid IS NULL
    LEFT JOIN partial_list AS l ON c.partial AND l.credit_code = c.credit_code
    LEFT JOIN partial_shares AS sr
        ON c.partial AND sr.class_code = c.class_code AND sr.region = c.region
    LEFT JOIN partial_shares AS sd
        ON c.partial AND sd.class_code = c.class_code AND sd.region = ''
),
flagged AS (
    SELECT
        j.*,
        CAST(coalesce(j.weight_given, 1.0) AS DECIMAL(9, 8)) AS weight,
        list_filter([
            CASE WHEN coalesce(j.credit_code, '') = '' THEN 'credit_code_missing'
                 WHEN NOT uscc_valid(j.credit_code) THEN 'credit_code_check_failed' END,
            CASE WHEN j.revenue < 0 THEN 'revenue_negative' END,
            CASE WHEN nullif(clean(j.name_raw), '') IS NULL THEN 'name_missing' END,
            CASE WHEN j.has_region AND coalesce(j.region, '') = '' THEN 'region_missing' END,
            CASE WHEN j.revenue_prior_value IS NULL
                      AND nullif(clean(j.revenue_prior_raw), '') IS NOT NULL
                 THEN 'revenue_prior_not_numeric' END
        ], lambda f: f IS NOT NULL) AS flags
    FROM judged AS j
)
SELECT
    file_idx,
    row_no,
    credit_code,
    region_key,
    minor,
    partial,
    weight,
    partial AND weight_given IS NULL AND reason IS NULL AS without_share,
    revenue,
    revenue_prior,
    prior_missing,
    previous_missing,
    reason,
    CASE
        WHEN reason IS NOT NULL THEN 'rejected'
        WHEN minor IS NULL OR weight = 0 THEN 'not_digital'
        ELSE 'digital'
    END AS status,
    len(flags) > 0 AS flagged,
    -- One key per row worth showing a person (NULL for the rest), and that row's details.
    CASE WHEN reason IS NOT NULL OR len(flags) > 0
         THEN CAST(file_idx AS BIGINT) * 1099511627776 + row_no END AS issue_key,
    CASE WHEN reason IS NOT NULL OR len(flags) > 0 THEN struct_pack(
        file_idx := file_idx,
        row_no := row_no,
        reason := reason,
        kept_key := CASE WHEN reason = 'duplicate_credit_code' THEN first_key END,
        flags := flags,
        credit_code := credit_code_raw,
        name := name_raw,
        industry_code := industry_code_raw,
        region := region_raw,
        revenue := revenue_raw,
        revenue_prior := revenue_prior_raw,
        period := period_raw
    ) END AS issue
FROM flagged;
