"""GB/T 4754-2017 structure (sections and divisions) and the parsing of industry codes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path

from digicons.errors import DataError
from digicons.resources import data_rows, resource_dir

# Spaces of every width around a value, and the invisible characters that come with text copied
# from web pages or joined files (zero-width space and joiners, word joiner, BOM).
SPACES = " \t\r\n\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff"
_CLASS = re.compile(r"([A-Z])?([0-9]{4})")
_DIVISION = re.compile(r"([A-Z])?([0-9]{2})")
_GROUP = re.compile(r"([A-Z])?([0-9]{3})")
# A code that went through a number type: 6422.0, 110105.0 (read so in every input too).
INTEGRAL_FLOAT = re.compile(r"([A-Z]?[0-9]+)\.0*")
_SECTION = re.compile(r"[A-Z]")


def code_text(text: str) -> str:
    """A code as written, in the form digicons compares: full-width forms as ASCII (６４２２,
    Ｉ６４２２), no surrounding spaces, upper case, a number type's trace undone (6422.0)."""
    code = unicodedata.normalize("NFKC", text).strip(SPACES).upper()
    number = INTEGRAL_FLOAT.fullmatch(code)
    return number.group(1) if number else code


class Level(Enum):
    """The four levels of GB/T 4754-2017."""

    SECTION = "section"
    DIVISION = "division"
    GROUP = "group"
    CLASS = "class"


@dataclass(frozen=True)
class Section:
    """A section (门类) and the divisions it covers."""

    letter: str
    name: str
    first_division: int
    last_division: int

    def covers(self, division: str) -> bool:
        return self.first_division <= int(division) <= self.last_division


@dataclass(frozen=True)
class Division:
    """A division (大类)."""

    code: str
    name: str
    section: str


@dataclass(frozen=True)
class IndustryCode:
    """A parsed industry code: its level and its digits (or letter, for a section)."""

    level: Level
    code: str


class CodeSyntaxError(ValueError):
    """A code that is not a well-formed GB/T 4754-2017 code."""


@dataclass(frozen=True)
class Structure:
    """The sections and divisions of GB/T 4754-2017."""

    sections: dict[str, Section]
    divisions: dict[str, Division]

    def section_of(self, division: str) -> Section:
        return self.sections[self.divisions[division].section]

    def divisions_of(self, letter: str) -> list[str]:
        return [d.code for d in self.divisions.values() if d.section == letter]

    def parse(self, text: str) -> IndustryCode:
        """Parse a code as users type it: `5292`, ` I6422 `, `52`, `527`, `F`."""
        code = code_text(text)  # as measure reads a file's codes
        if not code:
            raise CodeSyntaxError("代码为空（empty code）")
        if _SECTION.fullmatch(code):
            if code not in self.sections:
                raise CodeSyntaxError(
                    f"'{code}' 不是 GB/T 4754-2017 的门类（A–T）"
                    f"（'{code}' is not a GB/T 4754-2017 section）"
                )
            return IndustryCode(Level.SECTION, code)
        for level, pattern in (
            (Level.CLASS, _CLASS),
            (Level.GROUP, _GROUP),
            (Level.DIVISION, _DIVISION),
        ):
            match = pattern.fullmatch(code)
            if match is None:
                continue
            letter, digits = match.group(1), match.group(2)
            division = digits[:2]
            if division not in self.divisions:
                raise CodeSyntaxError(
                    f"大类 {division} 在 GB/T 4754-2017 中不存在"
                    f"（division {division} does not exist in GB/T 4754-2017）"
                )
            section = self.divisions[division].section
            if letter is not None and letter != section:
                raise CodeSyntaxError(
                    f"门类字母 {letter} 与大类 {division} 不符，应为 {section}"
                    f"（section letter {letter} does not match division {division}）"
                )
            return IndustryCode(level, digits)
        raise CodeSyntaxError(
            "不是行业代码：小类为4位数字（5292 或 I6422），或大类 52、中类 527、门类 F"
            "（not an industry code）"
        )


@cache
def load_structure(directory: Path | None = None) -> Structure:
    """Load the sections and divisions written in `classification/`."""
    folder = directory or resource_dir("classification")
    sections = {
        row["section"]: Section(
            row["section"], row["name"], int(row["first_division"]), int(row["last_division"])
        )
        for row in data_rows(folder / "gbt4754_sections.csv")
    }
    divisions = {
        row["division"]: Division(row["division"], row["name"], row["section"])
        for row in data_rows(folder / "gbt4754_divisions.csv")
    }
    for division in divisions.values():
        section = sections.get(division.section)
        if section is None or not section.covers(division.code):
            raise DataError(
                f"大类 {division.code} 不在门类 {division.section} 之内"
                f"（division {division.code} is not inside section {division.section}）"
            )
    return Structure(sections, divisions)
