-- Purpose: an empty {side}_by_code table when no --prior / --quarter-only files are given, so that
--   classified.sql always finds it.
-- Needs: nothing.
-- Parameters: none. {side} is replaced by `prior` or `previous` (a fixed allow-list, never input).
CREATE OR REPLACE TEMP TABLE {side}_by_code (
    credit_code VARCHAR,
    revenue DECIMAL(18, 4),
    revenue_prior DECIMAL(18, 4)
);
