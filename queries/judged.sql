-- Purpose: every input row judged, for the one pass of stage 2 (fine.sql): the verdict of its
--   (industry code, region, period) key, the marks of its credit code, its amounts, the row-level
--   rules of digicons.measure.rules, and its match in the --prior / --quarter-only files. A row a
--   person must see (rejected, flagged, or sharing its credit code with another row) gets its own
--   row_key; every other row has row_key 0.
-- Needs: view input_rows (digicons.inputs.sources); tables keys (digicons.measure.keys), marks
--   (digicons.measure.marks), prior_by_code or previous_by_code (by_code.sql), partial_list;
--   macros.sql.
--   A total row is marked is_total: 合计 / 总计 / 小计 / 共计 ending its credit-code cell, or
--   with no credit code, its name, industry-code or region cell (macro total_label), or a row
--   with figures and no text at all (the label in a column not read, such as 序号). It is no
--   enterprise, and settled.sql keeps it out of every count.
-- Slots (from digicons.measure.rules): row_reason, row_flags, check_failed_bit, numeric_bit;
--   row_key_file (digicons.measure.assemble.ROW_KEY_FILE).
-- Flags: column (上年同期 from the input's column), prior (from --prior files), quarter
--   (--quarter-only), list (--partial list).
-- Parameters: none.
CREATE OR REPLACE TEMP VIEW judged AS
WITH joined AS (
    SELECT
        i.*,
        k.key_id,
        k.key_reason,
        k.key_flags,
        m.code AS mark_code,
        m.repeated AS mark_repeated,
        m.check_failed AS mark_failed,
        m.numeric AS mark_numeric
    FROM input_rows AS i
    JOIN keys AS k
        ON k.file_idx = i.file_idx
        AND k.industry_code_raw IS NOT DISTINCT FROM i.industry_code_raw
        AND k.region_raw IS NOT DISTINCT FROM i.region_raw
        AND k.period_raw IS NOT DISTINCT FROM i.period_raw
    LEFT JOIN marks AS m ON mark_applies(m.h, m.raw, i.credit_code_raw)
),
coded AS (
    SELECT
        j.*,
        -- A code that went through a number type lost digits: it matches nothing.
        CASE WHEN j.mark_numeric THEN NULL ELSE coalesce(j.mark_code, j.credit_code_raw) END
            AS credit_code,
        coalesce(j.mark_repeated, false) AS repeated,
        coalesce(j.mark_failed, false) AS check_failed,
        coalesce(j.mark_numeric, false) AS code_numeric
    FROM joined AS j
),
matched AS (
    SELECT
        c.*,
--#if column
        c.revenue_value AS revenue,
        c.revenue_prior_value AS revenue_prior,
--#endif
--#if prior
        c.revenue_value AS revenue,
        s.revenue AS revenue_prior,
--#endif
--#if quarter
        -- The single quarter: this cumulative value minus the previous one. When the credit code
        -- repeats, settled.sql charges the previous value to one row of the enterprise only.
        c.revenue_value - CASE WHEN c.repeated THEN 0 ELSE coalesce(s.revenue, 0) END AS revenue,
        c.revenue_prior_value - CASE WHEN c.repeated THEN 0 ELSE coalesce(s.revenue_prior, 0) END
            AS revenue_prior,
        s.revenue_prior AS side_revenue_prior,
--#endif
--#if side
        s.credit_code IS NOT NULL AS side_found,
        s.revenue AS side_revenue,
--#endif
--#if list
        l.credit_code IS NOT NULL AS listed,
--#endif
    FROM coded AS c
--#if prior
    LEFT JOIN prior_by_code AS s ON s.credit_code = c.credit_code
--#endif
--#if quarter
    LEFT JOIN previous_by_code AS s ON s.credit_code = c.credit_code
--#endif
--#if list
    LEFT JOIN partial_list AS l ON l.credit_code = c.credit_code
--#endif
),
ruled AS (
    SELECT
        m.*,
        least(m.key_reason, {{row_reason}}, m.read_reason) AS reason,
        m.key_flags + m.read_flags + {{row_flags}}
            -- Codes of another length fail the check; marks carry the 18-character failures.
            + CASE WHEN coalesce(m.credit_code, '') <> ''
                AND (length(m.credit_code) <> 18 OR m.check_failed)
                THEN {{check_failed_bit}} ELSE 0 END
            + CASE WHEN m.code_numeric THEN {{numeric_bit}} ELSE 0 END AS flag_bits,
        CASE WHEN coalesce(m.credit_code, '') = '' AND NOT m.code_numeric
                -- 合计 in the credit-code cell normalises to no code (no letter or digit).
                THEN total_label(m.credit_code_raw) OR total_label(m.name_raw)
                    OR total_label(m.industry_code_raw)
                    OR total_label(m.region_raw)
                    -- Figures and nothing else: the label is in a column not read (序号).
                    OR (blank(m.name_raw) AND blank(m.industry_code_raw) AND blank(m.region_raw)
                        AND NOT blank(m.revenue_raw))
            -- Most exports put 合计 in their first column, the credit code's.
            ELSE total_code(m.credit_code, m.credit_code_raw)
        END AS is_total
    FROM matched AS m
)
SELECT
    r.*,
    -- Arithmetic, not CASE: DuckDB computes an expression shared by several columns once only
    -- outside a CASE.
    (CAST(r.file_idx AS BIGINT) * {{row_key_file}} + r.row_no)
        * CAST(r.reason IS NOT NULL OR r.flag_bits <> 0 OR r.repeated OR r.is_total AS BIGINT)
        AS row_key
FROM ruled AS r;
