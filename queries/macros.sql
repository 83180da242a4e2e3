-- Purpose: scalar macros shared by the measure queries.
-- Needs: nothing. Parameters: none.
-- clean(): text without surrounding spaces of any width (ASCII, no-break, ideographic).
-- blank(): NULL, empty or only spaces (one cheap test, unlike clean(x) = '').
-- amount(): text as exported (spaces, thousands separators, full-width digits) to an exact decimal,
--   NULL if not a number. The same rules as digicons.inputs.normalise, for amounts, per row.
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
        -- The plain cast first, the common case and much the cheapest; but a cast that fails
        -- costs more than it does when it succeeds, so text with thousands separators (a whole
        -- column of them in some exports) goes straight to a cast without them.
        CASE WHEN contains(x, ',')
            THEN TRY_CAST(replace(x, ',', '') AS DECIMAL(18, 4))
            ELSE TRY_CAST(x AS DECIMAL(18, 4))
        END,
        TRY_CAST(
            regexp_replace(
                translate(x, '０１２３４５６７８９．－＋，−', '0123456789.-+,-'),
                '[\s,\x{a0}\x{3000}]',
                '',
                'g'
            ) AS DECIMAL(18, 4)
        )
    );
