-- Purpose: every published level from the settled groups: counts and sums per status (the
--   reconciliation) and per reject reason, per major / medium / minor category, per region (total,
--   × major, × medium). Category figures cover digital rows, amounts scaled by their weight.
--   upper_* / lower_* are the bounds: every classified row in full, and partial (*) rows left
--   out. largest are the n largest weighted revenues, for disclosure control.
--   GROUPING() over (status, reason, region_key, major, medium, minor) tells the sets apart;
--   digicons.measure.assemble decodes it.
-- Needs: tables settled (settled.sql), category_levels (minor, medium, major).
-- Slots: top_n with flag top.
-- Flags: side, top.
-- Parameters: none.
SELECT
    s.status,
    s.reason,
    s.region_key,
    l.major,
    l.medium,
    s.minor,
    GROUPING(s.status, s.reason, s.region_key, l.major, l.medium, s.minor) AS set_id,
    sum(s.rows) AS rows,
    sum(s.revenue) AS revenue_all,
    sum(s.rows) FILTER (WHERE s.flag_bits <> 0) AS flagged,
    sum(s.without_share) AS without_share,
--#if side
    sum(s.rows - s.side_found) AS side_missing,
    sum(s.side_missing_revenue) AS side_missing_revenue,
--#endif
    sum(s.revenue - s.revenue_weighted) FILTER (WHERE s.status = 'digital')
        AS revenue_weighted_out,
    sum(s.rows) FILTER (WHERE s.status = 'digital') AS enterprises,
    sum(s.revenue_weighted) FILTER (WHERE s.status = 'digital') AS revenue,
    sum(s.revenue_prior_weighted) FILTER (WHERE s.status = 'digital') AS revenue_prior,
    sum(s.revenue_matched_weighted) FILTER (WHERE s.status = 'digital') AS revenue_matched,
--#if top
    list_slice(
        list_reverse_sort(flatten(list(s.largest_weighted) FILTER (WHERE s.status = 'digital'))),
        1,
        {{top_n}}
    ) AS largest,
    -- Weights are not negative: a cell's least contribution has the sign of its least row.
    min(s.smallest) FILTER (WHERE s.status = 'digital') AS smallest,
--#endif
    sum(s.revenue) FILTER (WHERE s.status IN ('digital', 'not_digital') AND s.minor IS NOT NULL)
        AS upper_revenue,
    sum(s.revenue) FILTER (
        WHERE s.status IN ('digital', 'not_digital') AND s.minor IS NOT NULL AND NOT s.partial
    ) AS lower_revenue
FROM settled AS s
LEFT JOIN category_levels AS l ON l.minor = s.minor
GROUP BY GROUPING SETS (
    (s.status),
    (s.status, s.reason),
    (l.major),
    (l.major, l.medium),
    (l.major, l.medium, s.minor),
    (s.region_key),
    (s.region_key, l.major),
    (s.region_key, l.major, l.medium)
)
