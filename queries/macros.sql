-- Purpose: scalar macros shared by the measure queries.
-- Needs: nothing. Parameters: none.
-- blank(): NULL, empty or only spaces of any width (ASCII, no-break, ideographic).
-- amount(): text as exported (spaces, thousands separators, full-width digits) to an exact decimal,
--   NULL if not a number. The same rules as digicons.inputs.normalise, for amounts, per row.
CREATE OR REPLACE TEMP MACRO blank(x) AS
    x IS NULL OR (
        -- Only text that starts with a space (or is empty) can be blank. Comparisons with constants
        -- tell that at a fraction of the cost of a regular expression on every row (0.4 s on 10M
        -- names): UTF-8 sorts bytewise, so text starting with U+00A0 lies in [chr(160), chr(161)).
        (x < '!' OR (x >= chr(160) AND x < chr(161)) OR (x >= chr(12288) AND x < chr(12289)))
        AND regexp_full_match(x, '[\s\x{a0}\x{3000}]*')
    );

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
