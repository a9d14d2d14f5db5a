"""Round 2, continued: a .xlsx 任务分工表 and a .docx whose table merges its 序号 and 重点任务 down
several rows (both built here with openpyxl / python-docx and read back from disk), the same
documents broken into lines of every width a PDF might have, and the pieces that make it work
(page furniture, letter spacing, targets, unit names). Every expected figure was counted by
reading the rows below."""

from __future__ import annotations

import datetime
import unicodedata
from pathlib import Path

import docx
import openpyxl
import pytest

from weijian.core.text.document import read_document
from weijian.core.text.normalize import display
from weijian.plans.importers import ParsedPlan, ParsedTask, parse_plan, read_plan
from weijian.plans.importers.markers import ends_like_unit, split_units
from weijian.plans.importers.targets import find_targets
from weijian.plans.importers.wraps import unwrap, width_of

DOCUMENTS = Path(__file__).resolve().parent / "documents"


def _task(plan: ParsedPlan, path: str) -> ParsedTask:
    return next(task for task in plan.walk() if task.path == path)


def _units(task: ParsedTask) -> tuple[list[str], list[str], list[str]]:
    return task.lead, task.partners, task.responsible


def _targets(task: ParsedTask) -> list[tuple[str, str, float, str, int | None]]:
    return [(t.indicator, t.comparator, t.value, t.unit, t.year) for t in task.targets]


def _warnings(plan: ParsedPlan) -> list[tuple[int, str]]:
    return [(w.line, w.message) for w in plan.warnings]


# --- .xlsx: title, 填报单位, 序号 and 任务名称 merged over their measures, （牵头） -------

SHEET_ROWS = [
    ("序号", "任务名称", "具体措施", "责任单位", "责任领导", "完成时限", "备注"),
    ("1", "推进公立医院高质量发展",
     "1.开展公立医院高质量发展评价，三级公立医院平均住院日控制在8天以内。",
     "市卫生健康委（牵头）、市财政局", "王明", "2024年12月底前", ""),
    ("", "", "2.推进临床专科能力建设，新增省级临床重点专科不少于5个。", "市卫生健康委", "王明",
     "2024年10月底前", ""),
    ("", "", "3.推动优质医疗资源扩容下沉，每家三级医院至少帮扶3家县级医院。",
     "市卫生健康委（牵头）、各县（市、区）人民政府", "王明", "持续推进", ""),
    ("2", "深化人事薪酬制度改革", "1.落实“两个允许”要求，合理核定公立医院薪酬总量。",
     "市人力资源社会保障局（牵头）、市财政局、市卫生健康委", "李华", "2024年9月底前", ""),
    ("", "", "2.优化薪酬结构，人员支出占业务支出的比例达到45%以上。",
     "市人力资源社会保障局（牵头）、市财政局", "李华", "2024年12月底前", ""),
    ("3", "强化医保支付协同", "推行按疾病诊断相关分组付费，DRG付费覆盖率达到90%以上。",
     "市医保局（牵头）、市卫生健康委", "赵强", "2024年12月", "新增"),
    ("4", "加强公立医院运营管理", "1.三级公立医院全面实行全面预算管理。",
     "市卫生健康委（牵头）、市财政局", "王明", "2024年6月底前", ""),
    ("", "", "2.开展公立医院经济运行分析，每季度不少于1次。", "市卫生健康委", "王明", "每季度", ""),
    ("5", "加强公立医院党的建设", "落实党委领导下的院长负责制，公立医院章程修订完成率达到100%。",
     "市委组织部、市卫生健康委", "张伟", "长期坚持", ""),
]  # fmt: skip
NOTE_ROW = "注：责任单位中标注“（牵头）”的为牵头单位，其余为配合单位。"


@pytest.fixture(scope="module")
def sheet(tmp_path_factory) -> ParsedPlan:
    """Row 1 the title (merged across), row 2 填报单位 / 填报日期, row 3 the header, rows 4-12 the
    tasks (A and B merged over rows 4-6, 7-8 and 10-11), row 13 a note merged across, row 14 the
    sign-off."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "任务分工"
    ws.append(["东海市2024年公立医院高质量发展重点任务分工表"])
    ws.merge_cells("A1:G1")
    ws.append(["填报单位：东海市卫生健康委员会（盖章）", "", "", "", "填报日期：2024年3月20日"])
    for row in SHEET_ROWS:
        ws.append(list(row))
    for ref in ("A4:A6", "B4:B6", "A7:A8", "B7:B8", "A10:A11", "B10:B11"):
        ws.merge_cells(ref)
    ws.append([NOTE_ROW])
    ws.merge_cells("A13:G13")
    ws.append(["填表人：刘芳", "", "", "审核人：陈刚"])
    path = tmp_path_factory.mktemp("xlsx") / "任务分工表.xlsx"
    book.save(str(path))
    return read_plan(path)


def test_sheet_groups_under_merged_numbers(sheet):
    assert (sheet.title, sheet.document_number, sheet.year) == (
        "东海市2024年公立医院高质量发展重点任务分工表", None, 2024,
    )  # fmt: skip
    assert [t.path for t in sheet.walk()] == [
        "1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "3", "4", "4.1", "4.2", "5",
    ]  # fmt: skip
    head = _task(sheet, "1")
    assert (head.title, head.text, head.line, _units(head)) == (
        "推进公立医院高质量发展", "", 4, ([], [], []),
    )  # fmt: skip
    first = _task(sheet, "1.1")
    assert (first.title, first.text, first.line) == (
        "", "开展公立医院高质量发展评价，三级公立医院平均住院日控制在8天以内。", 4,
    )  # fmt: skip
    assert [t.line for t in _task(sheet, "2").children] == [7, 8]
    single = _task(sheet, "3")  # one row: the name is the title, the measure the text
    assert (single.title, single.text) == (
        "强化医保支付协同", "推行按疾病诊断相关分组付费，DRG付费覆盖率达到90%以上。",
    )  # fmt: skip
    assert _task(sheet, "4.1").title == "三级公立医院全面实行全面预算管理"


def test_sheet_lead_flags_and_deadlines(sheet):
    assert _units(_task(sheet, "1.1")) == (["市卫生健康委"], ["市财政局"], [])
    assert _units(_task(sheet, "1.2")) == ([], [], ["市卫生健康委"])
    assert _units(_task(sheet, "1.3")) == (["市卫生健康委"], ["各县（市、区）人民政府"], [])
    assert _units(_task(sheet, "2.1")) == (
        ["市人力资源社会保障局"], ["市财政局", "市卫生健康委"], [],
    )  # fmt: skip
    assert _units(_task(sheet, "3")) == (["市医保局"], ["市卫生健康委"], [])
    assert _units(_task(sheet, "5")) == ([], [], ["市委组织部", "市卫生健康委"])
    assert "王明" not in sheet.units and "新增" not in _task(sheet, "3").text  # 责任领导, 备注
    due = {t.path: (t.due, t.due_text) for t in sheet.walk() if t.due_text}
    assert due == {
        "1.1": (datetime.date(2024, 12, 31), "2024年12月底前"),
        "1.2": (datetime.date(2024, 10, 31), "2024年10月底前"),
        "1.3": (None, "持续推进"),
        "2.1": (datetime.date(2024, 9, 30), "2024年9月底前"),
        "2.2": (datetime.date(2024, 12, 31), "2024年12月底前"),
        "3": (datetime.date(2024, 12, 31), "2024年12月"),
        "4.1": (datetime.date(2024, 6, 30), "2024年6月底前"),
        "4.2": (None, "每季度"),
        "5": (None, "长期坚持"),
    }


def test_sheet_targets_and_footer_rows(sheet):
    assert _targets(_task(sheet, "1.1")) == [("三级公立医院平均住院日", "<=", 8.0, "天", None)]
    assert _targets(_task(sheet, "1.2")) == [("新增省级临床重点专科", ">=", 5.0, "个", None)]
    assert _task(sheet, "1.3").targets == []  # 至少帮扶3家县级医院: no target
    assert _targets(_task(sheet, "2.2")) == [("人员支出占业务支出的比例", ">=", 45.0, "%", None)]
    assert _targets(_task(sheet, "3")) == [("DRG付费覆盖率", ">=", 90.0, "%", None)]
    assert _targets(_task(sheet, "5")) == [("公立医院章程修订完成率", "=", 100.0, "%", None)]
    assert _warnings(sheet) == [
        (13, f"第13行“{NOTE_ROW}”是表格的注释或落款，未作为任务导入"),
        (14, "第14行“填表人：刘芳  审核人：陈刚”是表格的注释或落款，未作为任务导入"),
    ]


# --- .docx: 序号 and 重点任务 merged down over the 工作措施 of each; the header on a new page -----

DOCX_ROWS = [
    ("序号", "重点任务", "工作措施", "牵头单位", "配合单位", "完成时限"),
    ("1", "提升县域医疗服务能力",
     "实施县级医院能力提升工程，县级医院达到二级甲等水平的比例达到95%。",
     "县卫健局", "县发改局、县财政局", "2024年12月底前"),
    ("", "", "建设胸痛、卒中、创伤中心，年内通过省级验收。", "县人民医院", "", "2024年11月底前"),
    ("", "", "加强重症医学科建设，重症床位占比达到4%。", "县卫健局", "县人民医院",
     "2024年10月底前"),
    ("序号", "重点任务", "工作措施", "牵头单位", "配合单位", "完成时限"),
    ("2", "做实基层医疗卫生服务", "推进乡镇卫生院标准化建设，达标率达到100%。", "县卫健局",
     "各乡镇人民政府", "2024年12月底前"),
    ("", "",
     "落实乡村医生各项补助，乡村医生收入不低于当地农村居民人均可支配收入的2倍。",
     "县财政局", "县卫健局", "2024年6月底前"),
    ("3", "强化公共卫生服务", "严重精神障碍患者规范管理率达到85%以上。", "县卫健局",
     "县公安局、县民政局", "长期坚持"),
]  # fmt: skip


AFTER_TABLE = "各牵头单位要于每季度末将进展情况报县卫健局办公室。"


@pytest.fixture(scope="module")
def merged_docx(tmp_path_factory) -> Path:
    """The notice (lines 1-8), the table (lines 9-16: A and B merged over table rows 2-4 and 6-7,
    the header repeated in row 5), a closing paragraph, the imprint (lines 17-19)."""
    document = docx.Document()
    for text in (
        "白河县卫生健康局关于印发白河县2024年卫生健康重点任务分工方案的通知",
        "白卫发〔2024〕11号",
        "局机关各股室，县直各医疗卫生单位，各乡镇卫生院：",
        "现将《白河县2024年卫生健康重点任务分工方案》印发给你们，请认真抓好落实。",
        "白河县卫生健康局",
        "2024年2月28日",
        "白河县2024年卫生健康重点任务分工方案",
        "为推动全县卫生健康事业高质量发展，现将2024年重点任务分工如下。",
    ):
        document.add_paragraph(text)
    table = document.add_table(rows=len(DOCX_ROWS), cols=6)
    for r, values in enumerate(DOCX_ROWS):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    for top, bottom in ((1, 3), (5, 6)):
        for column in (0, 1):
            table.cell(top, column).merge(table.cell(bottom, column))
    document.add_paragraph(AFTER_TABLE)
    document.add_paragraph("白河县卫生健康局办公室")
    document.add_paragraph("2024年2月28日印发")
    path = tmp_path_factory.mktemp("docx") / "分工方案.docx"
    document.save(str(path))
    return path


def test_docx_merged_cells_repeat_their_text(merged_docx):
    lines = read_document(merged_docx).splitlines()
    assert [line.split("  ")[:2] for line in lines[9:12]] == [
        ["1", "提升县域医疗服务能力"],
        ["1", "提升县域医疗服务能力"],
        ["1", "提升县域医疗服务能力"],
    ]


def test_docx_numbers_merged_with_a_category_number_the_categories(merged_docx):
    plan = read_plan(merged_docx)
    assert (plan.title, plan.document_number, plan.year) == (
        "白河县2024年卫生健康重点任务分工方案", "白卫发〔2024〕11号", 2024,
    )  # fmt: skip
    assert [(t.path, t.line) for t in plan.walk()] == [
        ("一", 10), ("一.1", 10), ("一.2", 11), ("一.3", 12),
        ("二", 14), ("二.4", 14), ("二.5", 15), ("三", 16), ("三.6", 16),
    ]  # fmt: skip
    assert [t.title for t in plan.tasks] == [
        "提升县域医疗服务能力", "做实基层医疗卫生服务", "强化公共卫生服务",
    ]  # fmt: skip
    first = _task(plan, "一.1")
    assert _units(first) == (["县卫健局"], ["县发改局", "县财政局"], [])
    assert first.due == datetime.date(2024, 12, 31)
    assert _targets(first) == [("县级医院达到二级甲等水平的比例", "=", 95.0, "%", None)]
    assert _units(_task(plan, "一.2")) == (["县人民医院"], [], [])
    assert _units(_task(plan, "二.4")) == (["县卫健局"], ["各乡镇人民政府"], [])
    last = _task(plan, "三.6")
    assert (_units(last), last.due, last.due_text) == (
        (["县卫健局"], ["县公安局", "县民政局"], []), None, "长期坚持",
    )  # fmt: skip
    assert _targets(last) == [("严重精神障碍患者规范管理率", ">=", 85.0, "%", None)]
    assert _warnings(plan) == [
        (17, f"第17行“{AFTER_TABLE}”不属于任何任务，未导入，请核对")
    ]  # the signer and the imprint after it are no text


def test_a_number_repeated_without_a_category_makes_sub_items():
    text = "\n".join(
        [
            "某县2024年胸痛卒中创伤中心建设任务分工表",
            "序号\t工作任务\t牵头单位\t完成时限",
            "1\t建设胸痛中心。\t县人民医院\t2024年底",
            "1\t建设卒中中心。\t县人民医院\t2024年底",
            "2\t建设创伤中心。\t县中医院\t2025年6月底前",
        ]
    )
    plan = parse_plan(text)
    assert [(t.path, t.title, t.line) for t in plan.walk()] == [
        ("1", "", 3), ("1.(1)", "建设胸痛中心", 3), ("1.(2)", "建设卒中中心", 4),
        ("2", "建设创伤中心", 5),
    ]  # fmt: skip
    assert _units(_task(plan, "1.(2)")) == (["县人民医院"], [], [])
    assert _task(plan, "2").due == datetime.date(2025, 6, 30)
    assert plan.warnings == []


def test_the_last_row_of_a_table_at_the_end_of_the_text_is_kept():
    plan = parse_plan("某市重点任务分工表\n序号\n重点任务\n牵头单位\n1\n建设平台。\n市卫健委")
    assert [(t.path, t.lead) for t in plan.walk()] == [("1", ["市卫健委"])]


# --- every document broken into lines, as a PDF copy would be --------------------------------

_NO_LINE_START = "，。、；：）》”！？%.,;:)!?"


def _wrap(paragraph: str, width: int) -> list[str]:
    """A paragraph set in lines of `width` columns; punctuation never starts a line."""
    lines, current = [], ""
    for ch in paragraph:
        wide = 1 if unicodedata.east_asian_width(ch) in "WFA" else 0.5
        if (
            sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in current) + wide
            > (width)
            and ch not in _NO_LINE_START
        ):
            lines.append(current)
            current = ch
        else:
            current += ch
    return [*lines, current] if current else lines


def _reading(plan: ParsedPlan) -> list[tuple[object, ...]]:
    return [
        (t.path, t.title, t.text, t.lead, t.partners, t.responsible, t.due, _targets(t))
        for t in plan.walk()
    ]


@pytest.mark.parametrize("width", [20, 24, 28, 32, 36, 40])
@pytest.mark.parametrize(
    "name",
    [
        "round2/state_council_ministries.txt",
        "round2/province_first_listed_bare.txt",
        "round2/targets_main_goals.txt",
        "round2/county_parts.txt",
        "round2/flat_numbered_offices.txt",
        "round2/keyed_lenticular.txt",
        "city_unit_lines.txt",
        "county_in_charge.txt",
        "headings_first_listed_leads.txt",
        "mixed_levels_halfwidth.txt",
        "province_keyed.txt",
    ],
)
def test_a_document_reads_the_same_when_broken_into_lines(name, width):
    text = read_document(DOCUMENTS / name)
    wrapped = "\n".join(line for paragraph in text.splitlines() for line in _wrap(paragraph, width))
    plan, broken = parse_plan(text), parse_plan(wrapped)
    assert (broken.title, broken.document_number, broken.year) == (
        plan.title, plan.document_number, plan.year,
    )  # fmt: skip
    assert _reading(broken) == _reading(plan)
    assert broken.notes == plan.notes


# --- the pieces ---------------------------------------------------------------------------------


def _segments(lines: list[str]) -> list[tuple[int, str]]:
    return list(enumerate(lines, start=1))


def _widths(lines: list[str]) -> dict[int, float]:
    return {number: width_of(line) for number, line in enumerate(lines, start=1)}


def test_page_furniture_is_dropped_and_the_first_header_kept():
    lines = ["某市卫生健康委员会文件", "正文第一段。", "— 1 —", "某市卫生健康委员会文件", "- 2 -"]
    lines += ["第3页", "某市卫生健康委员会文件", "第 4 页 共 9 页"]
    assert unwrap(_segments(lines), widths=_widths(lines)) == [
        (1, "某市卫生健康委员会文件"),
        (2, "正文第一段。"),
    ]


def test_a_repeated_unit_or_deadline_line_is_no_running_header():
    lines = ["牵头单位：市卫健委", "市卫健委", "市卫健委", "市卫健委", "2022年底前"] * 1
    lines += ["2022年底前", "2022年底前"]
    assert len(unwrap(_segments(lines), widths=_widths(lines))) == len(lines)


def test_letter_spaced_lines_lose_their_spaces():
    lines = ["某 市 卫 生 健 康 工 作 方 案", "一、 总 体 要 求", "市卫健委 市医保局"]
    assert [t for _, t in unwrap(_segments(lines), widths=_widths(lines))] == [
        "某市卫生健康工作方案",
        "一、总体要求",
        "市卫健委 市医保局",  # two names: not letter-spaced
    ]


def test_a_web_page_with_one_paragraph_per_line_is_not_joined():
    topics = "健全疾控体系 推进医防融合 加强应急队伍 提升基层能力 做好妇幼健康 加强精神卫生".split()
    lines = [
        f"{topic}，落实各项工作职责，加强业务指导和人员培训，完善工作机制" if i % 2 else topic
        for i, topic in enumerate(topics)
    ]
    assert len(unwrap(_segments(lines), widths=_widths(lines))) == len(lines)


def test_strong_breaks_are_joined_in_any_document():
    lines = ["1.建立机制。（市卫健委牵", "头，市财政局配合）", "2.责任单位：市卫健委、", "市医保局"]
    lines += ["3.覆盖率提高到4", "0%。", "4.推进建设，", "5.下一项。"]
    assert [t for _, t in unwrap(_segments(lines), widths=_widths(lines))] == [
        "1.建立机制。（市卫健委牵头，市财政局配合）",
        "2.责任单位：市卫健委、市医保局",
        "3.覆盖率提高到40%。",
        "4.推进建设，",  # a numbered item is never joined to the line before it
        "5.下一项。",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("比例达到85%—90%", [("比例", ">=", 85.0, "%", 90.0, None)]),
        ("剖宫产率较2020年下降3%-5%", [("剖宫产率", ">=", 3.0, "%", 5.0, "decrease")]),
        ("签约率比上年提高2个百分点", [("签约率", "=", 2.0, "个百分点", None, "increase")]),
        (
            "每个村卫生室配备不少于1名乡村医生",
            [("每个村卫生室配备乡村医生", ">=", 1.0, "名", None, None)],
        ),
        ("村卫生室实现医保结算全覆盖", [("村卫生室医保结算覆盖率", "=", 100.0, "%", None, None)]),
        ("基本实现慢性病患者健康管理全覆盖", []),  # 基本: no figure promised
        ("推进宫颈癌筛查全覆盖", []),  # no 实现
        ("2030年实现全覆盖", []),  # no subject
        (
            "孕产妇、婴儿死亡率分别控制在10/10万、5‰以下",
            [
                ("孕产妇死亡率", "<=", 10.0, "/10万", None, None),
                ("婴儿死亡率", "<=", 5.0, "‰", None, None),
            ],
        ),
        (
            "高血压、糖尿病患者规范管理率均达到65%以上",
            [
                ("高血压患者规范管理率", ">=", 65.0, "%", None, None),
                ("糖尿病患者规范管理率", ">=", 65.0, "%", None, None),
            ],
        ),
        (
            "推进智慧医院建设、远程医疗覆盖率达到90%",
            [("远程医疗覆盖率", "=", 90.0, "%", None, None)],
        ),
        ("平均住院日平均控制在8天以内", [("平均住院日", "<=", 8.0, "天", None, None)]),
    ],
)
def test_targets(text, expected):
    found, problems = find_targets(text, doc_year=2024)
    assert [(t.indicator, t.comparator, t.value, t.unit, t.value_max, t.change) for t in found] == (
        expected
    )
    assert problems == []


def test_within_the_year_takes_the_documents_year():
    [target] = find_targets("年内新建项目不少于10个", doc_year=2025)[0]
    assert (target.indicator, target.year) == ("新建项目", 2025)
    [five] = find_targets("5年内，达标率达到90%", doc_year=2025)[0]
    assert five.year == 2030


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("各市、县（市、区）人民政府", ["各市、县（市、区）人民政府"]),
        (
            "各市（州）、县（市、区）人民政府、省卫生健康委",
            ["各市（州）、县（市、区）人民政府", "省卫生健康委"],
        ),
        ("省卫生健康委（省中医药局）、省医保局", ["省卫生健康委（省中医药局）", "省医保局"]),
    ],
)
def test_unit_lists(text, names):
    assert split_units(text) == names


def test_a_name_ends_like_a_unit_through_a_bracket():
    assert ends_like_unit("省卫生健康委（省中医药局）")
    assert not ends_like_unit("推进改革（试行）")


def test_display_pairs_brackets_and_marks_after_percentages():
    assert display("(2024年2月19日通过）") == "（2024年2月19日通过）"
    assert display("达到31%,15岁以上") == "达到31%，15岁以上"
    assert display("(8:30)") == "(8:30)"


def test_a_last_line_ending_with_its_units_is_not_cut_off():
    plan = parse_plan(
        "某市重点任务分工\n"
        "（1）推进改革。（牵头单位：市卫生健康委 责任单位：各区县政府）\n"
        "（2）加强监管。责任单位：市卫健委（牵头），市财政局，市医保局\n"
    )
    assert [(t.path, t.lead, t.partners, t.responsible) for t in plan.walk()] == [
        ("(1)", ["市卫生健康委"], [], ["各区县政府"]),
        ("(2)", ["市卫健委"], ["市财政局", "市医保局"], []),
    ]
    assert plan.warnings == []
