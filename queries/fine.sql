-- Purpose: stage 2 of measure, the one pass over every row: rows fall into a few thousand groups
--   (file × key) plus one group of its own for each row a person must see (row_key <> 0, with
--   the row's details). Everything published is computed from this small table.
-- Needs: view judged (judged.sql).
-- Slots: top_n with flag top (the n largest revenues of each group, for --dominance n,k).
-- Flags: side (--prior or --quarter-only), quarter, list, top.
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE fine AS
SELECT
    file_idx,
    key_id,
    row_key,
--#if list
    listed,
--#endif
    count(*) AS rows,
    sum(revenue) AS revenue,
    sum(revenue_prior) AS revenue_prior,
    sum(revenue) FILTER (WHERE revenue_prior IS NOT NULL) AS revenue_matched,
    any_value(reason) AS reason,
    any_value(flag_bits) AS flag_bits,
    bool_or(is_total) AS is_total,
    -- Rows sharing a credit code are settled by code (settled.sql).
    any_value(credit_code) FILTER (WHERE repeated) AS code,
--#if side
    count(*) FILTER (WHERE side_found) AS side_found,
    sum(side_revenue) AS side_revenue,
    sum(revenue) FILTER (WHERE NOT side_found) AS side_missing_revenue,
--#endif
--#if quarter
    sum(side_revenue_prior) AS side_revenue_prior,
--#endif
--#if list
    list(DISTINCT credit_code) FILTER (WHERE listed) AS listed_codes,
--#endif
--#if top
    max(revenue, {{top_n}}) AS largest,
    min(least(revenue, coalesce(revenue_prior, 0))) AS smallest,
--#endif
    any_value(struct_pack(
        file_idx := file_idx, row_no := row_no,
        credit_code := credit_code_raw, name := name_raw, industry_code := industry_code_raw,
        region := region_raw, revenue := revenue_raw, revenue_prior := revenue_prior_raw,
        period := period_raw, note := note
    )) FILTER (WHERE row_key <> 0) AS details
FROM judged
GROUP BY ALL;
