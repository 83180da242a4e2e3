-- Purpose: one pass over the checked rows: counts and sums per status (the reconciliation), per
--   reject reason, per major / medium / minor category for digital rows, and one group per row a
--   person must see (rejected or flagged), carrying that row's details.
-- Needs: view checked (checked.sql), table category_levels (minor, medium, major).
-- Parameters: none.
-- revenue_matched sums revenue over the rows that have a prior-year value, the base of growth.
SELECT
    k.status,
    k.reason,
    l.major,
    l.medium,
    k.minor,
    k.issue_key,
    GROUPING(k.reason, l.major, l.medium, k.minor, k.issue_key) AS grouping_id,
    count(*) AS enterprises,
    sum(k.revenue) AS revenue,
    sum(k.revenue_prior) AS revenue_prior,
    sum(k.revenue) FILTER (WHERE k.revenue_prior IS NOT NULL) AS revenue_matched,
    count(*) FILTER (WHERE k.flagged) AS flagged,
    any_value(k.issue) AS issue
FROM checked AS k
LEFT JOIN category_levels AS l ON l.minor = k.minor
GROUP BY GROUPING SETS (
    (k.status),
    (k.status, k.reason),
    (k.status, l.major),
    (k.status, l.major, l.medium),
    (k.status, l.major, l.medium, k.minor),
    (k.status, k.issue_key)
)
