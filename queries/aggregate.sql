-- Purpose: one pass over the checked rows: counts and sums per status (the reconciliation), per
--   reject reason, per major / medium / minor category, per region (total, × major, × medium), and
--   one group per row a person must see (rejected or flagged), carrying that row's details.
-- Needs: view checked (checked.sql), table category_levels (minor, medium, major).
-- Parameters: none.
-- Category figures cover digital rows, revenue scaled by the row's weight (1 unless a partial
--   treatment says otherwise). revenue_matched sums revenue over rows with a prior-year value, the
--   comparable base of growth. upper_* / lower_* are the bounds: every classified row counted in
--   full, and partial (*) rows left out. top2 are the two largest weighted revenues, for disclosure
--   control. GROUPING() over (status, reason, issue_key, region_key, major, medium, minor) tells the
--   sets apart; digicons.measure decodes it.
SELECT
    k.status,
    k.reason,
    k.issue_key,
    k.region_key,
    l.major,
    l.medium,
    k.minor,
    GROUPING(k.status, k.reason, k.issue_key, k.region_key, l.major, l.medium, k.minor) AS set_id,
    count(*) AS rows,
    sum(k.revenue) AS revenue_all,
    count(*) FILTER (WHERE k.flagged) AS flagged,
    count(*) FILTER (WHERE k.prior_missing) AS prior_missing,
    sum(k.revenue) FILTER (WHERE k.prior_missing) AS prior_missing_revenue,
    count(*) FILTER (WHERE k.previous_missing) AS previous_missing,
    count(*) FILTER (WHERE k.without_share) AS without_share,
    sum(k.revenue * (1 - k.weight)) FILTER (WHERE k.status = 'digital') AS revenue_weighted_out,
    count(*) FILTER (WHERE k.status = 'digital') AS enterprises,
    sum(k.revenue * k.weight) FILTER (WHERE k.status = 'digital') AS revenue,
    sum(k.revenue_prior * k.weight) FILTER (WHERE k.status = 'digital') AS revenue_prior,
    sum(k.revenue * k.weight)
        FILTER (WHERE k.status = 'digital' AND k.revenue_prior IS NOT NULL) AS revenue_matched,
    max(k.revenue * k.weight, 2) FILTER (WHERE k.status = 'digital') AS top2,
    sum(k.revenue) FILTER (WHERE k.status <> 'rejected') AS upper_revenue,
    sum(k.revenue) FILTER (WHERE k.status <> 'rejected' AND NOT k.partial) AS lower_revenue,
    any_value(k.issue) AS issue
FROM checked AS k
LEFT JOIN category_levels AS l ON l.minor = k.minor
GROUP BY GROUPING SETS (
    (k.status),
    (k.status, k.reason),
    (k.status, k.issue_key),
    (l.major),
    (l.major, l.medium),
    (l.major, l.medium, k.minor),
    (k.region_key),
    (k.region_key, l.major),
    (k.region_key, l.major, l.medium)
)
