"""The digital-consumption catalogue: 5 / 22 / 63 categories and the rule that maps classes."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cache, cached_property
from pathlib import Path

from digicons.errors import DataError
from digicons.resources import data_rows, resource_dir
from digicons.scope.gbt4754 import IndustryCode, Level, Structure, load_structure

_CODE_LENGTH = {"major": 1, "medium": 3, "minor": 5}


class Grain(IntEnum):
    """How much of the classification a pattern names; a larger value is more specific."""

    SECTION = 1
    DIVISION = 2
    CLASS = 4


def display_name(level: str, name: str, partial: bool) -> str:
    """A category as every table prints it: 合计 for the total, * after a partly digital one."""
    return ("合计" if level == "total" else name) + ("*" if partial else "")


@dataclass(frozen=True)
class Category:
    """One major, medium or minor digital-consumption category."""

    level: str
    code: str
    nbs_code: str
    name: str
    parent: str | None


@dataclass(frozen=True)
class Pattern:
    """One GB/T 4754-2017 pattern of a minor category, as the appendix prints it (`52*`)."""

    minor: str
    text: str
    key: str
    grain: Grain
    partial: bool
    industry_name: str


@dataclass(frozen=True)
class Assignment:
    """The resolved category of one class: the winning pattern, or none (not digital)."""

    class_code: str
    section: str
    pattern: Pattern | None

    @property
    def minor(self) -> str | None:
        return None if self.pattern is None else self.pattern.minor

    @property
    def partial(self) -> bool:
        return self.pattern is not None and self.pattern.partial


class AmbiguityError(DataError):
    """Two patterns of the same grain match one class."""


@dataclass(frozen=True)
class Scope:
    """What a catalogue measures and where its categories come from (`scope.toml`)."""

    name: str
    title: str
    source: str
    industry_classification: str


@dataclass
class Catalogue:
    """The categories, their patterns, and the GB/T structure the patterns refer to."""

    categories: dict[str, Category]
    patterns: tuple[Pattern, ...]
    structure: Structure
    scope: Scope
    _index: dict[tuple[Grain, str], list[Pattern]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for pattern in self.patterns:
            self._index.setdefault((pattern.grain, pattern.key), []).append(pattern)

    def level(self, level: str) -> list[Category]:
        return [c for c in self.categories.values() if c.level == level]

    def children(self, code: str) -> list[Category]:
        return [c for c in self.categories.values() if c.parent == code]

    def lineage(self, minor: str) -> tuple[Category, Category, Category]:
        """Return (major, medium, minor) for a minor code."""
        leaf = self.categories[minor]
        medium = self.categories[leaf.parent or ""]
        major = self.categories[medium.parent or ""]
        return major, medium, leaf

    def patterns_of(self, minor: str) -> list[Pattern]:
        return [p for p in self.patterns if p.minor == minor]

    def minors_under(self, code: str) -> list[str]:
        category = self.categories[code]
        if category.level == "minor":
            return [code]
        return [m for child in self.children(code) for m in self.minors_under(child.code)]

    @cached_property
    def _partial_codes(self) -> frozenset[str]:
        return frozenset(
            code
            for code in self.categories
            if any(p.partial for m in self.minors_under(code) for p in self.patterns_of(m))
        )

    def is_partial(self, code: str) -> bool:
        """A category is partial when any pattern beneath it is marked `*`."""
        return code in self._partial_codes

    def candidates(self, class_code: str) -> list[Pattern]:
        """Every pattern that matches a 4-digit class, most specific first."""
        division = class_code[:2]
        section = self.structure.divisions[division].section
        found: list[Pattern] = []
        for grain, key in (
            (Grain.CLASS, class_code),
            (Grain.DIVISION, division),
            (Grain.SECTION, section),
        ):
            found.extend(self._index.get((grain, key), []))
        return found

    def resolve(self, class_code: str) -> Assignment:
        """Apply the rule to one class: the most specific matching pattern wins."""
        found = self.candidates(class_code)
        section = self.structure.divisions[class_code[:2]].section
        if not found:
            return Assignment(class_code, section, None)
        best = [p for p in found if p.grain == found[0].grain]
        if len(best) > 1:
            texts = ", ".join(f"{p.text} ({p.minor})" for p in best)
            raise AmbiguityError(f"class {class_code} is matched equally by {texts}")
        return Assignment(class_code, section, best[0])

    def class_map(self, classes: Iterable[str] | None = None) -> list[Assignment]:
        """The materialised rule: one assignment per class code.

        Without an official list of classes, every 4-digit code of an existing division is mapped.
        """
        codes = classes if classes is not None else self.possible_classes()
        return [self.resolve(code) for code in codes]

    def possible_classes(self) -> Iterator[str]:
        for division in self.structure.divisions:
            for suffix in range(100):
                yield f"{division}{suffix:02d}"

    def patterns_overlapping(self, industry: IndustryCode) -> list[Pattern]:
        """Patterns that name part of, or all of, a division, group or section."""
        if industry.level is Level.SECTION:
            divisions = set(self.structure.divisions_of(industry.code))
            return [
                p
                for p in self.patterns
                if (p.key == industry.code if p.grain is Grain.SECTION else p.key[:2] in divisions)
            ]
        code = industry.code
        section = self.structure.divisions[code[:2]].section
        return [
            p
            for p in self.patterns
            if (
                p.key == section
                if p.grain is Grain.SECTION
                else p.key.startswith(code) or code.startswith(p.key)
            )
        ]


def parse_pattern(minor: str, text: str, industry_name: str, structure: Structure) -> Pattern:
    """Parse one appendix pattern: `5292`, `8610*`, `52*`, `K*`."""
    partial = text.endswith("*")
    key = text.removesuffix("*")
    if len(key) == 4 and key.isdigit() and key[:2] in structure.divisions:
        grain = Grain.CLASS
    elif len(key) == 2 and key.isdigit() and key in structure.divisions and partial:
        grain = Grain.DIVISION
    elif key in structure.sections and partial:
        grain = Grain.SECTION
    else:
        raise DataError(f"小类 {minor}：无法解析行业规则 '{text}'（cannot parse pattern）")
    return Pattern(minor, text, key, grain, partial, industry_name)


def load_scope(folder: Path) -> Scope:
    path = folder / "scope.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Scope(
            str(data["name"]),
            str(data["title"]),
            str(data["source"]),
            str(data["industry_classification"]),
        )
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise DataError(
            f"{path}: 无法读取范围说明（cannot read the scope description: {exc}）"
        ) from exc


@cache
def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Load and check a scope folder (default: the packaged `classification/`).

    Raise DataError when it is inconsistent.
    """
    folder = directory or resource_dir("classification")
    structure = load_structure(folder)
    categories: dict[str, Category] = {}
    for row in data_rows(folder / "categories.csv"):
        level, code = row["level"], row["code"]
        if level not in _CODE_LENGTH or len(code) != _CODE_LENGTH[level] or not code.isdigit():
            raise DataError(f"categories.csv：{level or '级别'} 代码 '{code}' 有误（bad code）")
        if code in categories:
            raise DataError(f"categories.csv：代码 {code} 出现两次（appears twice）")
        if not row["name"].strip():
            raise DataError(f"categories.csv：{code} 没有名称（has no name）")
        parent = row["parent"] or None
        expected_parent = {"major": None, "medium": "major", "minor": "medium"}[level]
        if (parent is None) != (expected_parent is None) or (
            parent is not None
            and (parent not in categories or categories[parent].level != expected_parent)
        ):
            raise DataError(
                f"categories.csv：{code} 的上级 '{parent}' 不是{expected_parent}"
                f"（has no {expected_parent} parent）"
            )
        categories[code] = Category(level, code, row["nbs_code"], row["name"].strip(), parent)
    patterns = []
    for row in data_rows(folder / "patterns.csv"):
        minor = row["minor"]
        if minor not in categories or categories[minor].level != "minor":
            raise DataError(
                f"patterns.csv：规则 {row['pattern']} 指向不存在的小类 {minor}（unknown minor）"
            )
        patterns.append(parse_pattern(minor, row["pattern"], row["industry_name"], structure))
    catalogue = Catalogue(categories, tuple(patterns), structure, load_scope(folder))
    catalogue.class_map()  # refuses to load an ambiguous rule
    return catalogue


def catalogue_records(catalogue: Catalogue) -> list[dict[str, str | bool]]:
    """One flat record per minor category, for CSV export."""
    records: list[dict[str, str | bool]] = []
    for minor in catalogue.level("minor"):
        major, medium, _ = catalogue.lineage(minor.code)
        records.append(
            {
                "major_code": major.code,
                "major_name": major.name,
                "medium_code": medium.code,
                "medium_name": medium.name,
                "minor_code": minor.code,
                "minor_nbs_code": minor.nbs_code,
                "minor_name": minor.name,
                "patterns": ";".join(p.text for p in catalogue.patterns_of(minor.code)),
                "partial": catalogue.is_partial(minor.code),
            }
        )
    return records


def catalogue_tree(catalogue: Catalogue) -> list[dict[str, object]]:
    """The 5 / 22 / 63 tree with patterns, for JSON export."""

    def node(category: Category) -> dict[str, object]:
        out: dict[str, object] = {
            "code": category.code,
            "nbs_code": category.nbs_code,
            "name": category.name,
            "partial": catalogue.is_partial(category.code),
        }
        if category.level == "minor":
            out["patterns"] = [
                {
                    "pattern": p.text,
                    "grain": p.grain.name.lower(),
                    "partial": p.partial,
                    "industry_name": p.industry_name,
                }
                for p in catalogue.patterns_of(category.code)
            ]
        else:
            key = "mediums" if category.level == "major" else "minors"
            out[key] = [node(child) for child in catalogue.children(category.code)]
        return out

    return [node(major) for major in catalogue.level("major")]
