"""The user's official code table and where digicons finds it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from digicons.errors import InputError
from digicons.scope.codetable import ENV_VAR, config_path, load_code_table, locate_code_table


def test_reference_table_loads(reference_path: Path) -> None:
    table = load_code_table(reference_path)
    assert len(table.classes) == 1381
    assert table.names["5292"] == "互联网零售"
    assert table.names["K"] == "房地产业"
    assert table.is_class("6432") and not table.is_class("643")


def test_gbk_csv_with_letter_prefixes_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_bytes("代码,名称\n门类,\nI6422,互联网游戏服务\n 5292 ,互联网零售\n".encode("gbk"))
    table = load_code_table(path)
    assert table.names == {"6422": "互联网游戏服务", "5292": "互联网零售"}


def test_the_official_layout_with_a_column_per_level(tmp_path: Path) -> None:
    # GB/T 4754-2017 as the NBS publishes it: 门类 | 大类 | 中类 | 小类 | 类别名称, one level's code
    # per row in its own column; a 小类 saved as a number has lost its leading zero.
    path = tmp_path / "gbt4754.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["国民经济行业分类（GB/T 4754—2017）"])
    sheet.append(["门类", "大类", "中类", "小类", "类别名称", "说明"])
    for row in (
        ["A", None, None, None, "农、林、牧、渔业", "本门类包括01～05大类"],
        [None, "01", None, None, "农业", None],
        [None, None, "011", None, "谷物种植", None],
        [None, None, None, "0111", "稻谷种植", None],
        [None, None, None, 112, "小麦种植", None],
        ["I", None, None, None, "信息传输、软件和信息技术服务业", None],
        [None, 64, None, None, "互联网和相关服务", None],
        [None, None, 642, None, "互联网平台", None],
        [None, None, None, 6422, "互联网生活服务平台", "指…"],
    ):
        sheet.append(row)
    book.save(path)
    table = load_code_table(path)
    assert table.classes == ["0111", "0112", "6422"]
    assert table.names["6422"] == "互联网生活服务平台" and table.names["642"] == "互联网平台"
    assert table.names["A"] == "农、林、牧、渔业" and table.names["01"] == "农业"


def test_a_table_without_classes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("code,name\n52,零售业\n", encoding="utf-8")
    with pytest.raises(InputError, match="no 4-digit class codes"):
        load_code_table(path)


def test_locate_prefers_option_then_env_then_config(tmp_path: Path) -> None:
    explicit = tmp_path / "a.csv"
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    assert locate_code_table(None, env) is None
    config = config_path(env)
    config.parent.mkdir(parents=True)
    config.write_text("code,name\n5292,互联网零售\n", encoding="utf-8")
    assert locate_code_table(None, env) == config
    assert locate_code_table(None, {**env, ENV_VAR: "/x/codes.xlsx"}) == Path("/x/codes.xlsx")
    assert locate_code_table(explicit, {**env, ENV_VAR: "/x/codes.xlsx"}) == explicit
