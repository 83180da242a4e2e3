-- Purpose: scalar macros shared by the measure queries.
-- Needs: nothing. Parameters: none.
-- blank(): NULL, empty or only spaces of any width (ASCII, no-break, ideographic).
-- total_label(): text that labels a total row: it ends with 合计, 总计, 小计 or 共计 (东城区小计,
--   总计：). Anywhere else the word is part of a name (北京联合计算机有限公司).
-- subtotal_label(): the total rows that are part of a file only (小计).
-- total_code(): a credit-code cell that labels a total row (合计 in the first column): only a
--   code of another length than 18 can, so most codes never reach the regular expression.
-- footer_text(): the first words of the notes and signatures under a report (注：, 单位负责人：).
-- mark_applies(): whether a mark of the credit-code pass applies to a row's code as read.
-- amount(): text as exported (spaces, thousands separators, full-width digits, a currency sign,
--   negatives in brackets) to an exact decimal,
--   NULL if not a number (the rule stated plainly: tests/test_properties.py, _amount_reference),
--   or too large (amount_too_large()).
-- A mark of the credit-code pass (digicons.measure.marks), keyed by the hash `h` of a code as
-- read, applies to the code read exactly (its `raw`), or, with no code as read (a repeated plain
-- code), to every code of its hash. For a join's condition: the hash stays an equality DuckDB
-- joins on, and most rows, which have no mark, need no CASE (the scan 0.07 s faster).
CREATE OR REPLACE TEMP MACRO mark_applies(h, raw, code_raw) AS
    h = hash(code_raw) AND (raw IS NULL OR raw = code_raw);

CREATE OR REPLACE TEMP MACRO blank(x) AS
    x IS NULL OR (
        -- Only text that starts with a space (or is empty) can be blank. Comparisons with constants
        -- tell that at a fraction of the cost of a regular expression on every row (0.4 s on 10M
        -- names): UTF-8 sorts bytewise, so text starting with U+00A0 lies in [chr(160), chr(161)).
        (x < '!' OR (x >= chr(160) AND x < chr(161)) OR (x >= chr(12288) AND x < chr(12289)))
        AND regexp_full_match(x, '[\s\x{a0}\x{3000}]*')
    );

-- The word that ends a total row's label: `first` (合|总|小|共, or 小 alone) then 计.
CREATE OR REPLACE TEMP MACRO ends_with_total(x, first) AS
    coalesce(
        regexp_matches(x, '(' || first || ')[\s\x{a0}\x{3000}]*计[\s\x{a0}\x{3000}:：]*$'),
        false
    );

CREATE OR REPLACE TEMP MACRO total_label(x) AS ends_with_total(x, '合|总|小|共');

-- CASE, not AND: in a projection DuckDB evaluates both sides of an AND on every row, and the
-- regular expression over 10M credit codes cost 0.5 s.
CREATE OR REPLACE TEMP MACRO total_code(code, raw) AS
    CASE WHEN length(code) <> 18 THEN total_label(raw) ELSE false END;

CREATE OR REPLACE TEMP MACRO footer_text(x) AS
    coalesce(regexp_matches(
        x,
        '^[\s\x{a0}\x{3000}]*(注|说明|备注|填表|制表|审核|复核|单位负责人|统计负责人|负责人|填报人|'
        || '联系电话|报出日期|填报日期|数据来源|资料来源)'
    ), false);

CREATE OR REPLACE TEMP MACRO subtotal_label(x) AS ends_with_total(x, '小');

-- amount_text(): the text of an amount with its forms undone: full-width forms, spaces of any
-- width and invisible characters (zero-width, BOM) removed, a leading currency sign (¥1,234.50, a
-- currency format exported as text) and thousands separators dropped, a number in brackets made
-- negative ((1,234.50), a format with negatives in brackets). A comma separates thousands only:
-- elsewhere (1234,5 with a decimal comma, 12,34) the text is '' (no number), where dropping it
-- would read 1234,5 as 12345 (regexp_extract() gives '' when nothing matches).
CREATE OR REPLACE TEMP MACRO amount_text(x) AS
    replace(
        replace(
            regexp_extract(
                regexp_replace(
                    regexp_replace(
                        translate(x, '０１２３４５６７８９．－＋，−￥（）', '0123456789.-+,-¥()'),
                        '[\s\x{a0}\x{3000}\x{200b}-\x{200d}\x{2060}\x{feff}]',
                        '',
                        'g'
                    ),
                    '^[(](.*)[)]$',
                    '-\1'
                ),
                '^[+-]?¥?[0-9]{1,3}(,[0-9]{3})+([.][0-9]*)?$|^[^,¥]*$|^[+-]?¥[^,¥]*$',
                0
            ),
            ',',
            ''
        ),
        '¥',
        ''
    );

CREATE OR REPLACE TEMP MACRO amount(x) AS
    coalesce(
        -- The plain cast first, the common case and much the cheapest; but a cast that fails
        -- costs more than it does when it succeeds, so text with thousands separators (a whole
        -- column of them in some exports) goes straight to a cast without them.
        CASE WHEN NOT contains(x, ',') THEN TRY_CAST(x AS DECIMAL(18, 4))
            WHEN regexp_full_match(x, '\s*[+-]?[0-9]{1,3}(,[0-9]{3})+([.][0-9]*)?\s*')
                THEN TRY_CAST(replace(x, ',', '') AS DECIMAL(18, 4))
        END,
        -- The normalised text is written once: DuckDB computes a repeated subexpression for every
        -- row, before coalesce() could skip it (the clean 10M rows took 10 times as long).
        TRY_CAST(amount_text(x) AS DECIMAL(18, 4))
    );

-- amount_too_large(): for text that amount() makes no number of: it is a number all the same, too
-- large for DECIMAL(18, 4) (10^14 or more once rounded to 4 places; digits, a point, an exponent).
-- Only the rows without an amount ask (a rule's condition after revenue_value IS NULL).
CREATE OR REPLACE TEMP MACRO amount_too_large(x) AS
    regexp_full_match(amount_text(x), '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?');
