"""The plan parser on the shared seeds; every expected number was counted by reading them.

Seed 002 (萍乡, 萍府办发〔2019〕36号): 一、…四、 sections, (一)…(三) under 三、, measures 1-25
numbered straight through (21-25 sit under 四、), sub-items (1)… under 8, 9, 10 and 13; every
measure ends with (责任单位:…). Three attachments follow and are not tasks.

Seed 004: a district's final accounts, then 盐城's notice with the "健康盐城2030" task division
pasted as ONE line (line 76): 14 sections, 49 (一)-level items, 39 numbered items, 71 markers
"(X牵头,Y…等部门参与)" and 2 "(X负责)". Damaged: 一.(一).2 has no task text; in 七.(一) the text
after item 1 lost its number and its marker reads "牵头,等部门参与" (no lead, no partners); an
HTML fragment ate the year of the birth-defect target in 五.(一).2.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from weijian.plans.importers import ParsedPlan, parse_plan

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


def _seed(prefix: str) -> ParsedPlan:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip(f"seed {prefix} not found under {SEEDS} (the shared seeds are not checked out)")
    return parse_plan(found[0].read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pingxiang() -> ParsedPlan:
    return _seed("002")


@pytest.fixture(scope="module")
def yancheng() -> ParsedPlan:
    return _seed("004")


def _task(plan: ParsedPlan, path: str):
    return next(task for task in plan.walk() if task.path == path)


# --- 002 萍乡 ---------------------------------------------------------------------------------


def test_pingxiang_header(pingxiang):
    assert pingxiang.title == "萍乡市改革完善医疗卫生行业综合监管制度实施方案"
    assert pingxiang.document_number == "萍府办发〔2019〕36号"
    assert pingxiang.year == 2019


def test_pingxiang_tree_shape(pingxiang):
    assert [t.label for t in pingxiang.tasks] == ["一", "二", "三", "四"]
    tasks = list(pingxiang.walk())
    assert len(tasks) == 45  # 4 sections + 3 (一)-items + 25 measures + 13 sub-items
    measures = [t for t in tasks if t.style == "num"]
    assert [int(t.label) for t in measures] == list(range(1, 26))
    assert [c.path for c in _task(pingxiang, "三.(二).8").children] == [
        "三.(二).8.(1)", "三.(二).8.(2)", "三.(二).8.(3)", "三.(二).8.(4)",
    ]  # fmt: skip
    assert [c.label for c in _task(pingxiang, "四").children] == ["21", "22", "23", "24", "25"]
    assert _task(pingxiang, "三.(一).1").title == "加强党的全面领导"
    assert _task(pingxiang, "三.(一).1").line == 33
    assert _task(pingxiang, "三.(二).9.(3)").line == 65


def test_pingxiang_attachments_are_not_tasks(pingxiang):
    assert max(t.line for t in pingxiang.walk()) == 113  # measure 25; 附件 start at line 115
    assert pingxiang.attachments == [
        "萍乡市医疗卫生行业综合监管工作领导小组名单",
        "萍乡市医疗卫生行业综合监管联席会议制度",
        "萍乡市医疗卫生行业综合监管部门职责分工",
    ]
    assert pingxiang.to_json()["plan"]["attachments"] == pingxiang.attachments


def test_pingxiang_markers(pingxiang):
    forms = Counter(form for task in pingxiang.walk() for form in task.markers)
    assert forms == {"responsible": 34}
    assert not any(t.lead or t.partners for t in pingxiang.walk())
    assert _task(pingxiang, "三.(一).1").responsible == ["市卫健委"]
    assert len(_task(pingxiang, "三.(一).2").responsible) == 37
    assert _task(pingxiang, "四.22").responsible == [
        "各县〔区〕人民政府", "萍乡经济技术开发区管委会", "武功山风景名胜区管委会",
        "市卫健委", "市财政局", "市发改委", "市人社局",
    ]  # fmt: skip
    assert _task(pingxiang, "四.25").responsible == [
        "市委宣传部", "市委网信办", "市卫健委", "市广播电视台",
    ]  # fmt: skip


def test_pingxiang_units_and_warnings(pingxiang):
    names = [u["name"] for u in pingxiang.to_json()["units"]]
    assert len(names) == 37
    assert "各县〔区〕人民政府" in names and "武警江西省总队萍乡支队" in names
    assert pingxiang.warnings == []
    assert not any(t.targets for t in pingxiang.walk())  # 到2020年 there has no figure


# --- 004 盐城 ---------------------------------------------------------------------------------


def test_yancheng_header_skips_the_final_accounts(yancheng):
    assert yancheng.title == "“健康盐城2030”规划纲要重点任务分工方案"
    assert yancheng.document_number is None
    assert yancheng.year is None
    assert yancheng.tasks[0].title == "全民健康素养提升行动"
    assert yancheng.attachments == []  # the notice's 附件 is the plan itself


def test_yancheng_tree_shape(yancheng):
    tasks = list(yancheng.walk())
    assert Counter(t.style for t in tasks) == {"cn": 14, "pcn": 49, "num": 39, "": 1}
    assert len(tasks) == 103
    assert [t.label for t in yancheng.tasks][-1] == "十四"
    assert [len(t.children) for t in yancheng.tasks] == [4, 3, 4, 3, 4, 3, 3, 2, 7, 3, 2, 3, 4, 4]
    assert [c.label for c in _task(yancheng, "十四.(一)").children] == list("123456")
    assert all(t.line == 76 for t in tasks)


def test_yancheng_markers_and_leads(yancheng):
    forms = Counter(form for task in yancheng.walk() for form in task.markers)
    assert forms == {"lead_partners": 71, "in_charge": 2, "unbracketed": 1}
    leads = Counter(unit for task in yancheng.walk() for unit in task.lead)
    assert len(leads) == 19
    assert leads["市卫计委"] == 38 and leads["市食药监局"] == 5 and leads["市体育局"] == 4
    first = _task(yancheng, "一.(一).1")
    assert first.lead == ["市卫计委"]
    assert len(first.partners) == 13 and first.partners[-1] == "盐城盐务局"
    assert _task(yancheng, "六.(二)").lead == ["市卫计委"]  # (市卫计委负责)
    assert _task(yancheng, "十一.(一)").title == "全面推进卫生创建"
    assert len(yancheng.units) == 46


def test_yancheng_damaged_items_are_kept_with_warnings(yancheng):
    empty = _task(yancheng, "一.(一).2")
    assert (empty.title, empty.text) == ("", "")
    assert empty.lead == ["市教育局"] and len(empty.partners) == 7
    orphan = _task(yancheng, "七.(一).[2]")
    assert orphan.label == "" and orphan.text.startswith("完善基本医保关系转移接续办法")
    assert (orphan.lead, orphan.partners) == ([], [])
    assert [c.path for c in _task(yancheng, "七").children] == ["七.(一)", "七.(二)", "七.(三)"]
    messages = {w.message: w.line for w in yancheng.warnings}
    assert messages.pop("任务“一.(一).2”缺少任务内容") == 76
    assert messages.pop("责任标注“牵头，等部门参与”不完整：牵头单位为空，参与单位为空") == 76
    assert any("七.(一).[2]" in m for m in messages)
    assert any("网页代码" in m for m in messages)
    assert any("目标年份缺失" in m for m in messages)
    assert len(yancheng.warnings) == 5


def _targets(plan: ParsedPlan, path: str) -> list[tuple[str, str, float, str, int | None]]:
    return [(t.indicator, t.comparator, t.value, t.unit, t.year) for t in _task(plan, path).targets]


def test_yancheng_physicians_and_nurses(yancheng):
    assert _targets(yancheng, "四.(一).4") == [
        ("每千常住人口医疗卫生机构床位", "=", 4.0, "张", None),  # before any 到YYYY年
        ("每万常住人口全科医生数", ">=", 3.5, "人", 2020),
        ("每千常住人口执业（助理）医师数", ">=", 2.5, "人", 2020),
        ("每千常住人口注册护士数", ">=", 3.1, "人", 2020),
        ("每千常住人口执业（助理）医师数", ">=", 3.5, "人", 2030),
        ("每千常住人口注册护士数", ">=", 4.3, "人", 2030),
    ]


def test_yancheng_sample_targets(yancheng):
    assert _targets(yancheng, "三.(二)") == [("12岁儿童龋齿率", "<=", 25.0, "%", 2030)]
    assert _targets(yancheng, "三.(一)") == [
        ("流动人口基本公共卫生计生服务率", ">=", 95.0, "%", 2030)
    ]
    assert _targets(yancheng, "十二.(一)") == [
        ("社会资本举办的医疗机构床位数和服务量占比", "~", 25.0, "%", 2020)
    ]
    salt = _task(yancheng, "一.(二).1").targets
    assert [(t.indicator, t.value, t.unit, t.year, t.change) for t in salt] == [
        ("人均每日食盐摄入量", 20.0, "%", 2030, "decrease")
    ]
    mental = _targets(yancheng, "一.(三).2")
    assert [(t[1], t[2], t[3], t[4]) for t in mental] == [
        (">=", 0.5, "人", 2030), (">=", 5.0, "张", 2030), (">=", 85.0, "%", 2030),
    ]  # fmt: skip
    assert _targets(yancheng, "七.(一).1") == [("城乡基本医保参保率", ">=", 98.0, "%", 2020)]
    women = _targets(yancheng, "五.(一).2")
    assert women[-1] == ("新生儿出生缺陷发生率", "<=", 4.0, "‰", None)  # year lost in HTML
    assert _targets(yancheng, "十.(一).1") == [
        ("空气质量达到优良天数的比例", ">=", 79.0, "%", 2020)
    ]


def test_json_shape(yancheng):
    data = yancheng.to_json()
    assert set(data) == {"plan", "tasks", "units", "warnings"}
    assert {"title", "document_number", "year"} <= set(data["plan"])
    task = data["tasks"][3]["children"][0]["children"][3]
    assert {"label", "path", "title", "text", "lead", "partners", "responsible", "targets",
            "children"} <= set(task)  # fmt: skip
    assert task["path"] == "四.(一).4" and task["label"] == "4"
    assert {"indicator", "comparator", "value", "unit", "year"} <= set(task["targets"][1])
    assert (task["due"], task["due_text"]) == (None, "")  # no deadline is written in 004
    assert data["units"][0] == {"name": "市卫计委", "resolved_to": None}
    assert {"line", "message"} == set(data["warnings"][0])
