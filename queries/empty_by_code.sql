-- Purpose: an empty side_by_code table when no --prior / --quarter-only files are given.
-- Needs: nothing.
-- Slots: side: prior or previous (a fixed allow-list, never input).
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE {{side}}_by_code (
    credit_code VARCHAR,
    revenue DECIMAL(18, 4),
    revenue_prior DECIMAL(18, 4),
    rows BIGINT
);
