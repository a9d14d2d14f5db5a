"""Parsing and planning a division code table (pure, no database)."""

from __future__ import annotations

import pytest

from weijian.orgs.importers.regions import decode, parse_regions, plan_regions, read_csv

GOOD = [
    ["code", "name"],
    ["360000", "江西省"],
    ["360300", "萍乡市"],
    ["360302", "安源区"],
]


def messages(result):
    return [str(error) for error in result.errors]


def test_good_table_parses_without_errors():
    result = parse_regions(GOOD)
    assert result.ok
    assert [(row.line, row.code, row.name) for row in result.rows] == [
        (2, "360000", "江西省"),
        (3, "360300", "萍乡市"),
        (4, "360302", "安源区"),
    ]


@pytest.mark.parametrize(
    "header", [["区划代码", "名称"], ["代码", "名称"], ["CODE", "Name"], ["名称", "区划代码"]]
)
def test_chinese_and_mixed_case_headers_in_any_order(header):
    rows = [header, ["360000", "江西省"] if header[0] != "名称" else ["江西省", "360000"]]
    result = parse_regions(rows)
    assert result.ok
    assert result.rows[0].code == "360000"


def test_extra_columns_are_ignored():
    result = parse_regions([["序号", "区划代码", "名称", "备注"], ["1", "360000", "江西省", "x"]])
    assert result.ok
    assert result.rows[0].name == "江西省"


def test_bad_code_is_reported_with_its_line():
    result = parse_regions([*GOOD, ["360321", "莲花县"], ["3603X1", "某县"]])
    assert messages(result) == ["第6行：区划代码“3603X1”应为6位、9位或12位数字"]
    assert not result.ok


def test_every_error_is_reported_not_only_the_first():
    rows = [["code", "name"], ["36", "甲"], ["360000", ""], ["1234567", "乙"]]
    assert messages(parse_regions(rows)) == [
        "第2行：区划代码“36”应为6位、9位或12位数字",
        "第3行：名称不能为空",
        "第4行：区划代码“1234567”应为6位、9位或12位数字",
    ]


def test_duplicate_code_names_the_first_line():
    result = parse_regions([*GOOD, ["360302", "安源区"]])
    assert messages(result) == ["第5行：区划代码“360302”与第4行重复"]


def test_missing_parent_is_an_error():
    result = parse_regions([["code", "name"], ["360302", "安源区"]])
    assert messages(result) == ["第2行：上级区划“360000”在文件和系统中都不存在"]


def test_parent_may_come_from_the_system():
    result = parse_regions([["code", "name"], ["360302", "安源区"]], known_codes={"360000"})
    assert result.ok


def test_township_needs_its_county():
    result = parse_regions([["code", "name"], ["360302001", "某街道"]], known_codes={"360000"})
    assert messages(result) == ["第2行：上级区划“360302”在文件和系统中都不存在"]


def test_blank_lines_are_skipped_but_counted():
    result = parse_regions([["code", "name"], [], ["", " "], ["360000", "江西省"]])
    assert result.ok
    assert result.rows[0].line == 4


def test_header_without_required_columns_is_rejected():
    assert messages(parse_regions([["编号", "地名"], ["360000", "江西省"]])) == [
        "第1行：表头应包含区划代码列（code、代码或区划代码）和名称列（name 或名称）"
    ]


def test_empty_file_is_rejected():
    assert messages(parse_regions([])) == ["第1行：文件为空"]


def test_cells_are_stripped():
    result = parse_regions([["code", "name"], [" 360000 ", " 江西省 "]])
    assert (result.rows[0].code, result.rows[0].name) == ("360000", "江西省")


CSV_TEXT = "区划代码,名称\r\n360000,江西省\r\n360300,萍乡市\r\n"


@pytest.mark.parametrize(
    "data",
    [
        CSV_TEXT.encode("utf-8"),
        "\ufeff".encode() + CSV_TEXT.encode("utf-8"),
        CSV_TEXT.encode("gb18030"),
    ],
    ids=["utf-8", "utf-8 with BOM", "gb18030"],
)
def test_read_csv_accepts_utf8_bom_and_gb18030(data):
    result = parse_regions(read_csv(data))
    assert result.ok
    assert [row.name for row in result.rows] == ["江西省", "萍乡市"]


def test_bom_left_in_the_header_cell_is_ignored():
    result = parse_regions([["\ufeffcode", "name"], ["360000", "江西省"]])
    assert result.ok


def test_decode_prefers_utf8():
    assert decode("萍乡".encode()) == "萍乡"
    assert decode("萍乡".encode("gb18030")) == "萍乡"


def test_plan_counts_new_renamed_and_unchanged():
    rows = parse_regions(GOOD + [["360313", "湘东区"]]).rows
    existing = {
        "360000": ("江西省", None),
        "360300": ("萍乡市", "360000"),
        "360302": ("安源", "360300"),
    }
    plan = plan_regions(rows, existing)
    assert [change.code for change in plan.new] == ["360313"]
    assert plan.new[0].parent_code == "360300"
    assert plan.new[0].level == 3
    assert plan.renamed == 1
    assert plan.unchanged == 2
    assert plan.summary() == "新增1个，更名1个，调整上级0个，未变化2个"
    assert [change.describe() for change in plan.changes] == [
        "更名 360302 安源 → 安源区",
        "新增 360313 湘东区，上级 360300",
    ]


def test_plan_moves_a_district_under_newly_listed_city_districts():
    rows = parse_regions([["code", "name"], ["500100", "市辖区"], ["500103", "渝中区"]]).rows
    existing = {"500000": ("重庆市", None), "500103": ("渝中区", "500000")}
    plan = plan_regions(rows, existing)
    assert [change.code for change in plan.new] == ["500100"]
    assert plan.reparented == 1
    assert plan.updated[0].parent_code == "500100"


def test_plan_lists_new_parents_before_children():
    rows = parse_regions(
        [["code", "name"], ["360302", "安源区"], ["360300", "萍乡市"], ["360000", "江西省"]]
    ).rows
    assert [change.code for change in plan_regions(rows, {}).new] == ["360000", "360300", "360302"]


def test_statistics_bureau_codes_are_normalised_and_villages_skipped():
    rows = [
        ["code", "name"],
        ["360302000000", "安源区"],
        ["360302001000", "八一街道"],
        ["360302001001", "某社区居委会"],
    ]
    parsed = parse_regions(rows, known_codes={"360300"})
    assert parsed.ok, parsed.errors
    assert [(row.code, row.name) for row in parsed.rows] == [
        ("360302", "安源区"),
        ("360302001", "八一街道"),
    ]
    assert parsed.villages_skipped == 1


def test_names_too_long_or_with_control_characters_are_row_errors():
    rows = [["code", "name"], ["360302", "长" * 101], ["360313", "湘东\n区"]]
    parsed = parse_regions(rows, known_codes={"360300"})
    assert [str(error) for error in parsed.errors] == [
        "第2行：名称过长（101个字符），不能超过100个字符",
        "第3行：名称含有换行符或其他控制字符",
    ]
