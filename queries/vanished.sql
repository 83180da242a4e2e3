-- Purpose: enterprises of the --prior / --quarter-only files that no acceptable current row has:
--   how many, and their revenue there.
-- Needs: table {side}_by_code (by_code.sql), view classified (checked.sql).
-- Parameters: none. {side} is replaced by `prior` or `previous` (a fixed allow-list, never input).
SELECT count(*), sum(s.revenue)
FROM {side}_by_code AS s
WHERE NOT EXISTS (
    SELECT 1 FROM classified AS c WHERE c.credit_code = s.credit_code AND c.invalid IS NULL
)
