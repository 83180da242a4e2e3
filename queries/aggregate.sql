-- Purpose: one pass over the checked rows, then every level from that: counts and sums per status
--   (the reconciliation), per reject reason, per major / medium / minor category, per region
--   (total, × major, × medium), and one group per row a person must see (issue_key <> 0: rejected
--   or flagged), carrying that row's details.
-- Needs: view checked (checked.sql), table category_levels (minor, medium, major).
-- Parameters: none.
-- The single pass groups rows at the finest grain (`fine`: a few thousand groups plus one per row
--   worth showing); every published level is a GROUPING SET over those groups. Category figures
--   cover digital rows, revenue scaled by the row's weight (1 unless a partial treatment says
--   otherwise). revenue_matched sums revenue over rows with a prior-year value, the comparable base
--   of growth. upper_* / lower_* are the bounds: every classified row in full, and partial (*) rows
--   left out. top2 are the two largest weighted revenues, for disclosure control.
--   GROUPING() over (status, reason, issue_key, region_key, major, medium, minor) tells the sets
--   apart; digicons.measure decodes it.
WITH fine AS (
    SELECT
        k.status,
        k.reason,
        k.issue_key,
        k.region_key,
        k.minor,
        any_value(struct_pack(
            file_idx := k.file_idx, row_no := k.row_no, reason := k.reason,
            kept_key := k.kept_key, flag_bits := k.flag_bits,
            credit_code := k.credit_code_raw, name := k.name_raw,
            industry_code := k.industry_code_raw, region := k.region_raw,
            revenue := k.revenue_raw, revenue_prior := k.revenue_prior_raw, period := k.period_raw
        )) FILTER (WHERE k.issue_key <> 0) AS issue,
        count(*) AS rows,
        sum(k.revenue) AS revenue_all,
        count(*) FILTER (WHERE k.flag_bits <> 0) AS flagged,
        count(*) FILTER (WHERE k.prior_missing) AS prior_missing,
        sum(k.revenue) FILTER (WHERE k.prior_missing) AS prior_missing_revenue,
        count(*) FILTER (WHERE k.previous_missing) AS previous_missing,
        count(*) FILTER (WHERE k.without_share) AS without_share,
        sum(k.revenue - k.revenue_weighted) AS revenue_weighted_out,
        sum(k.revenue_weighted) AS revenue,
        sum(k.revenue_prior_weighted) AS revenue_prior,
        sum(k.revenue_weighted) FILTER (WHERE k.revenue_prior IS NOT NULL) AS revenue_matched,
        max(k.revenue_weighted, 2) AS top2,
        sum(k.revenue) FILTER (WHERE NOT k.partial) AS lower_revenue
    FROM checked AS k
    GROUP BY k.status, k.reason, k.issue_key, k.region_key, k.minor
)
SELECT
    f.status,
    f.reason,
    f.issue_key,
    f.region_key,
    l.major,
    l.medium,
    f.minor,
    GROUPING(f.status, f.reason, f.issue_key, f.region_key, l.major, l.medium, f.minor) AS set_id,
    sum(f.rows) AS rows,
    sum(f.revenue_all) AS revenue_all,
    sum(f.flagged) AS flagged,
    sum(f.prior_missing) AS prior_missing,
    sum(f.prior_missing_revenue) AS prior_missing_revenue,
    sum(f.previous_missing) AS previous_missing,
    sum(f.without_share) AS without_share,
    sum(f.revenue_weighted_out) FILTER (WHERE f.status = 'digital') AS revenue_weighted_out,
    sum(f.rows) FILTER (WHERE f.status = 'digital') AS enterprises,
    sum(f.revenue) FILTER (WHERE f.status = 'digital') AS revenue,
    sum(f.revenue_prior) FILTER (WHERE f.status = 'digital') AS revenue_prior,
    sum(f.revenue_matched) FILTER (WHERE f.status = 'digital') AS revenue_matched,
    list_slice(list_reverse_sort(flatten(list(f.top2) FILTER (WHERE f.status = 'digital'))), 1, 2)
        AS top2,
    sum(f.revenue_all) FILTER (WHERE f.status <> 'rejected') AS upper_revenue,
    sum(f.lower_revenue) FILTER (WHERE f.status <> 'rejected') AS lower_revenue,
    any_value(f.issue) AS issue
FROM fine AS f
LEFT JOIN category_levels AS l ON l.minor = f.minor
GROUP BY GROUPING SETS (
    (f.status),
    (f.status, f.reason),
    (f.status, f.issue_key),
    (l.major),
    (l.major, l.medium),
    (l.major, l.medium, f.minor),
    (f.region_key),
    (f.region_key, l.major),
    (f.region_key, l.major, l.medium)
)
