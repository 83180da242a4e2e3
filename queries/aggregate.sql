-- Purpose: counts and sums at every level in one pass: per status (the reconciliation), per
--   reject reason, and for digital rows per major, medium and minor category.
-- Needs: view checked (checked.sql), table category_levels (minor, medium, major).
-- Parameters: none.
-- revenue_matched sums revenue over the rows that have a prior-year value, the base of growth.
SELECT
    k.status,
    k.reason,
    l.major,
    l.medium,
    k.minor,
    GROUPING(k.reason, l.major, l.medium, k.minor) AS grouping_id,
    count(*) AS enterprises,
    sum(k.revenue) AS revenue,
    sum(k.revenue_prior) AS revenue_prior,
    sum(k.revenue) FILTER (WHERE k.revenue_prior IS NOT NULL) AS revenue_matched,
    count(*) FILTER (WHERE k.status <> 'rejected' AND len(k.flags) > 0) AS flagged
FROM checked AS k
LEFT JOIN category_levels AS l ON l.minor = k.minor
GROUP BY GROUPING SETS (
    (k.status),
    (k.status, k.reason),
    (k.status, l.major),
    (k.status, l.major, l.medium),
    (k.status, l.major, l.medium, k.minor)
)
