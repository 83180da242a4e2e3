"""The classification data and the most-specific-pattern rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digicons.errors import DataError
from digicons.resources import resource_dir
from digicons.scope.catalogue import (
    AmbiguityError,
    Catalogue,
    Grain,
    catalogue_records,
    load_catalogue,
)
from digicons.scope.regions import abolished, region_levels

EXAMPLES = [
    ("5292", "40202", False, "5292"),
    ("5211", "50602", True, "52*"),
    ("5273", "20201", False, "5273"),
    ("8121", "20401", False, "8121"),
    ("8011", "50907", True, "O*"),
    ("7010", "50904", True, "K*"),
    ("6637", "40301", False, "6637"),
    ("6631", "50501", True, "66*"),
    ("8610", "30304", True, "8610*"),
    ("8624", "40408", False, "8624"),
    ("8621", "50908", True, "86*"),
    ("7114", "20301", False, "7114"),
    ("7111", "50605", True, "71*"),
    ("3921", None, False, None),
]


def test_counts_are_5_22_63(catalogue: Catalogue) -> None:
    assert [len(catalogue.level(level)) for level in ("major", "medium", "minor")] == [5, 22, 63]


def test_every_minor_has_a_medium_and_major_parent(catalogue: Catalogue) -> None:
    for minor in catalogue.level("minor"):
        major, medium, leaf = catalogue.lineage(minor.code)
        assert (major.level, medium.level, leaf.level) == ("major", "medium", "minor")
        assert minor.code.startswith(medium.code) or minor.code == "20500"
        assert medium.code.startswith(major.code)


def test_names_are_non_empty_and_nbs_codes_padded(catalogue: Catalogue) -> None:
    for category in catalogue.categories.values():
        assert category.name.strip() == category.name and category.name
        assert category.nbs_code == "0" + category.code


def test_minors_without_patterns(catalogue: Catalogue) -> None:
    empty = [m.code for m in catalogue.level("minor") if not catalogue.patterns_of(m.code)]
    assert empty == ["20500", "30502"]
    assert catalogue.categories["20500"].parent == "204"


def test_pattern_grains_and_partial_flags(catalogue: Catalogue) -> None:
    by_text = {p.text: p for p in catalogue.patterns}
    assert (by_text["5292"].grain, by_text["5292"].partial) == (Grain.CLASS, False)
    assert (by_text["8610*"].grain, by_text["8610*"].partial) == (Grain.CLASS, True)
    assert (by_text["52*"].grain, by_text["52*"].partial) == (Grain.DIVISION, True)
    assert (by_text["O*"].grain, by_text["O*"].key) == (Grain.SECTION, "O")
    # 54 classes, 16 divisions (52 54 60 61 62 66 68 69 71 72 83 84 86 88 89 90), 2 sections (K O).
    grains = [p.grain for p in catalogue.patterns]
    assert (grains.count(Grain.CLASS), grains.count(Grain.DIVISION)) == (54, 16)
    assert grains.count(Grain.SECTION) == 2
    assert all(p.partial for p in catalogue.patterns if p.grain is not Grain.CLASS)


@pytest.mark.parametrize(("code", "minor", "partial", "matched"), EXAMPLES)
def test_examples_from_the_issue(
    catalogue: Catalogue, code: str, minor: str | None, partial: bool, matched: str | None
) -> None:
    assignment = catalogue.resolve(code)
    assert assignment.minor == minor
    assert assignment.partial is partial
    assert (assignment.pattern.text if assignment.pattern else None) == matched


def test_resolution_is_unambiguous_over_every_reference_class(
    catalogue: Catalogue, reference_classes: list[str]
) -> None:
    assert len(reference_classes) == 1381
    digital = 0
    for code in reference_classes:
        found = catalogue.candidates(code)
        if found:
            top = max(p.grain for p in found)
            assert sum(p.grain == top for p in found) == 1, code
            digital += 1
        assert catalogue.resolve(code).minor == (
            max(found, key=lambda p: p.grain).minor if found else None
        )
    # Independently: a class is digital when it is a class pattern or lies in a starred division
    # or in sections K (70) and O (80-82).
    starred = {
        "52",
        "54",
        "60",
        "61",
        "62",
        "66",
        "68",
        "69",
        "71",
        "72",
        "83",
        "84",
        "86",
        "88",
        "89",
        "90",
        "70",
        "80",
        "81",
        "82",
    }
    class_keys = {p.key for p in catalogue.patterns if p.grain is Grain.CLASS}
    assert digital == sum(c[:2] in starred or c in class_keys for c in reference_classes)


def test_every_class_pattern_is_a_real_class(
    catalogue: Catalogue, reference_rows: list[dict[str, str]]
) -> None:
    names = {r["code"]: r["name"] for r in reference_rows}
    for pattern in catalogue.patterns:
        assert pattern.key in names, pattern.text
        assert names[pattern.key] == pattern.industry_name, pattern.text


def test_structure_matches_the_reference(
    catalogue: Catalogue, reference_rows: list[dict[str, str]]
) -> None:
    divisions = {
        r["code"]: (r["name"], r["parent"]) for r in reference_rows if r["level"] == "division"
    }
    sections = {r["code"]: r["name"] for r in reference_rows if r["level"] == "section"}
    assert {
        d.code: (d.name, d.section) for d in catalogue.structure.divisions.values()
    } == divisions
    assert {s.letter: s.name for s in catalogue.structure.sections.values()} == sections


def test_every_reference_class_is_in_the_materialised_table(
    catalogue: Catalogue, reference_classes: list[str]
) -> None:
    possible = set(catalogue.possible_classes())
    assert set(reference_classes) <= possible
    table = {a.class_code: a for a in catalogue.class_map(reference_classes)}
    assert table["5292"].minor == "40202"
    assert table["8121"].section == "O"


@given(st.sampled_from(sorted(load_catalogue().possible_classes())))
def test_property_each_class_has_at_most_one_minor(code: str) -> None:
    catalogue = load_catalogue()
    found = catalogue.candidates(code)
    assignment = catalogue.resolve(code)
    if not found:
        assert assignment.minor is None
        return
    # The winner is the unique most specific pattern, and no pattern more specific matches.
    assert assignment.pattern is not None
    assert all(p.grain <= assignment.pattern.grain for p in found)
    assert [p for p in found if p.grain == assignment.pattern.grain] == [assignment.pattern]


@given(st.sampled_from(sorted(load_catalogue().possible_classes())))
def test_property_class_pattern_beats_division_and_section(code: str) -> None:
    catalogue = load_catalogue()
    grains = {p.grain for p in catalogue.candidates(code)}
    pattern = catalogue.resolve(code).pattern
    if Grain.CLASS in grains:
        assert pattern is not None and pattern.grain is Grain.CLASS
    elif Grain.DIVISION in grains:
        assert pattern is not None and pattern.grain is Grain.DIVISION


def _copy_classification(tmp_path: Path) -> Path:
    folder = tmp_path / "classification"
    shutil.copytree(resource_dir("classification"), folder)
    return folder


def test_an_ambiguous_pattern_refuses_to_load(tmp_path: Path) -> None:
    folder = _copy_classification(tmp_path)
    with (folder / "patterns.csv").open("a", encoding="utf-8") as handle:
        handle.write("50603,52*,零售业\n")
    with pytest.raises(AmbiguityError, match="52\\* \\(50602\\), 52\\* \\(50603\\)"):
        load_catalogue(folder)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("50603,5X*,坏\n", "cannot parse pattern"),
        ("99999,5292,互联网零售\n", "unknown minor"),
        ("50603,52,零售业\n", "cannot parse pattern"),  # a division must carry *
    ],
)
def test_bad_patterns_are_reported(tmp_path: Path, line: str, message: str) -> None:
    folder = _copy_classification(tmp_path)
    with (folder / "patterns.csv").open("a", encoding="utf-8") as handle:
        handle.write(line)
    with pytest.raises(DataError, match=message):
        load_catalogue(folder)


def test_orphan_minor_is_reported(tmp_path: Path) -> None:
    folder = _copy_classification(tmp_path)
    with (folder / "categories.csv").open("a", encoding="utf-8") as handle:
        handle.write("minor,60101,060101,孤儿,601\n")
    with pytest.raises(DataError, match="no medium parent"):
        load_catalogue(folder)


def test_catalogue_records_flatten_the_tree(catalogue: Catalogue) -> None:
    records = catalogue_records(catalogue)
    assert len(records) == 63
    first = records[0]
    assert first["minor_code"] == "10101" and first["patterns"] == "3911"
    retail = next(r for r in records if r["minor_code"] == "50602")
    assert retail["partial"] is True and retail["major_code"] == "5"


def test_every_abolished_division_has_a_successor_in_force() -> None:
    levels = region_levels()
    changes = abolished()
    assert len(changes) == 12
    for change in changes.values():
        # An old code is no longer in the table of codes in force; its successor is, at the
        # same level (a county's code to a district's, 北京市县 110200 to 110100).
        assert change.code not in levels and change.successor in levels, change
        expected = "city" if change.code.endswith("00") else "county"
        assert levels[change.successor] == expected, change
