-- Purpose: stage 3 of measure, over the small table fine: total rows (合计) set apart, with no
--   reason, flag or credit code of their own; the duplicate rule among rows that share
--   a credit code (the first acceptable row is kept, the others are rejected naming it); the
--   enterprise's previous cumulative value (--quarter-only) charged to one of its rows only (the
--   kept row, else its first); the weight of partial (*) industries; the status of every group.
-- Needs: tables fine (fine.sql), keys (digicons.measure.keys), partial_shares (class_code, region,
--   share).
-- Slots (from digicons.measure.rules): duplicate_id, no_enterprise_ids, negative_bit; top_n with
--   top.
-- Flags: side, quarter, list, top.
-- Parameters: $partial (full / exclude / shares / list).
CREATE OR REPLACE TEMP TABLE settled AS
WITH totals AS (
    SELECT
        f.* REPLACE (
            CASE WHEN f.is_total THEN NULL ELSE f.reason END AS reason,
            -- A footer line (注：…) or a repeated header is no enterprise either: its code and
            -- name are no one's.
            CASE WHEN f.is_total OR f.reason IN ({{no_enterprise_ids}}) THEN 0 ELSE f.flag_bits END
                AS flag_bits,
            -- 小计 under each group of a file repeats in the credit-code column: no enterprise.
            CASE WHEN f.is_total THEN NULL ELSE f.code END AS code
        )
    FROM fine AS f
),
codes AS (
    SELECT
        code,
        min(row_key) FILTER (WHERE reason IS NULL) AS kept_key,
        min(row_key) AS first_key
    FROM totals
    WHERE code IS NOT NULL
    GROUP BY code
),
deduplicated AS (
    SELECT
        f.* EXCLUDE (reason),
        CASE WHEN f.reason IS NULL AND f.row_key <> c.kept_key THEN {{duplicate_id}}
            ELSE f.reason END AS reason,
        CASE WHEN f.reason IS NULL AND f.row_key <> c.kept_key THEN c.kept_key END AS kept_key,
        -- The row that stands for its enterprise: every row whose code does not repeat.
        c.code IS NULL OR f.row_key = coalesce(c.kept_key, c.first_key) AS charged
    FROM totals AS f
    LEFT JOIN codes AS c ON c.code = f.code
),
--#if quarter
charged AS (
    SELECT
        d.* REPLACE (
            d.revenue - CASE WHEN d.code IS NOT NULL AND d.charged
                THEN coalesce(d.side_revenue, 0) ELSE 0 END AS revenue,
            d.revenue_prior - CASE WHEN d.code IS NOT NULL AND d.charged
                THEN coalesce(d.side_revenue_prior, 0) ELSE 0 END AS revenue_prior
        )
    FROM deduplicated AS d
),
recharged AS (
    SELECT
        c.* REPLACE (
            CASE WHEN c.code IS NULL THEN c.revenue_matched
                WHEN c.revenue_prior IS NOT NULL THEN c.revenue END AS revenue_matched,
--#if top
            CASE WHEN c.code IS NULL THEN c.largest ELSE [c.revenue] END AS largest,
            CASE WHEN c.code IS NULL THEN c.smallest
                ELSE least(c.revenue, coalesce(c.revenue_prior, 0)) END AS smallest,
--#endif
            CASE WHEN c.code IS NOT NULL AND c.revenue < 0
                THEN c.flag_bits | {{negative_bit}} ELSE c.flag_bits END AS flag_bits
        )
    FROM charged AS c
),
--#endif
--#if column
recharged AS (SELECT * FROM deduplicated),
--#endif
--#if prior
recharged AS (SELECT * FROM deduplicated),
--#endif
weighted AS (
    SELECT
        r.*,
        k.minor,
        k.partial,
        k.region_key,
        CASE
            WHEN NOT k.partial OR $partial = 'full' THEN 1.0
            WHEN $partial = 'exclude' THEN 0.0
--#if list
            WHEN $partial = 'list' THEN CASE WHEN r.listed THEN 1.0 ELSE 0.0 END
--#endif
            -- The district's share, else its city's, its province's, the one for every region;
            -- NULL: no coefficient, counted in full and reported.
            ELSE coalesce(sr.share, sc.share, sp.share, sd.share)
        END AS weight_given
    FROM recharged AS r
    JOIN keys AS k ON k.key_id = r.key_id
    LEFT JOIN partial_shares AS sr
        ON k.partial AND sr.class_code = k.class_code AND sr.region = k.region
    LEFT JOIN partial_shares AS sc
        ON k.partial AND sc.class_code = k.class_code AND sc.region = left(k.region, 4) || '00'
    LEFT JOIN partial_shares AS sp
        ON k.partial AND sp.class_code = k.class_code AND sp.region = left(k.region, 2) || '0000'
    LEFT JOIN partial_shares AS sd
        ON k.partial AND sd.class_code = k.class_code AND sd.region = ''
),
statused AS (
    SELECT
        w.*,
        CAST(coalesce(w.weight_given, 1.0) AS DECIMAL(9, 8)) AS weight,
        CASE WHEN w.partial AND w.weight_given IS NULL AND w.reason IS NULL AND NOT w.is_total
            THEN w.rows ELSE 0 END AS without_share,
        CASE
            WHEN w.is_total THEN 'total'
            WHEN w.reason IS NOT NULL THEN 'rejected'
            WHEN w.minor IS NULL OR coalesce(w.weight_given, 1.0) = 0 THEN 'not_digital'
            ELSE 'digital'
        END AS status
    FROM weighted AS w
)
SELECT
    s.*,
    -- Scaled sums are rounded to the input's 4 decimals; with weight 1 they are exact.
    CASE WHEN s.weight = 1 THEN s.revenue ELSE CAST(s.revenue * s.weight AS DECIMAL(38, 4)) END
        AS revenue_weighted,
    CASE WHEN s.weight = 1 THEN s.revenue_prior
        ELSE CAST(s.revenue_prior * s.weight AS DECIMAL(38, 4)) END AS revenue_prior_weighted,
    CASE WHEN s.weight = 1 THEN s.revenue_matched
        ELSE CAST(s.revenue_matched * s.weight AS DECIMAL(38, 4)) END AS revenue_matched_weighted,
--#if top
    CASE WHEN s.weight = 1 THEN s.largest
        ELSE list_transform(s.largest, lambda x: CAST(x * s.weight AS DECIMAL(38, 4))) END
        AS largest_weighted,
--#endif
FROM statused AS s;
