-- Purpose: the marks table of the credit-code pass (digicons.measure.marks): one row per hash of
--   a code as read. Repeated plain codes get a mark with no code as read (raw NULL: it applies to
--   every row whose code hashes so); normalised, failing or numeric codes get one with the code as
--   read. `raws` counts the different codes under one hash (more than one is a collision).
-- Needs: Arrow tables code_entries (h, raw, code, normal_h, check_failed, numeric) and
--   repeated_hashes (h: hashes of normal forms seen more than once), registered for this query.
-- Parameters: none.
WITH special AS (
    SELECT
        s.h,
        any_value(s.raw) AS raw,
        count(DISTINCT s.raw) AS raws,
        any_value(s.code) AS code,
        bool_or(r.h IS NOT NULL) AS repeated,
        bool_or(s.check_failed) AS check_failed,
        bool_or(s.numeric) AS numeric
    FROM code_entries AS s
    LEFT JOIN repeated_hashes AS r ON r.h = s.normal_h
    GROUP BY s.h
)
SELECT h, raw, raws, code, repeated, check_failed, numeric
FROM special
UNION ALL
SELECT r.h, NULL, 0, NULL, true, false, false
FROM repeated_hashes AS r
ANTI JOIN special AS s ON s.h = r.h
