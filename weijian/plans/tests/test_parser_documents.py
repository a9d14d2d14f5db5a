"""The plan parser on invented documents in the forms real places use (tests/documents/), and on
.docx files whose task division is a table. Every expected figure was counted by reading the
documents; each document's docstring below says what it exercises."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from hypothesis import given, settings
from hypothesis import strategies as st

from weijian.core.text.document import read_document
from weijian.plans.importers import ParsedPlan, ParsedTask, parse_plan

DOCUMENTS = Path(__file__).resolve().parent / "documents"


def _parse(name: str) -> ParsedPlan:
    return parse_plan(read_document(DOCUMENTS / name))


def _task(plan: ParsedPlan, path: str) -> ParsedTask:
    return next(task for task in plan.walk() if task.path == path)


def _units(task: ParsedTask) -> tuple[list[str], list[str], list[str]]:
    return task.lead, task.partners, task.responsible


def _targets(task: ParsedTask) -> list[tuple[str, str, float, str, int | None]]:
    return [(t.indicator, t.comparator, t.value, t.unit, t.year) for t in task.targets]


def _warnings(plan: ParsedPlan) -> list[tuple[int, str]]:
    return [(w.line, w.message) for w in plan.warnings]


# --- a provincial plan: every measure ends with （牵头单位：…；配合单位：…） ------------------


@pytest.fixture(scope="module")
def province() -> ParsedPlan:
    return _parse("province_keyed.txt")


def test_province_header_and_attachments(province):
    assert province.title == "东川省推进紧密型县域医疗卫生共同体建设重点任务分工方案"
    assert (province.document_number, province.year) == ("东卫体改发〔2021〕8号", 2021)
    assert province.attachments == [
        "东川省紧密型县域医共体建设评价指标",
        "东川省医共体建设工作联系人名单",
    ]
    assert province.warnings == []


def test_province_tree(province):
    tasks = list(province.walk())
    assert len(tasks) == 20  # 一 二 三, (一)…(五), measures 1-12 numbered straight through
    assert Counter(t.style for t in tasks) == {"cn": 3, "pcn": 5, "num": 12}
    assert [c.label for c in _task(province, "二.(四)").children] == ["9", "10"]
    assert [t.path for t in tasks if t.style == "num"][-1] == "二.(五).12"
    assert (_task(province, "二.(二).4").line, _task(province, "二.(五).12").line) == (33, 55)
    assert all(t.markers == ["keyed"] for t in tasks if t.style == "num")


def test_province_units(province):
    assert _units(_task(province, "二.(一).1")) == (
        ["省卫生健康委"],
        ["省发展改革委", "省财政厅"],
        [],
    )
    assert _units(_task(province, "二.(一).3")) == (
        ["省卫生健康委"],
        ["省委编办", "省财政厅", "省人力资源社会保障厅"],
        [],
    )
    assert _task(province, "二.(三).8").lead == ["省医保局"]
    assert _task(province, "二.(四).9").lead == ["省委编办"]
    assert _units(_task(province, "二.(五).12")) == (
        ["省卫生健康委", "省医保局"],
        ["省财政厅", "省人力资源社会保障厅"],
        [],
    )
    first = _task(province, "二.(一).1")
    assert first.title == "合理规划布局" and "牵头单位" not in first.text
    assert first.text.endswith("为成员单位。")


def test_province_targets(province):
    assert _targets(_task(province, "一")) == [
        ("紧密型县域医共体建设覆盖率", "=", 100.0, "%", 2022),
        ("县域内就诊率", "~", 90.0, "%", 2022),
        ("县域内基层就诊率", ">=", 65.0, "%", 2025),
        ("乡镇卫生院服务能力达标率", ">=", 80.0, "%", 2025),
    ]
    assert _targets(_task(province, "二.(二).4")) == [
        ("县级医院综合能力达到推荐标准的比例", ">=", 70.0, "%", 2025)
    ]
    assert _targets(_task(province, "二.(二).6")) == [
        ("医共体内检查检验结果互认率", ">=", 90.0, "%", 2023)
    ]
    assert _targets(_task(province, "二.(三).7")) == [("医保基金支出增幅", "<=", 10.0, "%", None)]
    assert _targets(_task(province, "二.(四).10")) == [
        ("医务人员薪酬中固定部分占比", ">=", 40.0, "%", None)
    ]
    assert not _task(province, "二.(二).5").targets  # 每个乡镇办好1所: no verb, no target


# --- a city plan: units and deadlines on lines of their own after each task ------------------


@pytest.fixture(scope="module")
def city() -> ParsedPlan:
    return _parse("city_unit_lines.txt")


def test_city_header(city):
    assert city.title == "江城市基层医疗卫生服务能力提升行动方案（2022—2024年）"
    assert (city.document_number, city.year) == ("江府办发〔2022〕21号", 2022)
    assert city.attachments == ["江城市基层医疗卫生服务能力提升行动重点任务清单"]
    assert city.warnings == []


def test_city_tree(city):
    assert [t.path for t in city.walk()] == [
        "一", "二", "二.(一)", "二.(一).1", "二.(一).2", "二.(一).3",
        "二.(二)", "二.(二).4", "二.(二).5", "二.(二).6",
        "二.(三)", "二.(三).7", "二.(三).8", "二.(三).9", "三", "三.(一)", "三.(二)",
    ]  # fmt: skip
    heading = _task(city, "二.(一)")
    assert heading.title == "完善基层服务网络"
    assert heading.text == "按照“15分钟健康服务圈”要求，优化社区卫生服务机构布局。"
    assert (_task(city, "二.(二)").title, _task(city, "二.(二)").text) == ("加强人才队伍建设", "")


def test_city_unit_lines(city):
    assert _units(_task(city, "二.(一).1")) == (
        ["市卫健委"],
        ["市发展改革委", "市财政局", "市自然资源规划局"],
        [],
    )
    # 牵头责任单位 / 主要协作单位 / 协作单位
    assert _units(_task(city, "二.(一).3")) == (["市卫健委"], ["市大数据局", "市医保局"], [])
    assert _units(_task(city, "二.(二).6")) == (["市人社局"], ["市卫健委"], [])
    assert _units(_task(city, "二.(三).7")) == (
        ["市卫健委"],
        ["市医保局", "市财政局", "各区人民政府"],
        [],
    )
    assert _units(_task(city, "二.(三).8")) == (["市卫健委"], [], [])
    assert _task(city, "二.(三).9").lead == ["市卫健委（市中医药局）"]
    assert _units(_task(city, "三.(二)")) == ([], [], ["市财政局", "各区人民政府"])
    assert Counter(f for t in city.walk() for f in t.markers) == {"own_line": 19, "deadline": 4}


def test_city_deadline_lines(city):
    due = {t.path: (t.due, t.due_text) for t in city.walk() if t.due_text}
    assert due == {
        "二.(一).1": (datetime.date(2023, 12, 31), "2023年12月底"),
        "二.(一).2": (datetime.date(2024, 6, 30), "2024年6月底"),
        "二.(一).3": (datetime.date(2024, 12, 31), "2024年底"),
        "二.(三).9": (datetime.date(2023, 12, 31), "2023年底前"),
    }
    first = _task(city, "二.(一).1")
    assert "完成时限" not in first.text and first.text.endswith("达标率达到100%。")
    data = city.to_json()["tasks"][1]["children"][0]["children"][0]
    assert (data["due"], data["due_text"]) == ("2023-12-31", "2023年12月底")
    assert city.to_json()["tasks"][0]["due"] is None


def test_city_targets_and_multi_paragraph_task(city):
    assert _targets(_task(city, "一")) == [
        ("社区卫生服务中心服务能力达到国家推荐标准的比例", ">=", 60.0, "%", 2024),
        ("家庭医生签约服务重点人群覆盖率", ">=", 75.0, "%", 2024),
        ("基层医疗卫生机构诊疗量占比", ">=", 55.0, "%", 2024),
    ]
    assert _targets(_task(city, "二.(一).1")) == [
        ("社区卫生服务中心标准化建设达标率", "=", 100.0, "%", 2023)
    ]
    assert _targets(_task(city, "二.(二).4")) == [("每万常住人口全科医生数", ">=", 4.0, "人", 2024)]
    [points] = _task(city, "二.(二).6").targets
    assert (points.indicator, points.value, points.unit, points.change) == (
        "副高级职称岗位比例", 5.0, "个百分点", "increase",
    )  # fmt: skip
    assert _task(city, "二.(二).5").targets == []  # 按不超过…的150%核定: no figure of its own
    family = _task(city, "二.(三).7")
    assert (family.title, family.line) == ("做实家庭医生签约服务", 37)
    assert family.text.endswith("健康管理服务。签约居民续约率达到80%左右。")
    assert _targets(family) == [("签约居民续约率", "~", 80.0, "%", None)]
    assert _targets(_task(city, "二.(三).8")) == [
        ("高血压患者规范管理率", ">=", 65.0, "%", 2024),
        ("糖尿病患者规范管理率", ">=", 65.0, "%", 2024),
    ]


# --- a county plan: (X负责), (责任单位：各乡镇人民政府、县卫健局), N年内 ----------------------


@pytest.fixture(scope="module")
def county() -> ParsedPlan:
    return _parse("county_in_charge.txt")


def test_county_header_tree_and_attachments(county):
    assert (county.title, county.year) == ("青河县健康乡村建设实施方案", 2020)
    tasks = list(county.walk())
    assert len(tasks) == 20
    assert Counter(t.style for t in tasks) == {"cn": 3, "pcn": 6, "num": 11}
    assert county.attachments == [
        "青河县健康乡村建设工作领导小组成员名单",
        "青河县健康乡村建设重点指标",
    ]
    assert max(t.line for t in tasks) == 59  # the roster in 附件1 is no task
    assert county.warnings == []


def test_county_in_charge_and_responsible(county):
    one = _task(county, "二.(一).1")
    assert (one.markers, _units(one)) == (["in_charge"], (["县卫健局"], [], []))
    two = _task(county, "二.(一).2")
    assert (two.markers, _units(two)) == (["responsible"], ([], [], ["各乡镇人民政府", "县卫健局"]))
    assert _task(county, "二.(一).3").lead == ["县卫健局", "县人社局"]
    assert _task(county, "二.(四).10").lead == ["县卫健局", "县委宣传部"]
    assert _task(county, "三.(二)").responsible == ["县政府督查室", "县卫健局"]


def test_county_targets_relative_to_the_documents_year(county):
    assert _targets(_task(county, "一")) == [
        ("乡镇卫生院和村卫生室标准化建设达标率", "=", 100.0, "%", 2025),  # 5年内, from 2020
        ("农村居民健康素养水平", ">=", 25.0, "%", 2025),
        ("农村自来水普及率", ">=", 95.0, "%", 2023),  # 3年内
    ]
    assert _targets(_task(county, "二.(一).2")) == [
        ("村卫生室业务用房面积", ">=", 60.0, "平方米", None)
    ]
    [death] = _task(county, "二.(二).5").targets
    assert (death.indicator, death.comparator, death.value, death.year, death.change) == (
        "重大慢性病过早死亡率", "=", 10.0, 2022, "decrease",
    )  # fmt: skip
    assert _targets(_task(county, "二.(三).7")) == [("农村卫生厕所普及率", "~", 85.0, "%", 2021)]
    assert _targets(_task(county, "二.(三).9")) == [
        ("集中式供水工程水质达标率", ">=", 90.0, "%", None),
        ("农村饮用水水源地水质监测覆盖率", "=", 100.0, "%", None),
    ]
    assert _targets(_task(county, "二.(四).11")) == [
        ("经常参加体育锻炼人数比例", ">=", 35.0, "%", None),
        ("成人吸烟率", "<=", 20.0, "%", None),
    ]


# --- half-width punctuation, 1. / 1、 / 1． / (1) / ① mixed, several lead units, signed at the end


@pytest.fixture(scope="module")
def mixed() -> ParsedPlan:
    return _parse("mixed_levels_halfwidth.txt")


def test_mixed_levels(mixed):
    assert (mixed.title, mixed.document_number) == ("南湖市推进医养结合发展重点任务分工方案", None)
    assert mixed.year == 2021  # from the signing date after the body
    tasks = list(mixed.walk())
    assert len(tasks) == 30
    assert Counter(t.style for t in tasks) == {"cn": 5, "num": 13, "pnum": 9, "circ": 3}
    assert [c.path for c in _task(mixed, "二.1.(3)").children] == [
        "二.1.(3).①", "二.1.(3).②", "二.1.(3).③",
    ]  # fmt: skip
    assert [c.label for c in _task(mixed, "四").children] == ["1", "2", "3"]  # written 1．
    assert _task(mixed, "五.1").line == 32


def test_mixed_several_leads_and_nested_brackets(mixed):
    assert _units(_task(mixed, "二.1.(1)")) == (
        ["市卫健委", "市民政局"],
        ["市医保局", "市财政局"],
        [],
    )
    assert _task(mixed, "二.1.(2)").lead == ["市民政局", "市卫健委", "市市场监管局"]
    assert _task(mixed, "二.2.(1)").lead == ["各县〔区〕人民政府"]
    assert _task(mixed, "二.2.(2)").responsible == ["市民政局", "各县（市、区）人民政府"]
    assert _units(_task(mixed, "三.2")) == (
        ["市自然资源局"],
        ["各县〔区〕人民政府", "市民政局"],
        [],
    )
    assert _task(mixed, "三.3").lead == ["市税务局", "市发展改革委"]
    assert _task(mixed, "二.3.(2)").responsible == ["市卫健委", "市民政局"]  # 按职责分工负责


def test_mixed_marker_after_the_last_sub_item_belongs_to_the_item(mixed):
    upper = _task(mixed, "二.1.(3)")
    assert _units(upper) == (["市卫健委", "市医保局"], [], ["各县（市、区）人民政府"])
    assert all(_units(c) == ([], [], []) for c in upper.children)
    assert _task(mixed, "二.1.(3).③").text.endswith("收费标准的120%.")


def test_mixed_deadline_in_a_marker_and_targets(mixed):
    platform = _task(mixed, "二.2.(4)")
    assert _units(platform) == (["市卫健委"], ["市大数据局"], [])
    assert (platform.due, platform.due_text) == (datetime.date(2022, 12, 31), "2022年底前完成")
    assert "2022" not in platform.text
    assert _targets(_task(mixed, "一")) == [
        ("养老机构医疗卫生服务覆盖率", "=", 100.0, "%", 2026),  # 5年内, from 2021
        ("二级及以上综合医院设置老年医学科的比例", ">=", 60.0, "%", 2026),
        ("65岁及以上老年人健康管理率", ">=", 70.0, "%", 2023),
    ]
    assert _targets(_task(mixed, "四.1")) == [
        ("每年培训医养结合服务人员", ">=", 500.0, "人次", None)
    ]
    assert _targets(_task(mixed, "二.2.(3)")) == [
        ("二级以上中医医院设置康复科的比例", "~", 85.0, "%", None)
    ]


def test_mixed_signature_and_closing_text(mixed):
    last = _task(mixed, "五.3")
    assert "南湖市民政局" not in last.text and "2021年6月8日" not in last.text
    assert _warnings(mixed) == [(38, "任务“五.3”的责任单位之后还有文字，已并入该任务")]


# --- bare headings and headings with a title sentence; 列第一位的为牵头单位 ----------------------


@pytest.fixture(scope="module")
def headings() -> ParsedPlan:
    return _parse("headings_first_listed_leads.txt")


def test_headings_tree(headings):
    tasks = list(headings.walk())
    assert len(tasks) == 26
    assert [t.label for t in headings.tasks] == ["一", "二", "三", "四"]
    bare = _task(headings, "一.(三)")
    assert (bare.title, bare.text, [c.label for c in bare.children]) == (
        "强化医疗保障", "", ["1", "2", "3"],
    )  # fmt: skip
    sentence = _task(headings, "一.(一)")
    assert sentence.title == "推进区域医疗中心建设"
    assert sentence.text == "加快建设市级心血管、肿瘤区域医疗中心，年内完成主体工程建设。"
    colon = _task(headings, "二.(一)")
    assert colon.title == "健全现代医院管理制度" and colon.text.startswith("全面执行党委领导")
    untitled = _task(headings, "二.(三).1")
    assert (untitled.title, untitled.text) == (
        "",
        "建立灵敏有序的价格动态调整机制，年内开展1次调价评估。",
    )
    only_title = _task(headings, "二.(三).2")
    assert (only_title.title, only_title.text) == ("规范新增医疗服务价格项目管理", "")
    paragraphs = _task(headings, "二.(二)")
    assert paragraphs.title == "深化薪酬制度改革" and paragraphs.text.endswith("业务支出的比例。")


def test_headings_first_listed_unit_leads(headings):
    assert _units(_task(headings, "一.(一)")) == (["市卫健委"], ["市发展改革委", "市财政局"], [])
    assert _units(_task(headings, "二.(二)")) == (["市人社局"], ["市财政局", "市卫健委"], [])
    assert _units(_task(headings, "二.(三).2")) == (["市医保局"], [], [])
    assert _units(_task(headings, "三.(三)")) == (["市疾控局"], ["市卫健委", "市发展改革委"], [])
    assert _units(_task(headings, "一")) == ([], [], [])  # the section's items keep their own
    assert _warnings(headings) == [(27, "任务“三.(一)”未标注责任单位")]


def test_headings_targets(headings):
    assert _targets(_task(headings, "一.(三).2")) == [("脱贫人口参保率", ">=", 99.0, "%", None)]
    assert _targets(_task(headings, "三.(三)")) == [
        ("县级疾控中心实验室检测能力达标率", ">=", 80.0, "%", 2023)
    ]
    assert _targets(_task(headings, "四.(二)")) == [
        ("二级以上公立医院电子病历系统应用水平平均等级", "=", 4.0, "级", None)
    ]
    assert headings.attachments == ["西平市深化医药卫生体制改革2023年重点工作任务进度安排表"]


# --- a damaged web copy -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def damaged() -> ParsedPlan:
    return _parse("damaged_web_copy.txt")


def test_damaged_document_is_kept(damaged):
    assert (damaged.title, damaged.year) == ("北塘区公共卫生服务能力提升工作方案", 2021)
    tasks = list(damaged.walk())
    assert len(tasks) == 29
    assert [c.label for c in _task(damaged, "二.(一)").children] == ["1", "2", "3", "", "4"]
    assert [c.label for c in _task(damaged, "二.(二)").children] == ["5", "7", "8", "9", "10"]
    orphan = _task(damaged, "二.(一).[4]")
    assert orphan.text == "提升院前急救能力，平均急救反应时间不超过12分钟。"
    assert _units(orphan) == (["区卫健局"], ["区财政局", "区交通运输局"], [])
    assert _task(damaged, "二.(一).3").lead == ["区卫健局"]


def test_damaged_parts_are_warnings_with_line_numbers(damaged):
    assert _warnings(damaged) == [
        (11, "任务“一”：目标年份缺失（“到…年”中没有年份）"),
        (16, '删除了网页代码残留“<p style="text-inden…”，该处文字可能不完整'),
        (16, "责任标注“（牵头单位：；配合单位：区财政局）”不完整：“牵头单位”后没有单位"),
        (17, "“提升院前急救能力，平均急…”前缺少编号，已作为任务“二.(一).[4]”单独列出，请核对"),
        (20, "删除了网页代码残留“</span>…”，该处文字可能不完整"),
        (21, "编号“5”之后出现“7”，编号不连续"),
        (22, "责任标注“（牵头单位：区卫健局；配合单位：区人社局、区应急管理局”不完整：右括号缺失"),
        (40, "第40行在句子中间结束，文件可能不完整，请核对原文"),
        (40, "责任标注“（牵头单位：区卫健局；配合单位：区委宣”不完整：右括号缺失"),
    ]


def test_damaged_items_keep_what_can_be_read(damaged):
    empty_lead = _task(damaged, "二.(一).2")
    assert _units(empty_lead) == ([], ["区财政局"], [])
    assert empty_lead.title == "强化传染病监测预警"  # the HTML residue is gone
    assert _targets(empty_lead) == [("法定传染病报告及时率", "=", 100.0, "%", None)]
    assert _targets(_task(damaged, "一")) == [
        ("居民电子健康档案建档率", ">=", 90.0, "%", 2023),
        ("重点人群家庭医生签约率", ">=", 75.0, "%", None),  # 到年: the year was lost
    ]
    assert _task(damaged, "二.(二).10").text == "居民健康素养水平不低于25%。"  # 分享到 dropped
    school = _task(damaged, "二.(三).12")
    assert _units(school) == (["区卫生监督所"], ["区教育局"], [])
    assert (school.due, school.due_text) == (datetime.date(2021, 12, 31), "2021年12月底前")
    assert _task(damaged, "二.(二).8").partners == ["区人社局", "区应急管理局"]
    assert _units(_task(damaged, "三.4")) == (["区卫健局"], ["区委宣"], [])
    assert _targets(_task(damaged, "三.2")) == [
        ("人均基本公共卫生服务经费补助标准", ">=", 79.0, "元", None)
    ]


# --- prose without units, the task table in an attachment (rows saved as text: tabs) -----------


@pytest.fixture(scope="module")
def annex() -> ParsedPlan:
    return _parse("annex_table_tabs.txt")


ANNEX_NOTE = "注：各单位于每季度末5日前将工作进展报送县卫生健康局基层卫生股。"


def test_annex_table_replaces_prose_without_units(annex):
    assert (annex.title, annex.year) == ("东山县2023年基本公共卫生服务项目实施方案", 2023)
    assert [t.path for t in annex.walk()] == [str(n) for n in range(1, 9)]
    assert _warnings(annex) == [
        (25, "正文的任务未标注责任单位，已改为读取附件中的任务分工表"),
        (33, f"第33行是注释，未并入任务：“{ANNEX_NOTE}”"),
    ]
    assert annex.notes == [ANNEX_NOTE]
    assert annex.attachments == [
        "东山县2023年基本公共卫生服务项目重点任务分工表",
        "东山县基本公共卫生服务项目绩效评价指标",
    ]


def test_annex_rows(annex):
    children = _task(annex, "1")
    assert (children.title, children.line) == ("开展0—6岁儿童健康管理", 25)
    assert _units(children) == (["县妇幼保健院"], ["各乡镇卫生院"], [])  # 县妇幼保健院（牵头）
    assert (children.due, children.due_text) == (datetime.date(2023, 12, 31), "2023年12月底前")
    assert _targets(children) == [("0—6岁儿童健康管理率", ">=", 90.0, "%", None)]
    assert _units(_task(annex, "3")) == ([], [], ["各乡镇卫生院"])
    assert _targets(_task(annex, "4")) == [
        ("高血压患者基层规范管理服务率", ">=", 62.0, "%", None),
        ("2型糖尿病患者基层规范管理服务率", ">=", 62.0, "%", None),
    ]
    assert (_task(annex, "4").due, _task(annex, "4").due_text) == (None, "长期坚持")
    assert _units(_task(annex, "6")) == ([], [], ["县疾控中心", "县人民医院", "各乡镇卫生院"])
    education = _task(annex, "7")
    assert (education.title, education.text, education.due_text) == ("开展健康教育", "", "每季度")
    assert "注" not in _task(annex, "8").text  # the note after the table is no task's


# --- a table copied from a web page: one cell per line, empty cells left no line ------------


@pytest.fixture(scope="module")
def web_table() -> ParsedPlan:
    return _parse("web_table_cells_per_line.txt")


WEB_TABLE_NOTE = "注：各牵头单位于每季度结束后5个工作日内报送任务进展情况。"


def test_web_table_rows(web_table):
    assert (web_table.title, web_table.year) == ("岭南市2022年健康岭南行动重点工作任务分工表", 2022)
    assert [t.path for t in web_table.walk()] == [
        "一", "一.1", "一.2", "一.3", "二", "二.4", "二.5", "三", "三.6", "三.7",
    ]  # fmt: skip
    assert web_table.tasks[1].title == "合理膳食行动"
    first = _task(web_table, "一.1")
    assert (first.line, first.text) == (16, "建设市级健康科普专家库，入库专家不少于100名。")
    assert _units(first) == (["市卫健委"], ["市科协"], [])
    assert (first.due, first.due_text) == (datetime.date(2022, 6, 30), "2022年6月底前")
    # rows whose empty partner cell left no line: each cell placed by what it looks like
    assert _units(_task(web_table, "一.2")) == (["市卫健委"], [], [])
    assert _task(web_table, "一.2").due == datetime.date(2022, 11, 30)
    assert _units(_task(web_table, "二.5")) == (["市教育局"], [], [])
    assert _task(web_table, "二.5").due_text == "长期坚持"
    assert _units(_task(web_table, "二.4")) == (["市卫健委"], ["市教育局", "市市场监管局"], [])
    assert _targets(_task(web_table, "三.6")) == [
        ("市直机关无烟党政机关建成率", "=", 100.0, "%", None)
    ]
    assert _units(_task(web_table, "三.7")) == (["市卫生监督所"], ["市公安局"], [])
    assert "注" not in _task(web_table, "三.7").text
    assert web_table.attachments == ["岭南市健康岭南行动监测指标"]
    assert _warnings(web_table) == [(51, f"第51行是注释，未并入任务：“{WEB_TABLE_NOTE}”")]


# --- .docx with the task division as a table ------------------------------------------------

TABLE_ROWS = [
    ("序  号", "重点任务", "牵头单位", "配合单位", "完成时限"),
    ("一、深化医药卫生体制改革", "", "", "", ""),
    ("1", "推进公立医院高质量发展。三级公立医院平均住院日控制在8天以内。", "市卫健委",
     "市医保局、市财政局", "2022年12月底前"),
    ("2", "深化医保支付方式改革，按疾病诊断相关分组付费覆盖率达到70%以上。", "市医保局", "市卫健委",
     "2022年底"),
    ("3", "完善分级诊疗制度，推进预约诊疗和日间手术。", "市卫健委", "", "长期坚持"),
    ("4", "推进紧密型医联体建设，到2022年，县域内就诊率达到90%左右。", "", "各县（市、区）人民政府",
     "2022年9月底前"),
    ("二、提升公共卫生服务能力", "", "", "", ""),
    ("5", "加强疾控体系建设。\n疾控机构实验室检测能力达标率不低于80%。", "市卫健委",
     "市发展改革委\n市财政局", "2022年底前"),
    ("6", "做好免疫规划工作，适龄儿童免疫规划疫苗接种率保持在90%以上。", "市疾控中心",
     "各县〔区〕卫生健康局", "长期"),
    ("7", "开展爱国卫生运动，国家卫生县城占比提高5个百分点。", "市爱卫办", "市住建局、市城管局",
     "另行通知"),
    ("8", "", "市卫健委", "", "2022年底"),
]  # fmt: skip


def _table_docx(path: Path) -> None:
    """A notice, the plan's title, a five-column table (section rows merged across, the lead of
    rows 3-4 merged down, a cell of two paragraphs), then a note."""
    document = docx.Document()
    for text in (
        "北山市卫生健康委员会关于印发北山市2022年卫生健康重点工作任务分工方案的通知",
        "北卫发〔2022〕3号",
        "各县（市、区）卫生健康局，委机关各科室：",
        "现将《北山市2022年卫生健康重点工作任务分工方案》印发给你们，请认真抓好落实。",
        "北山市卫生健康委员会",
        "2022年2月18日",
        "北山市2022年卫生健康重点工作任务分工方案",
        "为做好2022年全市卫生健康工作，现将重点任务分工如下。",
    ):
        document.add_paragraph(text)
    table = document.add_table(rows=len(TABLE_ROWS), cols=5)
    for r, values in enumerate(TABLE_ROWS):
        for c, value in enumerate(values):
            first, *more = value.split("\n")
            table.cell(r, c).text = first
            for paragraph in more:
                table.cell(r, c).add_paragraph(paragraph)
    for r in (1, 6):
        table.cell(r, 0).merge(table.cell(r, 4))
    table.cell(4, 2).merge(table.cell(5, 2))
    document.add_paragraph("注：各牵头单位于每季度末将工作进展报送市卫健委办公室。")
    document.save(str(path))


@pytest.fixture(scope="module")
def table_text(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("docx") / "分工方案.docx"
    _table_docx(path)
    return read_document(path)


def test_docx_rows_keep_their_columns(table_text):
    lines = table_text.splitlines()
    assert lines[8] == "序 号  重点任务  牵头单位  配合单位  完成时限"
    assert lines[9] == "一、深化医药卫生体制改革" + "  " * 4  # merged across: empty cells kept
    assert lines[12].split("  ")[2:4] == ["市卫健委", ""]  # an empty partner cell
    assert lines[13].split("  ")[2] == "市卫健委"  # merged down: repeated
    assert lines[15].split("  ")[1:4] == [
        "加强疾控体系建设。 疾控机构实验室检测能力达标率不低于80%。",
        "市卫健委",
        "市发展改革委 市财政局",
    ]


def test_docx_table_tasks(table_text):
    plan = parse_plan(table_text)
    assert (plan.title, plan.document_number, plan.year) == (
        "北山市2022年卫生健康重点工作任务分工方案", "北卫发〔2022〕3号", 2022,
    )  # fmt: skip
    assert [t.path for t in plan.walk()] == [
        "一", "一.1", "一.2", "一.3", "一.4", "二", "二.5", "二.6", "二.7", "二.8",
    ]  # fmt: skip
    first = _task(plan, "一.1")
    assert (first.title, first.text, first.line) == (
        "推进公立医院高质量发展", "三级公立医院平均住院日控制在8天以内。", 11,
    )  # fmt: skip
    assert _units(first) == (["市卫健委"], ["市医保局", "市财政局"], [])
    assert (first.due, first.due_text) == (datetime.date(2022, 12, 31), "2022年12月底前")
    assert _targets(first) == [("三级公立医院平均住院日", "<=", 8.0, "天", None)]
    assert _units(_task(plan, "一.3")) == (["市卫健委"], [], [])
    assert _task(plan, "一.3").due_text == "长期坚持" and _task(plan, "一.3").due is None
    merged = _task(plan, "一.4")
    assert _units(merged) == (["市卫健委"], ["各县（市、区）人民政府"], [])
    assert merged.due == datetime.date(2022, 9, 30)
    assert _targets(merged) == [("县域内就诊率", "~", 90.0, "%", 2022)]
    two_paragraphs = _task(plan, "二.5")
    assert two_paragraphs.partners == ["市发展改革委", "市财政局"]
    assert _targets(two_paragraphs) == [("疾控机构实验室检测能力达标率", ">=", 80.0, "%", None)]
    assert _task(plan, "二.6").partners == ["各县〔区〕卫生健康局"]
    assert "注" not in _task(plan, "二.8").text
    assert _warnings(plan) == [
        (18, "任务“二.7”：无法识别完成时限“另行通知”"),
        (19, "任务“二.8”缺少任务内容"),
        (20, "第20行是注释，未并入任务：“注：各牵头单位于每季度末将工作进展报送市卫健委办公室。”"),
    ]


def test_docx_table_with_category_column_and_no_numbers(tmp_path):
    """重点领域 merged down, no 序号, 责任单位 with the first-listed-leads note, a 备注 column."""
    document = docx.Document()
    document.add_paragraph("西江区2022年健康西江建设重点任务清单")
    document.add_paragraph("（责任单位中列第一位的为牵头单位）")
    rows = [
        ("重点领域", "具体任务", "责任单位", "时间进度", "备注"),
        ("健康知识普及", "开展健康科普进社区活动，全年不少于20场。", "区卫健局、区融媒体中心",
         "2022年12月", ""),
        ("", "建立区级健康科普专家库。", "区卫健局", "2022年6月底前", ""),
        ("控烟行动", "创建无烟党政机关，建成率达到90%以上。", "区爱卫办、区直机关工委", "2022年底",
         "新增"),
        ("", "开展控烟执法检查。", "区卫生监督所", "持续推进", ""),
        ("妇幼健康", "孕产妇死亡率控制在10/10万以下，婴儿死亡率控制在5‰以内。", "区卫健局、区妇联",
         "2022年底", ""),
    ]  # fmt: skip
    table = document.add_table(rows=len(rows), cols=5)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(3, 0).merge(table.cell(4, 0))
    document.add_paragraph("西江区健康西江建设领导小组办公室")
    document.add_paragraph("2022年3月1日")
    path = tmp_path / "清单.docx"
    document.save(str(path))
    plan = parse_plan(read_document(path))
    assert plan.year == 2022
    assert [(t.path, t.title) for t in plan.tasks] == [
        ("一", "健康知识普及"), ("二", "控烟行动"), ("三", "妇幼健康"),
    ]  # fmt: skip
    assert [t.path for t in plan.walk() if t.style == "num"] == [
        "一.1", "一.2", "二.3", "二.4", "三.5",
    ]  # fmt: skip
    assert _units(_task(plan, "一.1")) == (["区卫健局"], ["区融媒体中心"], [])
    assert _units(_task(plan, "二.4")) == (["区卫生监督所"], [], [])
    assert _task(plan, "二.3").text == "创建无烟党政机关，建成率达到90%以上。"  # 备注 left out
    assert _task(plan, "一.2").due == datetime.date(2022, 6, 30)
    assert _targets(_task(plan, "三.5")) == [
        ("孕产妇死亡率", "<=", 10.0, "/10万", None),
        ("婴儿死亡率", "<=", 5.0, "‰", None),
    ]
    assert plan.warnings == []


def test_docx_table_with_a_two_row_header(tmp_path):
    """责任单位 merged over 牵头单位 | 配合单位 in a second header row; the year from the title."""
    document = docx.Document()
    document.add_paragraph("某市2023年医疗服务改善重点任务分工表")
    rows = [
        ("序号", "重点任务", "责任单位", "", "完成时限"),
        ("", "", "牵头单位", "配合单位", ""),
        ("1", "推行预约诊疗，三级医院预约诊疗率达到50%以上。", "市卫健委", "市医保局", "2023年底"),
        ("2", "推进检查检验结果互认。", "市卫健委", "", "年内"),
    ]
    table = document.add_table(rows=len(rows), cols=5)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(0, 2).merge(table.cell(0, 3))
    for column in (0, 1, 4):
        table.cell(0, column).merge(table.cell(1, column))
    path = tmp_path / "分工表.docx"
    document.save(str(path))
    plan = parse_plan(read_document(path))
    assert plan.year == 2023
    assert [(t.path, t.lead, t.partners) for t in plan.walk()] == [
        ("1", ["市卫健委"], ["市医保局"]),
        ("2", ["市卫健委"], []),
    ]
    assert _targets(_task(plan, "1")) == [("三级医院预约诊疗率", ">=", 50.0, "%", None)]
    assert (_task(plan, "2").due, _task(plan, "2").due_text) == (
        datetime.date(2023, 12, 31),
        "年内",
    )
    assert plan.warnings == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                ["", "1", "一、", "推进建设。", "市卫健委", "2022年底", "、", "（", "达到90%"]
            ),
            max_size=7,
        ),
        max_size=8,
    ),
    st.sampled_from(["\t", "  "]),
)
def test_table_rows_of_any_shape_never_raise(rows, separator):
    header = separator.join(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"])
    text = "\n".join([header, *(separator.join(row) for row in rows), "注：说明。"])
    json.dumps(parse_plan(text).to_json(), ensure_ascii=False)


def test_a_deadline_is_cut_only_when_it_stands_on_its_own():
    plan = parse_plan(
        "某市重点任务分工方案\n一、重点任务\n"
        "1.开展培训（2022年底前）。(市人社局负责)\n"
        "2.推进改革。年内完成。(市卫健委负责)\n"
        "3.建设平台。(市大数据局牵头,市财政局配合,2021年6月底前完成)\n"
        "4.完善制度。(市医保局负责)\n完成时限：另行通知\n",
        year=2021,
    )
    cut = _task(plan, "一.1")
    assert (cut.title, cut.text, cut.due, cut.due_text) == (
        "开展培训", "", datetime.date(2022, 12, 31), "2022年底前",
    )  # fmt: skip
    kept = _task(plan, "一.2")
    assert (kept.text, kept.due, kept.due_text) == (
        "年内完成。", datetime.date(2021, 12, 31), "年内完成",
    )  # fmt: skip
    marker = _task(plan, "一.3")
    assert _units(marker) == (["市大数据局"], ["市财政局"], [])
    assert (marker.due, marker.due_text) == (datetime.date(2021, 6, 30), "2021年6月底前完成")
    unreadable = _task(plan, "一.4")
    assert (unreadable.due, unreadable.due_text) == (None, "另行通知")
    assert _warnings(plan) == [(7, "任务“一.4”：无法识别完成时限“另行通知”")]


def _numbered(document, text: str, level: int, num_id: str = "90") -> None:
    paragraph = document.add_paragraph(text)
    xml = f'<w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
    paragraph._p.get_or_add_pPr().append(parse_xml(f"<w:numPr {nsdecls('w')}>{xml}</w:numPr>"))


def test_docx_with_words_automatic_numbering(tmp_path):
    """Labels that Word draws (一、 / （一） / 1.) are not in the paragraphs' text."""
    document = docx.Document()
    document.add_paragraph("某县2022年基层卫生重点工作任务")
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    abstract = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{abstract}</w:abstractNum>'),
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    _numbered(document, "提升服务能力", 0)
    _numbered(document, "加强人才队伍", 1)
    _numbered(document, "实施订单定向培养。（县卫健局牵头，县人社局参与）", 2)
    _numbered(document, "落实待遇保障。（县人社局负责）", 2)
    _numbered(document, "改善设施条件", 1)
    _numbered(document, "推进标准化建设。（县卫健局负责）", 2)
    _numbered(document, "保障措施", 0)
    document.add_paragraph("各乡镇要加强组织领导。")
    path = tmp_path / "自动编号.docx"
    document.save(str(path))
    lines = read_document(path).splitlines()
    assert lines[1:4] == [
        "一、提升服务能力",
        "（一）加强人才队伍",
        "1.实施订单定向培养。（县卫健局牵头，县人社局参与）",
    ]
    plan = parse_plan("\n".join(lines))
    assert [t.path for t in plan.walk()] == [
        "一", "一.(一)", "一.(一).1", "一.(一).2", "一.(二)", "一.(二).1", "二",
    ]  # fmt: skip
    assert _units(_task(plan, "一.(一).1")) == (["县卫健局"], ["县人社局"], [])
    assert _task(plan, "一.(二).1").lead == ["县卫健局"]


@pytest.mark.parametrize(
    "ending",
    [
        "附件：1.领导小组名单；2.任务分工表\n",
        "附件：1.领导小组名单\n      2.任务分工表\n某市人民政府\n2021年3月1日\n",
        "附件1：领导小组名单\n附件2：任务分工表\n附件1\n领导小组名单\n组长：张三\n",
        "附件1\n领导小组名单\n组长：张三\n附件2\n任务分工表\n",
    ],
)
def test_attachment_titles(ending):
    plan = parse_plan("某市重点任务分工方案\n一、重点任务\n1.建设平台。(市卫健委负责)\n" + ending)
    assert plan.attachments == ["领导小组名单", "任务分工表"]
    assert [t.path for t in plan.walk()] == ["一", "一.1"]
    assert plan.to_json()["plan"]["attachments"] == ["领导小组名单", "任务分工表"]


@pytest.mark.parametrize(
    ("head", "tail", "year"),
    [
        ("某市卫健委关于印发某市健康行动方案的通知\n某市卫健委\n二〇二一年六月八日\n", "", 2021),
        ("", "某市卫生健康委员会\n2022年1月5日\n", 2022),
        ("", "", None),
    ],
)
def test_the_documents_year_for_within_years(head, tail, year):
    plan = parse_plan(head + "某市健康行动方案\n一、目标\n5年内，达标率达到90%以上。\n" + tail)
    assert plan.year == year
    assert [(t.indicator, t.year) for t in plan.tasks[0].targets] == [
        ("达标率", year + 5 if year else None)
    ]
    assert [w.message for w in plan.warnings] == (
        [] if year else ["任务“一”：文件年份不明，无法确定“5年内”对应的年份"]
    )
    assert "某市卫生健康委员会" not in plan.tasks[0].text
