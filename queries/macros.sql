-- Purpose: scalar macros shared by the measure queries.
-- Needs: nothing. Parameters: none.
-- clean(): text without surrounding spaces of any width (ASCII, no-break, ideographic).
-- amount(): text as exported (spaces, thousands separators) to an exact decimal, NULL if not a number.
-- uscc_valid(): GB 32100-2015 check of an 18-character unified social credit code
--   (first character a digit or A / N / Y; weights 3^(i-1) mod 31; check = (31 - sum mod 31) mod 31).
-- period_key(): '2024Q3', '2024-Q3', '2024年3季度', '2024年1-3季度', '202409', '2024-09' to '2024Q3'.
CREATE OR REPLACE TEMP MACRO clean(x) AS
    trim(x, ' ' || chr(9) || chr(10) || chr(13) || chr(160) || chr(12288));

CREATE OR REPLACE TEMP MACRO amount(x) AS
    TRY_CAST(replace(replace(replace(clean(x), ',', ''), '，', ''), ' ', '') AS DECIMAL(18, 4));

CREATE OR REPLACE TEMP MACRO uscc_digit(c, i) AS
    instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, i, 1)) - 1;

CREATE OR REPLACE TEMP MACRO uscc_valid(c) AS
    c IS NOT NULL
    AND regexp_full_match(c, '[0-9ANY][0-9A-HJ-NPQRTUWXY]{17}')
    AND substr(
        '0123456789ABCDEFGHJKLMNPQRTUWXY',
        1 + (31 - (
              uscc_digit(c, 1) * 1 + uscc_digit(c, 2) * 3 + uscc_digit(c, 3) * 9
            + uscc_digit(c, 4) * 27 + uscc_digit(c, 5) * 19 + uscc_digit(c, 6) * 26
            + uscc_digit(c, 7) * 16 + uscc_digit(c, 8) * 17 + uscc_digit(c, 9) * 20
            + uscc_digit(c, 10) * 29 + uscc_digit(c, 11) * 25 + uscc_digit(c, 12) * 13
            + uscc_digit(c, 13) * 8 + uscc_digit(c, 14) * 24 + uscc_digit(c, 15) * 10
            + uscc_digit(c, 16) * 30 + uscc_digit(c, 17) * 28
        ) % 31) % 31,
        1
    ) = substr(c, 18, 1);

CREATE OR REPLACE TEMP MACRO period_key(p) AS
    CASE
        WHEN regexp_full_match(p, '(\d{4})\s*[-_/]?\s*[Qq]([1-4])')
            THEN regexp_replace(p, '^(\d{4})\s*[-_/]?\s*[Qq]([1-4])$', '\1Q\2')
        WHEN regexp_full_match(p, '(\d{4})年(1-|1—|1~)?([1-4])季度')
            THEN regexp_replace(p, '^(\d{4})年(1-|1—|1~)?([1-4])季度$', '\1Q\3')
        WHEN regexp_full_match(p, '(\d{4})[-/]?(03|06|09|12)')
            THEN substr(p, 1, 4) || 'Q' || (CAST(right(p, 2) AS INTEGER) // 3)
        ELSE NULL
    END;
