"""The plan parser on a second set of invented documents (tests/documents/round2/), in forms the
first set does not cover. Every expected figure was counted by reading the documents.

- state_council_ministries.txt: a 国务院办公厅-style 重点工作任务 list, items
  "1．…。（A、B牵头，C等按职责分工负责）" under 一、…六、, ministries as units, a blank
  line between paragraphs, a closing paragraph after the last item;
- province_first_listed_bare.txt: a provincial 分工方案 whose units are bare lists "（省卫生健康委、
  省医保局、省财政厅）" (one on a line of its own, one after a second paragraph), a note "注：…列第
  一位的为牵头单位…" after the last task;
- targets_main_goals.txt: a 实施方案 whose 主要目标 paragraph holds eighteen figures (万张, 亿元,
  ‰, /10万, 岁, 张, 个百分点, ranges 85%—90% and 2—3个百分点, 不少于2名…, 实现城乡全覆盖);
- county_parts.txt: a county plan in 第一部分 / 第二部分 / 第三部分, keyed markers with a
  comma (责任单位：A，配合单位：B), a marker line after two sub-items, the imprint (抄送 /
  …印发) at the foot;
- flat_numbered_offices.txt: a commission's own task list, items 1．…15． with no section
  above them, 牵头科室 / 配合科室 / 完成时限 lines, sub-items (1)…(3);
- pdf_hard_wrapped.txt: a notice copied out of a PDF: lines broken every 28 characters (inside
  sentences, numbers, markers and unit names), full-width digits, a letter-spaced title over two
  lines, page numbers (— 1 —, - 2 -), a running header on every page, a footnote in the middle of
  a broken sentence;
- keyed_lenticular.txt: items under (一)…(五) with no 一、 above them, keys written 【牵头单位】X
  【配合单位】Y【完成时限】Z, inline or on lines of their own, and 责任单位：A（牵头）、B.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from pathlib import Path

import pytest

from weijian.core.text.document import read_document
from weijian.core.text.normalize import normalize
from weijian.core.text.numerals import split_label
from weijian.plans.importers import ParsedPlan, ParsedTask, parse_plan
from weijian.plans.importers.tree import protect_circled

DOCUMENTS = Path(__file__).resolve().parent / "documents" / "round2"
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_KEY = re.compile(r"\s*(?:牵头|配合|责任|完成)\S{0,2}:")


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


def _unaccounted(
    plan: ParsedPlan, name: str, first: int, last: int, furniture: tuple[int, ...] = ()
) -> list[int]:
    """Body lines (first … last) whose words are in no task, warning, note or the preamble.

    Bracketed parts (markers), keys (牵头单位：…, 【配合单位】…) and page furniture are left out of
    the check: they are read as units and dates, not text. A line broken by a PDF counts as read
    when its words are found inside a joined paragraph."""
    read = [plan.preamble, *plan.notes]
    read += [f"{t.title}{t.text}" for t in plan.walk()]
    read += [w.message for w in plan.warnings]
    found = "".join(_words(text) for text in read)
    lines = read_document(DOCUMENTS / name).splitlines()
    missing = []
    for number in range(first, last + 1):
        line = normalize(protect_circled(lines[number - 1].split("【")[0]))
        label = split_label(line)
        line = label.rest if label else line
        words = _words(line)
        if words and words not in found and number not in furniture and not _KEY.match(line):
            missing.append(number)
    return missing


def _words(text: str) -> str:
    """The Chinese characters of a text outside brackets (those of a line broken inside a
    bracket included)."""
    text = normalize(text)
    while (bare := re.sub(r"\([^()]*\)", "", text)) != text:
        text = bare
    text = re.sub(r"\([^)]*$|^[^(]*\)", "", text)
    return "".join(_HAN.findall(text))


# --- 国务院办公厅: (A牵头，B等按职责分工负责), ministries ----------------------------------------


@pytest.fixture(scope="module")
def council() -> ParsedPlan:
    return _parse("state_council_ministries.txt")


def test_council_header_and_tree(council):
    assert (council.title, council.document_number, council.year) == (
        "深化医药卫生体制改革2025年重点工作任务", "国办发〔2025〕12号", 2025,
    )  # fmt: skip
    assert council.preamble.startswith("2025年是“十四五”规划收官之年。")
    tasks = list(council.walk())
    assert len(tasks) == 27  # 一…六 and items 1…21 numbered straight through
    assert [len(t.children) for t in council.tasks] == [4, 3, 4, 3, 4, 3]
    assert [t.label for t in council.tasks[5].children] == ["19", "20", "21"]
    lines = {t.path: t.line for t in tasks}
    assert (lines["一"], lines["一.1"], lines["二.5"], lines["四.13"], lines["六.21"]) == (
        19, 21, 31, 51, 71,
    )  # fmt: skip
    assert _task(council, "三.11").title == "加快推进药品追溯码全场景应用"
    assert _unaccounted(council, "state_council_ministries.txt", 17, 73) == []


def test_council_units(council):
    assert _units(_task(council, "一.1")) == (
        ["国家发展改革委", "国家卫生健康委"], [], ["财政部", "国家中医药局"],
    )  # fmt: skip
    three = _task(council, "一.3")
    assert (three.markers, three.responsible) == (
        ["in_charge"],
        ["国家卫生健康委", "国家医保局", "国家中医药局", "国家疾控局"],
    )
    assert _task(council, "一.4").lead == ["国家卫生健康委", "国家发展改革委", "财政部"]
    assert _units(_task(council, "二.6")) == (
        ["国家卫生健康委"], ["财政部", "人力资源社会保障部", "国家中医药局"], [],
    )  # fmt: skip
    assert _units(_task(council, "二.7")) == (
        ["财政部", "国家卫生健康委"], ["国家发展改革委", "审计署"], [],
    )  # fmt: skip
    assert _units(_task(council, "四.13")) == (
        ["国家卫生健康委", "国家疾控局"], [], ["教育部", "体育总局", "全国爱卫办"],
    )  # fmt: skip
    assert _units(_task(council, "五.17")) == (["国家卫生健康委"], [], ["各省级人民政府"])
    assert len(_task(council, "三.11").responsible) == 5
    assert len(council.units) == 18


def test_council_deadlines(council):
    due = {t.path: (t.due, t.due_text) for t in council.walk() if t.due_text}
    assert due == {
        "二.6": (datetime.date(2025, 12, 31), "2025年12月底前完成"),
        "六.20": (datetime.date(2025, 6, 30), "2025年6月底前出台"),
        "六.21": (None, "持续推进"),
    }
    twenty = _task(council, "六.20")
    assert (twenty.title, twenty.text, twenty.lead) == (
        "出台加强医疗卫生机构财务管理的指导意见", "", ["财政部", "国家卫生健康委"],
    )  # fmt: skip


def test_council_targets(council):
    assert _targets(_task(council, "一.1")) == [("新开工建设项目", ">=", 10.0, "个", 2025)]  # 年内
    [growth] = _task(council, "一.2").targets
    assert (growth.indicator, growth.comparator, growth.value, growth.change) == (
        "试点城市三级医院下沉专家数量", ">=", 10.0, "increase",
    )  # fmt: skip
    assert _targets(_task(council, "一.3")) == [
        ("紧密型县域医共体建设覆盖率", "=", 100.0, "%", 2025)  # 实现全国全覆盖
    ]
    assert _targets(_task(council, "三.8")) == [("住院费用覆盖率", "~", 80.0, "%", None)]
    assert _targets(_task(council, "三.9")) == [
        ("国家和省级集采药品品种数", ">=", 500.0, "个", None)
    ]
    assert _targets(_task(council, "四.13")) == [
        ("居民健康素养水平", "=", 31.0, "%", None),
        ("15岁以上人群吸烟率", "<=", 23.0, "%", None),
    ]
    assert _targets(_task(council, "五.15")) == [
        ("每千人口执业（助理）医师数", "=", 3.4, "人", None),
        ("每万人口全科医生数", "=", 3.93, "人", None),
    ]
    assert sum(len(t.targets) for t in council.walk()) == 11
    assert "31%，15岁" in _task(council, "四.13").text


def test_council_closing_paragraph_is_kept_with_a_warning(council):
    last = _task(council, "六.21")
    assert last.text.startswith("总结推广三明医改经验，深化医改监测评估。各地区、各有关部门")
    assert _warnings(council) == [(73, "任务“六.21”的责任单位之后还有文字，已并入该任务")]


# --- a province: bare unit lists, 列第一位的为牵头单位 in a note -------------------------------


@pytest.fixture(scope="module")
def province() -> ParsedPlan:
    return _parse("province_first_listed_bare.txt")


NOTE = (
    "注：各项任务中列第一位的为牵头单位，其他为配合单位；各市（州）人民政府负责本地区各项任务的落实，"
    "不再一一列出。"
)


def test_province_tree_and_note(province):
    assert (province.title, province.document_number, province.year) == (
        "青川省加快推进分级诊疗制度建设重点任务分工方案", "青政办函〔2024〕35号", 2024,
    )  # fmt: skip
    tasks = list(province.walk())
    assert len(tasks) == 27
    assert Counter(t.style for t in tasks) == {"cn": 3, "pcn": 8, "num": 16}
    assert [len(c.children) for c in province.tasks[1].children] == [3, 3, 3, 3, 4]
    assert (_task(province, "二.(四).11").line, _task(province, "二.(五).16").line) == (26, 34)
    assert province.attachments == ["青川省分级诊疗制度建设监测指标"]
    assert province.notes == [NOTE]
    assert _warnings(province) == [(39, f"第39行是注释，未并入任务：“{NOTE}”")]
    assert "注" not in _task(province, "三.(三)").text
    assert _unaccounted(province, "province_first_listed_bare.txt", 8, 39) == []


def test_province_first_listed_unit_leads(province):
    assert all(t.markers == ["units"] for t in province.walk() if t.style == "num")
    assert _units(_task(province, "二.(一).1")) == (
        ["省卫生健康委"], ["省发展改革委", "省财政厅"], [],
    )  # fmt: skip
    assert _units(_task(province, "二.(一).3")) == (["省医保局"], ["省卫生健康委", "省财政厅"], [])
    nested = _task(province, "二.(三).7")
    assert _units(nested) == (["省卫生健康委（省中医药局）"], ["省医保局"], [])
    assert nested.text == "制定常见病种上下转诊标准和流程，畅通慢性病患者向下转诊渠道。"
    assert _units(_task(province, "二.(三).9")) == (["省卫生健康委"], [], [])
    own_line = _task(province, "二.(四).11")
    assert _units(own_line) == (["省医保局"], ["省卫生健康委"], [])
    assert own_line.text.endswith("不超过12周的长期处方。")
    second = _task(province, "二.(四).12")
    assert _units(second) == (["省卫生健康委"], ["省数据局"], [])
    assert second.text.endswith("鼓励有条件的地区开展“互联网+家庭医生”服务。")
    assert _units(_task(province, "三.(一)")) == (["各市〔州〕人民政府"], [], [])
    assert _units(_task(province, "三.(三)")) == (
        ["省委宣传部"], ["省卫生健康委", "省广电局"], [],
    )  # fmt: skip


def test_province_targets(province):
    assert _targets(_task(province, "一")) == [
        ("县域内就诊率", ">=", 90.0, "%", 2025),
        ("基层医疗卫生机构诊疗量占总诊疗量比例", "=", 65.0, "%", 2025),
    ]
    assert _targets(_task(province, "二.(二).4")) == [
        ("乡村医生中具备执业（助理）医师资格的比例", ">=", 45.0, "%", None)
    ]
    assert _targets(_task(province, "二.(二).5")) == [
        ("每年为基层培养订单定向医学生", ">=", 800.0, "名", None)
    ]
    [points] = _task(province, "二.(四).10").targets
    assert (points.indicator, points.comparator, points.value, points.value_max) == (
        "重点人群签约服务覆盖率", ">=", 1.0, 2.0,
    )  # fmt: skip
    assert (points.unit, points.change) == ("个百分点", "increase")  # 每年提高1至2个百分点
    [remote] = _task(province, "二.(五).15").targets
    assert (remote.indicator, remote.value, remote.unit, remote.change) == (
        "远程会诊量", 15.0, "%", "increase",
    )  # fmt: skip
    assert _task(province, "二.(一).1").targets == []  # 至少有1家: no target
    assert _task(province, "二.(四).11").targets == []  # 不超过12周的长期处方: no target
    assert sum(len(t.targets) for t in province.walk()) == 9
    assert not any(t.due for t in province.walk())  # 2025年6月底前实现… stays in the text


# --- a 实施方案 whose 主要目标 paragraph holds the figures --------------------------------------


@pytest.fixture(scope="module")
def goals() -> ParsedPlan:
    return _parse("targets_main_goals.txt")


def test_goals_header_and_tree(goals):
    assert (goals.title, goals.document_number, goals.year) == (
        "南岭省健康老龄化和妇幼健康提升行动实施方案（2025—2030年）", "南卫老龄发〔2025〕4号", 2025,
    )  # fmt: skip
    assert len(list(goals.walk())) == 23
    assert [t.line for t in goals.tasks] == [11, 13, 18, 35]
    assert goals.attachments == [
        "南岭省健康老龄化和妇幼健康提升行动主要指标",
        "南岭省老年健康服务机构建设基本标准",
    ]
    assert goals.warnings == []
    assert _task(goals, "一").targets == []  # 用3—5年时间: a period, no target
    assert _unaccounted(goals, "targets_main_goals.txt", 10, 38) == []


def test_goals_main_paragraph(goals):
    main = _task(goals, "二").targets
    assert [(t.indicator, t.comparator, t.value, t.unit, t.year) for t in main] == [
        ("人均预期寿命", "=", 79.5, "岁", 2027),
        ("孕产妇死亡率", "<=", 9.0, "/10万", 2027),
        ("婴儿死亡率", "<=", 4.0, "‰", 2027),
        ("5岁以下儿童死亡率", "<=", 5.5, "‰", 2027),
        ("每千人口医疗卫生机构床位数", "=", 7.4, "张", 2027),
        ("每千人口拥有3岁以下婴幼儿托位数", "=", 4.5, "个", 2027),
        ("医疗卫生机构床位总数", "=", 38.6, "万张", 2027),
        ("二级及以上综合医院设置老年医学科的比例", ">=", 85.0, "%", 2027),
        ("老年人健康管理率", "=", 5.0, "个百分点", 2027),
        ("卫生健康总投入", ">=", 1200.0, "亿元", 2027),
        ("人均预期寿命", "~", 80.0, "岁", 2030),
        ("65岁及以上老年人失能发生率", ">=", 2.0, "个百分点", 2030),
        ("每个乡镇卫生院配备全科医生", ">=", 2.0, "名", 2030),
        ("医养结合服务覆盖率", "=", 100.0, "%", 2030),
        ("居民健康素养水平", ">=", 35.0, "%", 2030),
        ("二级及以上妇幼保健院", "=", 45.0, "家", 2027),
        ("县级妇幼保健机构标准化建设达标率", "=", 100.0, "%", 2027),
        ("个人卫生支出占卫生总费用的比例", "~", 26.0, "%", 2030),
    ]
    assert [(t.value_max, t.change) for t in main if t.value_max or t.change] == [
        (90.0, None),  # 85%—90%
        (None, "increase"),  # 提高5个百分点
        (3.0, "decrease"),  # 降低2—3个百分点
    ]
    assert main[1].change is None  # 下降到9/10万: a level, not a change


def test_goals_task_targets(goals):
    assert _targets(_task(goals, "三.(一).1")) == [
        ("三级综合医院老年医学科设置率", "=", 100.0, "%", 2028)  # 力争到2028年
    ]
    assert _targets(_task(goals, "三.(一).3")) == [
        ("签约率", "=", 100.0, "%", None),
        ("培训医养结合服务人员", ">=", 2.0, "万人次", None),
    ]
    [coverage] = _task(goals, "三.(一).4").targets
    assert (coverage.indicator, coverage.value, coverage.unit, coverage.year, coverage.change) == (
        "项目县覆盖率",
        20.0,
        "个百分点",
        None,
        "increase",
    )  # fmt: skip  (较2024年 is the base, not the target's year)
    section = _task(goals, "三.(二).5").targets
    assert [(t.indicator, t.comparator, t.value, t.value_max, t.change) for t in section] == [
        ("孕产妇系统管理率", ">=", 95.0, None, None),
        ("剖宫产率", ">=", 3.0, 5.0, "decrease"),  # 较2024年下降3%—5%
    ]
    assert _targets(_task(goals, "三.(二).7"))[1] == (
        "儿童青少年总体近视率", ">=", 0.5, "个百分点", None,
    )  # fmt: skip
    assert _targets(_task(goals, "三.(三).9")) == [
        ("每10万人口精神科执业（助理）医师数", "=", 4.5, "名", 2030),
        ("培养老年医学专业人员", ">=", 3000.0, "名", 2030),
    ]
    assert _targets(_task(goals, "三.(三).10")) == [
        ("省级财政每年安排专项资金", ">=", 5.0, "亿元", None)
    ]
    assert _targets(_task(goals, "三.(三).11")) == [
        ("长期护理保险参保人数", "=", 1500.0, "万人", None)
    ]
    assert _targets(_task(goals, "三.(三).13")) == [
        ("二级以上中医医院设置老年病科的比例", ">=", 75.0, "%", None),
        ("乡镇卫生院中医馆覆盖率", "=", 100.0, "%", None),
    ]
    assert _targets(_task(goals, "三.(二).8")) == [
        ("每千人口拥有3岁以下婴幼儿托位数", "=", 5.5, "个", 2030)  # 至少建成1个: no target
    ]


def test_goals_units(goals):
    assert _units(_task(goals, "三.(一).2")) == (
        ["省卫生健康委", "省民政厅"], ["省医保局"], [],
    )  # fmt: skip
    assert _units(_task(goals, "三.(二).6")) == (["省卫生健康委"], ["省医保局", "省残联"], [])
    assert _units(_task(goals, "四.(一)")) == (["各市、县〔区〕人民政府"], [], [])
    assert _units(_task(goals, "四.(三)")) == ([], [], ["省卫生健康委", "省民政厅"])


# --- a county plan in 第一部分 … 第三部分 --------------------------------------------------------


@pytest.fixture(scope="module")
def county() -> ParsedPlan:
    return _parse("county_parts.txt")


def test_county_parts_tree(county):
    assert (county.title, county.document_number, county.year) == (
        "临溪县2024年基层卫生健康服务能力提升实施方案", "临卫发〔2024〕7号", 2024,
    )  # fmt: skip
    tasks = list(county.walk())
    assert len(tasks) == 23
    assert Counter(t.style for t in tasks) == {"article": 3, "cn": 7, "pcn": 11, "num": 2}
    assert [t.path for t in county.tasks] == ["第一", "第二", "第三"]
    assert [c.path for c in _task(county, "第二.二.(三)").children] == [
        "第二.二.(三).1", "第二.二.(三).2",
    ]  # fmt: skip
    assert [t.line for t in county.tasks] == [9, 12, 33]
    assert _task(county, "第三.三").line == 38
    assert _warnings(county) == [(34, "任务“第三.一”未标注责任单位")]
    last = _task(county, "第三.三")
    assert last.text == "将本方案落实情况纳入乡镇卫生院年度绩效考核，每季度通报一次工作进展。"
    assert _unaccounted(county, "county_parts.txt", 9, 41) == [40, 41]  # the imprint only


def test_county_units_and_deadlines(county):
    # 责任单位：A，配合单位：B — A leads when partners are named
    assert _units(_task(county, "第二.一.(一)")) == (["县卫健局"], ["县发改局", "县财政局"], [])
    assert _units(_task(county, "第二.一.(二)")) == ([], [], ["县卫健局", "各乡镇人民政府"])
    own_lines = _task(county, "第二.一.(三)")
    assert _units(own_lines) == (["县卫健局"], [], ["各乡镇卫生院", "各社区卫生服务中心"])
    assert (own_lines.due, own_lines.due_text) == (datetime.date(2024, 11, 30), "2024年11月底前")
    group = _task(county, "第二.二.(三)")
    assert _units(group) == ([], [], ["县卫健局", "县人民医院", "县中医院"])
    assert all(_units(c) == ([], [], []) for c in group.children)
    payment = _task(county, "第二.三.(二)")
    assert _units(payment) == (["县医保局"], ["县卫健局", "县财政局"], [])
    assert (payment.due, payment.due_text) == (datetime.date(2024, 6, 30), "2024年6月底前")
    assert _task(county, "第三.二").responsible == ["县财政局"]


def test_county_targets(county):
    assert _targets(_task(county, "第一")) == [
        ("乡镇卫生院达到“优质服务基层行”基本标准的比例", ">=", 70.0, "%", 2024),
        ("村卫生室中执业（助理）医师占比", ">=", 30.0, "%", 2024),
        ("县域内就诊率", "~", 90.0, "%", 2024),
    ]
    assert _targets(_task(county, "第二.二.(三).2")) == [("派驻时间", ">=", 6.0, "个月", None)]
    assert _targets(_task(county, "第二.四.(一)")) == [
        ("65岁及以上老年人健康管理率", ">=", 65.0, "%", None),
        ("高血压患者规范管理率", ">=", 65.0, "%", None),  # 高血压、2型糖尿病患者…分别
        ("2型糖尿病患者规范管理率", ">=", 62.0, "%", None),
    ]
    [points] = _task(county, "第二.四.(二)").targets
    assert (points.indicator, points.value, points.unit, points.change) == (
        "重点人群签约率", 3.0, "个百分点", "increase",
    )  # fmt: skip
    assert _task(county, "第二.二.(一)").targets == []  # 不低于300元的标准: a rule, no target


# --- a commission's list: 1．… with no section, 牵头科室 / 配合科室 / 完成时限 lines -----------


@pytest.fixture(scope="module")
def offices() -> ParsedPlan:
    return _parse("flat_numbered_offices.txt")


def test_offices_tree(offices):
    assert (offices.title, offices.document_number, offices.year) == (
        "白石市卫生健康委员会2024年重点工作任务清单", None, 2024,
    )  # fmt: skip
    assert offices.preamble.startswith("（2024年2月19日委党组会议审议通过）为统筹推进")
    assert [t.path for t in offices.tasks] == [str(n) for n in range(1, 16)]
    assert [c.path for c in _task(offices, "4").children] == ["4.(1)", "4.(2)", "4.(3)"]
    assert [t.line for t in offices.tasks] == [
        4, 7, 11, 14, 20, 24, 27, 30, 33, 36, 39, 42, 45, 48, 51,
    ]  # fmt: skip
    assert offices.warnings == []
    assert "白石市卫生健康委员会办公室" not in _task(offices, "15").text
    assert _unaccounted(offices, "flat_numbered_offices.txt", 2, 53) == []


def test_offices_units_and_deadlines(offices):
    assert _units(_task(offices, "1")) == (["规划发展与信息化科"], ["财务科"], [])
    assert _units(_task(offices, "2")) == (["中医科"], ["医政医管科", "财务科"], [])
    reform = _task(offices, "4")
    assert _units(reform) == (["体制改革科"], ["人事科", "财务科", "医政医管科"], [])
    assert all(_units(c) == ([], [], []) for c in reform.children)
    assert _task(offices, "11").lead == ["爱卫办（健康促进科）"]
    assert _units(_task(offices, "15")) == (["机关纪委"], ["医政医管科", "人事科"], [])
    due = {t.path: (t.due, t.due_text) for t in offices.walk() if t.due_text}
    assert due["1"] == (datetime.date(2024, 12, 31), "2024年12月底")
    assert due["4"] == (datetime.date(2024, 11, 30), "2024年11月底")
    assert due["5"] == (None, "长期坚持")
    assert due["7"] == (datetime.date(2024, 6, 30), "2024年6月底")
    assert due["11"] == (None, "持续推进")
    assert len(due) == 15


def test_offices_targets(offices):
    found = {t.path: _targets(t) for t in offices.walk() if t.targets}
    assert found == {
        "3": [("社区卫生服务中心达到国家推荐标准的比例", "=", 40.0, "%", None)],
        "4.(2)": [("人员支出占业务支出的比例", ">=", 45.0, "%", None)],
        "5": [("市疾控中心实验室检测项目", ">=", 300.0, "项", None)],
        "6": [("全年开展应急演练", ">=", 4.0, "次", None)],
        "7": [("互认项目", "=", 200.0, "项", None)],
        "8": [("65岁及以上老年人健康管理率", ">=", 72.0, "%", None)],
        "9": [("孕产妇死亡率", "<=", 10.0, "/10万", None), ("婴儿死亡率", "<=", 3.5, "‰", None)],
        "10": [("重点行业用人单位职业病危害项目申报率", "=", 95.0, "%", None)],
        "12": [("引进高层次卫生人才", ">=", 30.0, "名", None)],
        "13": [("二级以上公立医院电子病历系统应用水平分级评价", "=", 4.5, "级", None)],
        "14": [("检查覆盖率", "=", 100.0, "%", None)],
    }


# --- copied out of a PDF --------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf() -> ParsedPlan:
    return _parse("pdf_hard_wrapped.txt")


FOOTNOTE = (
    "注：县域医疗次中心是指在服务人口较多、能力较强的中心乡镇卫生院基础上建设的区域性医疗服务中心。"
)


def test_pdf_header(pdf):
    assert (pdf.title, pdf.document_number, pdf.year) == (
        "黎阳市推进医疗卫生强基工程实施方案", "黎府办发〔2023〕18号", 2023,
    )  # fmt: skip
    assert pdf.preamble == (
        "为进一步夯实基层医疗卫生服务网底，推动优质医疗资源扩容下沉和区域均衡布局，根据省委、"
        "省政府有关部署，结合我市实际，制定本方案。"
    )
    assert pdf.attachments == ["黎阳市医疗卫生强基工程主要指标"]


def test_pdf_tree_and_joined_paragraphs(pdf):
    assert [t.path for t in pdf.walk()] == [
        "一", "二", "二.(一)", "二.(二)", "二.(三)", "二.(四)", "二.(五)", "二.(六)",
        "三", "三.(一)", "三.(二)", "三.(三)",
    ]  # fmt: skip
    assert [t.line for t in pdf.walk()] == [15, 20, 21, 25, 28, 31, 40, 44, 47, 48, 53, 56]
    assert _task(pdf, "二.(一)").text == (
        "支持每个县（市、区）办好1所县级综合医院，推动县级医院胸痛、卒中、创伤、危重孕产妇和"
        "危重新生儿救治中心建设，2025年底前实现县域全覆盖。"
    )
    # across a footnote, a page number and the running header; 1.5 at the head of the page
    assert _task(pdf, "二.(四)").text == (
        "完善医共体内人员统筹使用、财务统一管理机制，推动医保基金打包付费，县域医共体内基层医疗"
        "卫生机构用于基层的医保基金使用占比原则上每年稳步提高1.5个百分点以上。"
    )
    assert _task(pdf, "二.(四)").children == []
    assert _task(pdf, "二.(六)").text.startswith("建设全市统一的远程医疗服务平台，2024年6月底前")
    texts = "".join(t.title + t.text for t in pdf.walk())
    assert "行政规范性文件" not in texts and "—" not in texts
    assert pdf.notes == [FOOTNOTE]
    assert _warnings(pdf) == [(34, f"第34行是注释，未并入任务：“{FOOTNOTE}”")]
    assert _unaccounted(pdf, "pdf_hard_wrapped.txt", 12, 58, furniture=(37, 51)) == []


def test_pdf_units_across_broken_lines(pdf):
    assert _units(_task(pdf, "二.(一)")) == (["市卫生健康委"], ["市发展改革委", "市财政局"], [])
    assert _units(_task(pdf, "二.(二)")) == (
        ["市卫生健康委"], ["市财政局", "市人力资源社会保障局"], [],
    )  # fmt: skip
    assert _units(_task(pdf, "二.(四)")) == (
        ["市卫生健康委", "市医疗保障局"], ["市委编办", "市财政局", "市人力资源社会保障局"], [],
    )  # fmt: skip
    assert _units(_task(pdf, "三.(一)")) == (["各县〔市、区〕人民政府"], [], [])  # over a page
    assert _units(_task(pdf, "三.(三)")) == (
        ["市卫生健康委"], ["市委督查室", "市政府督查室"], [],
    )  # fmt: skip
    assert all(t.lead or not t.style == "pcn" for t in pdf.walk())


def test_pdf_targets_across_broken_lines(pdf):
    assert _targets(_task(pdf, "一")) == [
        ("基层医疗卫生机构诊疗量占比", ">=", 60.0, "%", 2025),  # 60%以 / 上
        ("县域内就诊率", "~", 90.0, "%", 2025),
        ("每千常住人口执业（助理）医师数", "=", 3.2, "人", 2025),  # （助理） / 医师数
        ("乡镇卫生院服务能力达到基本标准的比例", ">=", 85.0, "%", 2027),
    ]
    [share] = _task(pdf, "二.(四)").targets
    assert (share.indicator, share.comparator, share.value, share.unit, share.change) == (
        "县域医共体内基层医疗卫生机构用于基层的医保基金使用占比", ">=", 1.5, "个百分点",
        "increase",
    )  # fmt: skip
    assert _targets(_task(pdf, "二.(三)")) == [("村卫生室医疗服务覆盖率", "=", 100.0, "%", None)]
    assert _targets(_task(pdf, "二.(五)")) == [("每年定向培养医学生", ">=", 120.0, "名", None)]
    assert _task(pdf, "二.(一)").targets == []  # 实现县域全覆盖 names no subject of its own


# --- 【牵头单位】X【配合单位】Y【完成时限】Z ---------------------------------------


@pytest.fixture(scope="module")
def keyed() -> ParsedPlan:
    return _parse("keyed_lenticular.txt")


def test_keyed_tree(keyed):
    assert (keyed.title, keyed.document_number, keyed.year) == (
        "云岭市2024年深化医药卫生体制改革重点任务清单", "云医改办〔2024〕3号", 2024,
    )  # fmt: skip
    assert [t.path for t in keyed.tasks] == ["(一)", "(二)", "(三)", "(四)", "(五)"]
    assert [len(t.children) for t in keyed.tasks] == [3, 3, 3, 3, 3]
    assert [t.line for t in keyed.tasks[1].children] == [19, 20, 24]
    assert keyed.warnings == []
    assert not any("【" in t.text or "单位" in t.text for t in keyed.walk())
    assert _unaccounted(keyed, "keyed_lenticular.txt", 9, 38) == []


def test_keyed_units_and_deadlines(keyed):
    first = _task(keyed, "(一).1")
    assert _units(first) == (["市卫生健康委"], ["市财政局", "市医保局"], [])
    assert (first.due, first.due_text) == (datetime.date(2024, 12, 31), "2024年12月")
    flagged = _task(keyed, "(一).2")  # 【责任单位】A（牵头）、B、C on a line of its own
    assert _units(flagged) == (["市人力资源社会保障局"], ["市财政局", "市卫生健康委"], [])
    assert flagged.due == datetime.date(2024, 10, 31)
    assert _units(_task(keyed, "(一).3")) == (["市卫生健康委"], ["各区（县）人民政府"], [])
    lines = _task(keyed, "(二).5")
    assert _units(lines) == (["市医保局"], ["市公安局", "市卫生健康委", "市市场监管局"], [])
    assert (lines.due, lines.due_text) == (None, "持续推进")
    assert _units(_task(keyed, "(三).7")) == (
        [], [], ["市医保局", "市卫生健康委", "各区（县）人民政府"],
    )  # fmt: skip
    assert _task(keyed, "(三).8").due_text == ""
    assert _units(_task(keyed, "(四).12")) == (["市卫生健康委", "市疾控局"], [], [])
    assert (_task(keyed, "(五).15").due, _task(keyed, "(五).15").due_text) == (None, "每季度末")


def test_keyed_targets(keyed):
    found = {t.path: _targets(t) for t in keyed.walk() if t.targets}
    assert found == {
        "(一).1": [("三级公立医院平均住院日", "<=", 7.5, "天", None)],
        "(二).4": [
            ("DRG付费医疗机构覆盖率", ">=", 90.0, "%", None),
            ("病种覆盖率", ">=", 95.0, "%", None),
        ],
        "(二).5": [("追回违规使用医保基金", ">=", 3000.0, "万元", None)],
        "(二).6": [("中选药品采购量占比", ">=", 70.0, "%", None)],
        "(三).7": [("执行率", "=", 100.0, "%", None)],
        "(三).9": [("二级以上公立医院门诊患者基本药物处方占比", "=", 2.0, "个百分点", None)],
        "(四).11": [("人均基本公共卫生服务经费补助标准", "=", 94.0, "元", None)],
        "(五).14": [("全年在市级以上媒体刊发医改宣传稿件", ">=", 20.0, "篇", None)],
    }
    assert _task(keyed, "(三).9").targets[0].change == "increase"  # 较上年提高
