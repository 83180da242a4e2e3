-- Purpose: every input row judged: status (digital / not_digital / rejected), reject reason,
--   weight of a partial (*) industry, region key, data-quality flags (bits), and a key for the
--   rows a person must see.
-- Needs: view classified (classified.sql), table duplicates (duplicates.sql), tables partial_shares
--   (class_code, region, share) and partial_list (credit_code).
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
        -- Flags as booleans: a list per row costs more than everything else here.
        coalesce(j.credit_code, '') = '' AS f_credit_missing,
        coalesce(j.credit_code, '') <> '' AND j.check_failed AS f_check_digit,
        coalesce(j.revenue < 0, false) AS f_negative,
        blank(j.name_raw) AS f_name_missing,
        j.has_region AND coalesce(j.region, '') = '' AS f_region_missing,
        j.revenue_prior_value IS NULL AND NOT blank(j.revenue_prior_raw)
            AS f_prior_not_numeric
    FROM judged AS j
),
marked AS (
    SELECT
        f.*,
        -- Bits in the order of digicons.measure.FLAGS.
        CAST(f.f_credit_missing AS INTEGER) + 2 * CAST(f.f_check_digit AS INTEGER)
            + 4 * CAST(f.f_negative AS INTEGER) + 8 * CAST(f.f_name_missing AS INTEGER)
            + 16 * CAST(f.f_region_missing AS INTEGER)
            + 32 * CAST(f.f_prior_not_numeric AS INTEGER) AS flag_bits
    FROM flagged AS f
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
    -- Weighted amounts are rounded to the input's 4 decimals; with weight 1 they are exact.
    CASE WHEN weight = 1 THEN revenue ELSE CAST(revenue * weight AS DECIMAL(18, 4)) END
        AS revenue_weighted,
    CASE WHEN weight = 1 THEN revenue_prior ELSE CAST(revenue_prior * weight AS DECIMAL(18, 4)) END
        AS revenue_prior_weighted,
    prior_missing,
    previous_missing,
    reason,
    CASE
        WHEN reason IS NOT NULL THEN 'rejected'
        WHEN minor IS NULL OR weight = 0 THEN 'not_digital'
        ELSE 'digital'
    END AS status,
    flag_bits,
    -- The row's key when a person must see it (rejected or flagged), else 0. Arithmetic, not
    -- CASE: DuckDB computes an expression shared by several columns once only outside a CASE,
    -- and flag_bits calls the check-digit function.
    (CAST(file_idx AS BIGINT) * 1099511627776 + row_no)
        * CAST(reason IS NOT NULL OR flag_bits <> 0 AS BIGINT) AS issue_key,
    CASE WHEN reason = 'duplicate_credit_code' THEN first_key END AS kept_key,
    credit_code_raw,
    name_raw,
    industry_code_raw,
    region_raw,
    revenue_raw,
    revenue_prior_raw,
    period_raw
FROM marked;
