-- Purpose: scalar macros shared by the measure queries.
-- Needs: nothing. Parameters: none.
-- clean(): text without surrounding spaces of any width (ASCII, no-break, ideographic).
-- blank(): NULL, empty or only spaces (one cheap test, unlike clean(x) = '').
-- amount(): text as exported (spaces, thousands separators) to an exact decimal, NULL if not a number.
-- period_key(): '2024Q3', '2024-Q3', '2024年3季度', '2024年1-3季度', '202409', '2024-09' to '2024Q3'.
CREATE OR REPLACE TEMP MACRO is_space(code_point) AS
    code_point <= 32 OR code_point = 160 OR code_point = 12288;

CREATE OR REPLACE TEMP MACRO clean(x) AS
    CASE
        -- Trimming with a character set is slow; most values need none, which two looks tell.
        -- (An IN list here would be planned as a join per use.)
        WHEN is_space(ascii(x)) OR is_space(ascii(right(x, 1)))
            THEN trim(x, ' ' || chr(9) || chr(10) || chr(13) || chr(160) || chr(12288))
        ELSE x
    END;

CREATE OR REPLACE TEMP MACRO blank(x) AS
    x IS NULL OR regexp_full_match(x, '[\s\x{a0}\x{3000}]*');

CREATE OR REPLACE TEMP MACRO amount(x) AS
    coalesce(
        TRY_CAST(x AS DECIMAL(18, 4)),  -- the common case, and much the cheapest
        TRY_CAST(replace(replace(replace(clean(x), ',', ''), '，', ''), ' ', '') AS DECIMAL(18, 4))
    );

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
