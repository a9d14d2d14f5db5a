"""parse_sheet on task tables made by hand in other shapes (built here with openpyxl)."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from weijian.plans.importers.files import UnsupportedFile, read_plan
from weijian.plans.importers.parser import ParsedPlan, ParsedTask
from weijian.plans.importers.sheet import (
    DUE,
    LEAD,
    NAME,
    NUMBER,
    PARTNER,
    RESPONSIBLE,
    TARGET,
    TASK,
    SheetError,
    column_kind,
    number_cell,
    parse_sheet,
    read_target_line,
    target_line,
)


def book(rows: Sequence[Sequence[Any]], merges: Sequence[str] = (), sheets: int = 0) -> bytes:
    """An .xlsx with `rows` from A1 on its last sheet (after `sheets` empty-ish sheets)."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    for index in range(sheets):
        other = workbook.create_sheet(f"说明{index}") if index else first
        other.append(["填表说明：请按要求填写"])
    ws = workbook.create_sheet("任务") if sheets else first
    for row in rows:
        ws.append(list(row))
    for cells in merges:
        ws.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tasks(plan: ParsedPlan) -> list[ParsedTask]:
    return list(plan.walk())


def paths(plan: ParsedPlan) -> list[str]:
    return [task.path for task in plan.walk()]


def warnings(plan: ParsedPlan) -> list[tuple[int, str]]:
    return [(w.line, w.message) for w in plan.warnings]


# --- header and title -------------------------------------------------------------------------


def test_header_on_row_3_below_a_merged_title():
    data = book(
        [
            ["2021年临江市卫生健康重点工作任务分工表"],
            [],
            ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "备注"],
            [1, "推进紧密型县域医共体建设。", "市卫健委", "市医保局、市财政局", "年底前", "无"],
            [2, "完善家庭医生签约服务。", "市卫健委", "", "2021年6月底前", ""],
        ],
        merges=["A1:F1"],
    )
    plan = parse_sheet(data)
    assert plan.title == "2021年临江市卫生健康重点工作任务分工表"
    assert plan.year == 2021
    assert paths(plan) == ["1", "2"]
    first, second = tasks(plan)
    assert (first.label, first.line, first.title, first.text) == (
        "1",
        4,
        "推进紧密型县域医共体建设",
        "",
    )
    assert (first.lead, first.partners) == (["市卫健委"], ["市医保局", "市财政局"])
    assert (first.due, first.due_text) == (datetime.date(2021, 12, 31), "年底前")
    assert (second.due, second.partners) == (datetime.date(2021, 6, 30), [])
    assert plan.units == ["市卫健委", "市医保局", "市财政局"]
    assert plan.warnings == []


def test_title_and_year_arguments_win():
    data = book([["某表"], ["序号", "任务", "牵头单位"], ["1", "任务一", "市卫健委"]])
    plan = parse_sheet(data, title="另一个标题", year=2030)
    assert (plan.title, plan.year) == ("另一个标题", 2030)


def test_columns_in_another_order_with_other_header_words():
    data = book(
        [
            ["完成\n时间", "责任\n部门", "重点任务", "编 号", "协作单位（部门）", "量化指标"],
            [
                "2022年第三季度",
                "县卫健局",
                "加强慢病管理。高血压患者规范管理率达到65%以上。",
                "1",
                "县医保局",
                "到2025年，高血压患者规范管理率达到70%以上",
            ],
        ]
    )
    plan = parse_sheet(data)
    (task,) = tasks(plan)
    assert (task.label, task.title, task.text) == (
        "1",
        "加强慢病管理",
        "高血压患者规范管理率达到65%以上。",
    )
    assert (task.responsible, task.partners, task.lead) == (["县卫健局"], ["县医保局"], [])
    assert task.due == datetime.date(2022, 9, 30)
    # The 量化指标 column is the targets' only source: the 65% in the text is not read twice.
    [(indicator, comparator, value, year)] = [
        (t.indicator, t.comparator, t.value, t.year) for t in task.targets
    ]
    assert (indicator, comparator, value, year) == ("高血压患者规范管理率", ">=", 70.0, 2025)


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("序号", NUMBER),
        ("编  号", NUMBER),
        ("任务名称", NAME),
        ("任务内容", TASK),
        ("主要任务", TASK),
        ("具体任务", TASK),
        ("工作措施", TASK),
        ("重点任务及措施", TASK),
        ("牵头单位", LEAD),
        ("牵头\n部门", LEAD),
        ("牵头责任单位", LEAD),
        ("配合单位", PARTNER),
        ("参与单位", PARTNER),
        ("协作部门", PARTNER),
        ("责任单位", RESPONSIBLE),
        ("责任部门（单位）", RESPONSIBLE),
        ("完成时限", DUE),
        ("时间要求", DUE),
        ("完成时间", DUE),
        ("时限", DUE),
        ("目标", TARGET),
        ("量化指标", TARGET),
        ("工作目标", TARGET),
        ("备注", None),
        ("责任领导", None),
        ("牵头领导", None),
        ("责任人", None),
        ("完成情况", None),
        ("", None),
    ],
)
def test_column_kinds(header, kind):
    assert column_kind(header) == kind


def test_a_header_over_two_rows():
    data = book(
        [
            ["附件1"],
            ["重点任务分工表"],
            ["序号", "任务", "责任单位", None, "完成时限"],
            [None, None, "牵头单位", "配合单位", None],
            ["1", "任务一。", "市卫健委", "市财政局", "2021年底前"],
        ],
        merges=["C3:D3", "A3:A4", "B3:B4", "E3:E4"],
    )
    plan = parse_sheet(data)
    assert plan.title == "重点任务分工表"
    (task,) = tasks(plan)
    assert (task.lead, task.partners, task.responsible) == (["市卫健委"], ["市财政局"], [])
    assert task.due == datetime.date(2021, 12, 31)
    assert plan.warnings == []


def test_the_first_sheet_with_a_header_is_read():
    data = book([["序号", "任务", "责任单位"], ["1", "任务一", "市卫健委"]], sheets=2)
    assert paths(parse_sheet(data)) == ["1"]


# --- the tree -----------------------------------------------------------------------------------


def test_merged_category_rows_become_parents():
    data = book(
        [
            ["序号", "任务", "牵头单位", "配合单位", "完成时限"],
            ["一、加强基层能力建设"],
            [1, "建设县域医疗次中心。", "市卫健委", "市发改委", "2022年底前"],
            [2, "推进乡村一体化管理。", "市卫健委", "", "长期坚持"],
            ["二、提升公共卫生服务"],
            [1, "加强疾控体系建设。", "市卫健委", "市编办", "2021年底前"],
        ],
        merges=["A2:E2", "A5:E5"],
    )
    plan = parse_sheet(data)
    assert paths(plan) == ["一", "一.1", "一.2", "二", "二.1"]
    category = plan.tasks[0]
    assert (category.label, category.title, category.text, category.line) == (
        "一",
        "加强基层能力建设",
        "",
        2,
    )
    assert [t.title for t in category.children] == ["建设县域医疗次中心", "推进乡村一体化管理"]
    assert category.children[1].due is None
    assert category.children[1].due_text == "长期坚持"
    assert plan.warnings == []


def test_a_category_heading_in_the_number_column_of_a_table_with_titles():
    data = book(
        [
            ["序号", "任务名称", "任务内容", "牵头单位"],
            ["一、医疗服务"],
            ["1", "分级诊疗", "推进分级诊疗。", "市卫健委"],
            ["2"],
        ],
        merges=["A2:D2"],
    )
    plan = parse_sheet(data)
    assert paths(plan) == ["一", "一.1", "一.2"]
    assert (plan.tasks[0].title, plan.tasks[0].text) == ("医疗服务", "")
    assert warnings(plan) == [(4, "任务“一.2”缺少任务内容")]


def test_category_rows_without_numbers_in_the_task_column():
    data = book(
        [
            ["序号", "工作任务", "责任单位"],
            [None, "医疗服务"],
            [1, "推进分级诊疗。", "市卫健委"],
            [2, "改善就医体验。", "市卫健委"],
            [None, "公共卫生"],
            [1, "开展爱国卫生运动。", "市爱卫办"],
        ]
    )
    plan = parse_sheet(data)
    assert paths(plan) == ["[1]", "[1].1", "[1].2", "[2]", "[2].1"]
    assert [t.title for t in plan.tasks] == ["医疗服务", "公共卫生"]
    assert plan.tasks[0].label == ""


def test_a_flat_table_stays_flat():
    data = book(
        [["序号", "任务内容", "责任单位"]]
        + [[n, f"第{n}项任务，按期完成。", "市卫健委"] for n in range(1, 11)]
    )
    plan = parse_sheet(data)
    assert paths(plan) == [str(n) for n in range(1, 11)]
    assert all(not task.children for task in plan.tasks)
    assert plan.tasks[9].responsible == ["市卫健委"]


def test_numbering_levels_nest_like_a_document():
    data = book(
        [
            ["序号", "任务名称", "任务内容", "牵头单位"],
            ["一", "总体要求", "", ""],
            ["（一）", "分级诊疗", "", ""],
            ["1.", "医联体", "建设医联体。", "市卫健委"],
            ["（1）", "城市医疗集团", "组建医疗集团。", "市卫健委"],
            ["①", "集团章程", "制定章程。", "市卫健委"],
            ["2、", "县域医共体", "建设医共体。", "县卫健局"],
            ["（二）", "公共卫生", "", ""],
            ["二", "保障措施", "加强组织领导。", "市政府办"],
        ]
    )
    plan = parse_sheet(data)
    assert paths(plan) == [
        "一",
        "一.(一)",
        "一.(一).1",
        "一.(一).1.(1)",
        "一.(一).1.(1).①",
        "一.(一).2",
        "一.(二)",
        "二",
    ]
    assert [t.label for t in plan.walk()] == ["一", "(一)", "1", "(1)", "①", "2", "(二)", "二"]
    # 任务名称 and 任务内容 stay apart as written.
    assert (plan.tasks[1].title, plan.tasks[1].text) == ("保障措施", "加强组织领导。")
    assert warnings(plan) == [(8, "任务“一.(二)”未填写责任单位")]


def test_dotted_numbers_build_the_tree():
    data = book(
        [
            ["序号", "任务", "牵头单位"],
            ["1", "医疗服务", ""],
            ["1.1", "推进分级诊疗。", "市卫健委"],
            ["1.2", "改善就医体验。", "市卫健委"],
            ["2", "公共卫生", ""],
            ["2.1", "开展爱国卫生运动。", "市爱卫办"],
            ["2.1.1", "创建卫生城市。", "市爱卫办"],
        ]
    )
    plan = parse_sheet(data)
    assert paths(plan) == ["1", "1.1", "1.2", "2", "2.1", "2.1.1"]
    assert [t.label for t in plan.walk()] == ["1", "1", "2", "2", "1", "1"]


def test_a_repeated_dotted_number_is_a_warning():
    data = book(
        [
            ["序号", "任务", "牵头单位"],
            ["1.1", "任务一。", "市卫健委"],
            ["1.1", "任务二。", "市卫健委"],
        ]
    )
    plan = parse_sheet(data)
    assert paths(plan) == ["1.1", "1.1"]
    assert warnings(plan) == [(3, "编号“1.1”重复，请核对")]


def test_dotted_numbers_under_a_chinese_heading():
    data = book(
        [
            ["序号", "任务", "牵头单位"],
            ["一、", "医疗服务", ""],
            ["1.1", "推进分级诊疗。", "市卫健委"],
            ["1.2", "改善就医体验。", "市卫健委"],
        ]
    )
    assert paths(parse_sheet(data)) == ["一", "一.1", "一.2"]


def test_a_position_segment_keeps_its_label():
    assert number_cell("三.[19]", "(一)") == "三.[19](一)"
    assert number_cell("三.[2]", "") == "三.[2]"
    assert number_cell("三.(一).1", "1") == "三.(一).1"
    assert number_cell("", "1") == "1"
    data = book(
        [
            ["序号", "任务", "牵头单位"],
            ["三", "保障", ""],
            ["三.(一)", "组织", "市卫健委"],
            ["三.[2](一)", "重复的编号", "市卫健委"],
            ["三.[2].1", "下级", "市卫健委"],
            ["三.[3]", "无编号", "市卫健委"],
        ]
    )
    plan = parse_sheet(data)
    assert [(t.label, t.path) for t in plan.walk()] == [
        ("三", "三"),
        ("(一)", "三.(一)"),
        ("(一)", "三.[2]"),
        ("1", "三.[2].1"),
        ("", "三.[3]"),
    ]


def test_labels_at_the_start_of_the_task_text():
    data = book(
        [
            ["任务", "牵头单位", "配合单位"],
            ["（一）加强基层建设"],
            ["1.建设县域医疗次中心。", "市卫健委", "市发改委"],
            ["2、推进乡村一体化管理。", "市卫健委", ""],
        ]
    )
    plan = parse_sheet(data)
    assert paths(plan) == ["(一)", "(一).1", "(一).2"]
    assert [t.title for t in plan.walk()] == [
        "加强基层建设",
        "建设县域医疗次中心",
        "推进乡村一体化管理",
    ]


def test_a_table_without_numbers_keeps_unnumbered_tasks():
    data = book(
        [
            ["工作任务", "责任单位"],
            ["推进分级诊疗，提高基层就诊率。", "市卫健委"],
            ["改善就医体验，推广预约诊疗。", "各县（区）人民政府、市卫健委"],
        ]
    )
    plan = parse_sheet(data)
    assert paths(plan) == ["[1]", "[2]"]
    assert [t.label for t in plan.walk()] == ["", ""]
    assert plan.tasks[1].responsible == ["各县（区）人民政府", "市卫健委"]


def test_a_gap_in_the_numbers_is_a_warning():
    data = book(
        [
            ["序号", "任务", "责任单位"],
            ["1", "任务一。", "市卫健委"],
            ["3", "任务三。", "市卫健委"],
        ]
    )
    plan = parse_sheet(data)
    assert paths(plan) == ["1", "3"]
    assert warnings(plan) == [(3, "编号“1”之后出现“3”，编号不连续")]


# --- cells --------------------------------------------------------------------------------------


def test_a_merged_unit_cell_is_inherited_an_empty_one_is_not():
    data = book(
        [
            ["序号", "任务", "牵头单位", "配合单位"],
            ["1", "任务一。", "市卫健委", "市财政局"],
            ["2", "任务二。", None, "市医保局"],
            ["3", "任务三。", None, None],
            ["4", "任务四。", "市医保局", None],
            ["5", "任务五。", None, None],
        ],
        merges=["C2:C4"],
    )
    plan = parse_sheet(data)
    assert [t.lead for t in plan.walk()] == [
        ["市卫健委"],
        ["市卫健委"],
        ["市卫健委"],
        ["市医保局"],
        [],
    ]
    assert [t.partners for t in plan.walk()] == [["市财政局"], ["市医保局"], [], [], []]
    assert warnings(plan) == [(6, "任务“5”未填写责任单位")]


def test_a_task_merged_over_two_rows_is_one_task_with_both_units():
    data = book(
        [
            ["序号", "任务", "责任单位"],
            ["1", "加强药品监管。", "市市场监管局"],
            [None, None, "市卫健委"],
            ["2", "加强医保监管。", "市医保局"],
        ],
        merges=["A2:A3", "B2:B3"],
    )
    plan = parse_sheet(data)
    assert paths(plan) == ["1", "2"]
    assert plan.tasks[0].responsible == ["市市场监管局", "市卫健委"]


def test_empty_rows_are_skipped():
    data = book(
        [
            ["序号", "任务", "牵头单位"],
            [],
            ["1", "任务一。", "市卫健委"],
            [None, "  ", None],
            [],
            ["2", "任务二。", "市卫健委"],
        ]
    )
    plan = parse_sheet(data)
    assert [(t.path, t.line) for t in plan.walk()] == [("1", 3), ("2", 6)]
    assert plan.warnings == []


def test_a_row_without_task_text_is_a_warning_with_its_row_number():
    data = book(
        [
            ["序号", "任务", "牵头单位", "完成时限"],
            ["1", "任务一。", "市卫健委", "2020年底前"],
            [None, None, "市财政局", "2020年底前"],
            ["2", "任务二。", "市卫健委", "尽快"],
        ]
    )
    plan = parse_sheet(data)
    assert paths(plan) == ["1", "2"]
    assert warnings(plan) == [
        (3, "缺少任务内容，该行已跳过"),
        (4, "无法识别完成时限“尽快”"),
    ]
    assert (plan.tasks[1].due, plan.tasks[1].due_text) == (None, "尽快")


def test_a_repeated_header_row_is_skipped():
    header = ["序号", "任务", "牵头单位"]
    data = book([header, ["1", "任务一。", "市卫健委"], header, ["2", "任务二。", "市卫健委"]])
    assert paths(parse_sheet(data)) == ["1", "2"]


def test_a_date_cell_is_a_deadline_without_words():
    data = book(
        [
            ["序号", "任务", "牵头单位", "完成时限"],
            ["1", "任务一。", "市卫健委", datetime.date(2021, 3, 31)],
        ]
    )
    task = parse_sheet(data).tasks[0]
    assert (task.due, task.due_text) == (datetime.date(2021, 3, 31), "")


def test_a_deadline_in_the_text_when_there_is_no_deadline_column():
    data = book(
        [["序号", "任务", "牵头单位"], ["1", "建立制度（2022年6月底前完成）。", "市卫健委"]]
    )
    task = parse_sheet(data).tasks[0]
    assert (task.due, task.due_text) == (datetime.date(2022, 6, 30), "2022年6月底前完成")


def test_targets_in_the_written_form_and_in_words():
    cell = "孕产妇死亡率≤12.5/10万（2022年）\n到2025年，床位数达到6-7张\n看情况"
    data = book(
        [["序号", "任务", "牵头单位", "目标"], ["1", "降低孕产妇死亡率。", "市卫健委", cell]]
    )
    plan = parse_sheet(data)
    targets = plan.tasks[0].targets
    assert [(t.indicator, t.comparator, t.value, t.value_max, t.unit, t.year) for t in targets] == [
        ("孕产妇死亡率", "<=", 12.5, None, "/10万", 2022),
        ("床位数", ">=", 6.0, 7.0, "张", 2025),
    ]
    assert warnings(plan) == [(2, "无法识别目标“看情况”，已忽略")]


def test_formula_guard_is_undone():
    data = book([["序号", "任务", "牵头单位"], ["1", "'=HYPERLINK(1)仍是文字", "'-市卫健委"]])
    task = parse_sheet(data).tasks[0]
    assert (task.text or task.title, task.lead) == ("=HYPERLINK(1)仍是文字", ["-市卫健委"])


def test_to_json_has_the_shape_of_the_document_parser():
    data = book(
        [["序号", "任务", "牵头单位", "完成时限"], ["1", "任务一。", "市卫健委", "2020年底"]]
    )
    parsed = parse_sheet(data).to_json()
    assert set(parsed) == {"plan", "tasks", "units", "warnings"}
    node = parsed["tasks"][0]
    assert (node["due"], node["due_text"], node["lead"]) == ("2020-12-31", "2020年底", ["市卫健委"])


# --- bad files ----------------------------------------------------------------------------------


def test_a_workbook_that_is_not_a_task_table_is_refused_in_chinese():
    data = book([["姓名", "电话"], ["张三", "138"]])
    with pytest.raises(SheetError, match="未找到任务分工表的表头") as error:
        parse_sheet(data)
    assert "牵头单位" in str(error.value)


def test_a_header_below_row_20_is_not_found():
    data = book([[f"说明{n}"] for n in range(25)] + [["序号", "任务", "牵头单位"]])
    with pytest.raises(SheetError, match="前20行"):
        parse_sheet(data)


def test_bytes_that_are_not_a_workbook_are_refused():
    with pytest.raises(SheetError, match="不是有效的 .xlsx 工作簿"):
        parse_sheet("序号,任务\n".encode())


def test_a_damaged_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook>")
    with pytest.raises(SheetError, match="不是有效的 .xlsx 工作簿"):
        parse_sheet(buffer.getvalue())


def test_old_excel_files_are_refused(tmp_path):
    old = tmp_path / "分工表.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(SheetError, match=r"\.xlsx"):
        parse_sheet(old)
    with pytest.raises(UnsupportedFile, match=r"旧版 Excel（\.xls）"):
        read_plan(old)


def test_no_task_rows_is_a_warning():
    plan = parse_sheet(book([["标题"], ["序号", "任务", "牵头单位"]]))
    assert (plan.tasks, warnings(plan)) == ([], [(2, "表头下方没有任务")])


# --- sources ------------------------------------------------------------------------------------


def test_paths_streams_and_bytes_are_read_alike(tmp_path):
    data = book([["序号", "任务", "牵头单位"], ["1", "任务一。", "市卫健委"]])
    path = tmp_path / "分工表.xlsx"
    path.write_bytes(data)
    expected = parse_sheet(data).to_json()
    assert parse_sheet(path).to_json() == expected
    assert parse_sheet(str(path)).to_json() == expected
    assert parse_sheet(io.BytesIO(data)).to_json() == expected
    assert read_plan(path).to_json() == expected


def test_read_plan_dispatches_by_suffix(tmp_path):
    text = tmp_path / "方案.txt"
    text.write_text("一、总体要求\n加强领导。（市卫健委负责）\n", encoding="utf-8")
    assert [t.path for t in read_plan(text).walk()] == ["一"]
    for suffix, message in [(".doc", "旧版 Word"), (".pdf", "不支持“.pdf”文件"), ("", "无扩展名")]:
        path = tmp_path / f"方案{suffix}"
        path.write_bytes(b"x")
        with pytest.raises(UnsupportedFile, match=message):
            read_plan(Path(path))


# --- the written form of a target ---------------------------------------------------------------


@given(
    indicator=st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"])),
    comparator=st.sampled_from([">=", "<=", "=", "~"]),
    value=st.floats(-1e6, 1e9, allow_nan=False).map(lambda v: round(v, 4)),
    span=st.none() | st.floats(0, 1e6, allow_nan=False).map(lambda v: round(v, 3)),
    unit=st.sampled_from(["", "%", "‰", "人", "个百分点", "/10万", "张", "平方米", "岁"]),
    year=st.none() | st.integers(1990, 2100),
)
def test_a_written_target_reads_back_exactly(indicator, comparator, value, span, unit, year):
    indicator = indicator.strip()
    value_max = None if span is None else value + span
    line = target_line(
        indicator=indicator,
        comparator=comparator,
        value=value,
        value_max=value_max,
        unit=unit,
        year=year,
    )
    target = read_target_line(line)
    assert target is not None
    assert (target.indicator, target.comparator, target.value, target.value_max) == (
        indicator,
        comparator,
        value,
        value_max,
    )
    assert (target.unit, target.year) == (unit, year)


def test_the_last_comparator_before_a_number_is_the_targets():
    line = target_line(
        indicator="A=1类≥2级医院占比", comparator=">=", value=3, value_max=None, unit="%", year=2025
    )
    assert line == "A=1类≥2级医院占比≥3%（2025年）"
    target = read_target_line(line)
    assert target is not None
    assert (target.indicator, target.value, target.unit) == ("A=1类≥2级医院占比", 3.0, "%")
    typed = read_target_line("覆盖率 ≥ 90%")
    assert typed is not None and (typed.indicator, typed.value) == ("覆盖率", 90.0)


def test_words_are_not_a_written_target():
    assert read_target_line("到2025年，床位数达到6张") is None
