"""Parsing industry codes as users type them."""

from __future__ import annotations

import pytest

from digicons.scope.gbt4754 import CodeSyntaxError, IndustryCode, Level, load_structure


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5292", IndustryCode(Level.CLASS, "5292")),
        (" I6422 ", IndustryCode(Level.CLASS, "6422")),
        ("i6422", IndustryCode(Level.CLASS, "6422")),
        ("\u30000111\u3000", IndustryCode(Level.CLASS, "0111")),
        ("52", IndustryCode(Level.DIVISION, "52")),
        ("527", IndustryCode(Level.GROUP, "527")),
        ("F", IndustryCode(Level.SECTION, "F")),
        ("O", IndustryCode(Level.SECTION, "O")),
    ],
)
def test_parse_accepts(text: str, expected: IndustryCode) -> None:
    assert load_structure().parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("ABCD", "not an industry code"),
        ("52921", "not an industry code"),
        ("5 292", "not an industry code"),
        ("0011", "division 00 does not exist"),
        ("A6422", "section letter A does not match division 64"),
        ("Z", "not a GB/T 4754-2017 section"),
    ],
)
def test_parse_rejects(text: str, message: str) -> None:
    with pytest.raises(CodeSyntaxError, match=message):
        load_structure().parse(text)


def test_sections_cover_all_97_divisions() -> None:
    structure = load_structure()
    assert len(structure.sections) == 20 and len(structure.divisions) == 97
    assert structure.divisions_of("O") == ["80", "81", "82"]
    assert structure.section_of("70").letter == "K"
