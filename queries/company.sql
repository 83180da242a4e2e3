-- Purpose: the rows of one enterprise, found by its credit code or by words of its name, with
--   their verdict exactly as measure gave it: the settled group of each row (status, reason,
--   weight, the row kept in its place when it repeats a credit code) and its category and region.
-- Needs: view judged (judged.sql), tables settled (settled.sql), keys (digicons.measure.keys),
--   marks (digicons.measure.marks).
-- Parameters: $code (a normalised credit code) and $read (the texts read that normalise to it:
--   flag by_code), or $w0, $w1, … (lower-case words that the name must all contain: flag by_name,
--   slot name_words); $limit.
-- Flags: by_code or by_name; list (--partial list: groups are split by listing).
SELECT
    j.file_idx,
    j.row_no,
    j.credit_code_raw,
    j.credit_code,
    j.name_raw,
    j.industry_code_raw,
    k.class_code,
    k.minor,
    k.partial,
    k.region_key,
    -- A row of its own settles its final values (a repeated code's single quarter, say).
    CASE WHEN j.row_key <> 0 THEN s.revenue ELSE j.revenue END AS revenue,
    CASE WHEN j.row_key <> 0 THEN s.revenue_prior ELSE j.revenue_prior END AS revenue_prior,
    s.status,
    s.reason,
    s.kept_key,
    s.flag_bits,
    s.weight,
    count(*) OVER () AS matches
FROM judged AS j
JOIN keys AS k ON k.key_id = j.key_id
JOIN settled AS s
    ON s.file_idx = j.file_idx AND s.key_id = j.key_id AND s.row_key = j.row_key
--#if list
    AND s.listed = j.listed
--#endif
WHERE
--#if by_code
    -- $read: the texts that can be $code once normalised ($code itself, and those whose mark
    -- names it). A test of the column as read, which DuckDB makes while scanning, before the
    -- joins and rules of every row.
    list_contains($read, j.credit_code_raw) AND j.credit_code = $code
--#endif
--#if by_name
    -- One contains() per word ($w0, $w1, …), not a lambda over a list: DuckDB then tests the
    -- names while scanning, before the joins and rules of every row.
    {{name_words}}
--#endif
ORDER BY j.file_idx, j.row_no
LIMIT $limit
