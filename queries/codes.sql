-- Purpose: the stream of the credit-code pass (digicons.measure.marks): every credit code as read
--   and its hash, which the marks are keyed by.
-- Needs: the rows view named by the slot.
-- Slots: rows: input_rows, prior_rows or previous_rows (a fixed allow-list, never input).
-- Parameters: none.
SELECT credit_code_raw AS raw, hash(credit_code_raw) AS h
FROM {{rows}}
