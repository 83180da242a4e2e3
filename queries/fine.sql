-- Purpose: stage 2 of measure, the one pass over every row: rows fall into a few thousand groups
--   (file × key) plus one group of its own for each row a person must see (row_key <> 0, with
--   the row's details). Everything published is computed from this small table.
-- Needs: view judged (judged.sql).
-- Slots: top_n with flag top (the n largest revenues of each group, for --dominance n,k).
-- Flags: side (--prior or --quarter-only), quarter, list, top.
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE fine AS
-- A row a person must see is a group of its own (its row_key); what only such a row has
-- (reason, flags, total, repeated code) travels in one struct with its details, not in aggregates
-- of their own that every row would update (the scan 0.05-0.08 s faster on 10M rows). The other
-- groups have no reason, no flags, no total and no repeated code by construction (judged.sql's
-- row_key).
SELECT
    g.* EXCLUDE (own),
    g.own.reason AS reason,
    coalesce(g.own.flag_bits, 0) AS flag_bits,
    coalesce(g.own.is_total, false) AS is_total,
    g.own.code AS code,
    g.own.details AS details
FROM (
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
    -- CASE, not FILTER: the same sum, 0.03 s faster.
    sum(CASE WHEN revenue_prior IS NOT NULL THEN revenue END) AS revenue_matched,
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
        details := struct_pack(
            file_idx := file_idx, row_no := row_no,
            credit_code := credit_code_raw, name := name_raw, industry_code := industry_code_raw,
            region := region_raw, revenue := revenue_raw, revenue_prior := revenue_prior_raw,
            period := period_raw, note := note
        ),
        reason := reason, flag_bits := flag_bits, is_total := is_total,
        -- Rows sharing a credit code are settled by code (settled.sql).
        code := CASE WHEN repeated THEN credit_code END
    )) FILTER (WHERE row_key <> 0) AS own
FROM judged
GROUP BY ALL
) AS g;
