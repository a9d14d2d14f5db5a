"""The 任务分工表 export: the workbook, the download view, and the round trip export → import."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from weijian.core.models import AuditEvent
from weijian.plans.exports import HEADER, plan_workbook
from weijian.plans.importers import parse_plan
from weijian.plans.importers.sheet import parse_sheet
from weijian.plans.models import Plan, Task
from weijian.plans.services import plan_import_apply

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"

# An invented plan: keyed units with partners and responsible units, targets with ranges and
# comparators, deadlines in brackets and in keyed phrases, an unnumbered item, circled numbers.
INVENTED = """临江市卫生健康委员会关于印发临江市基层卫生能力提升三年行动分工方案的通知
临卫发〔2021〕12号
各县（区）卫生健康委：
现将《临江市基层卫生能力提升三年行动分工方案》印发给你们，请认真贯彻执行。
临江市卫生健康委员会
2021年3月1日
临江市基层卫生能力提升三年行动分工方案
一、总体目标
到2023年，每千常住人口执业（助理）医师数达到3.5人以上，基层诊疗量占比提高到65%以上。
二、重点任务
（一）加强基层队伍建设
1.扩大全科医生队伍。每万名居民拥有全科医生数达到3-4名，乡村医生中执业（助理）医师比例不低于45%。（2022年底前完成）（牵头单位：市卫健委；配合单位：市人社局、市财政局）
2.完善薪酬制度。落实“两个允许”要求，基层医务人员收入增长10%左右。完成时限：2021年6月底前（责任单位：市人社局、市财政局、各县（区）人民政府）
（二）提升服务能力
3.推进标准化建设。
①乡镇卫生院达到服务能力标准的比例达到80%（市卫健委牵头，市发改委配合）。
②村卫生室标准化建设覆盖率达到100%（长期坚持）（市卫健委负责）。
4.控制费用增长。次均门诊费用增幅控制在5%以内（2023年12月31日前）（牵头单位：市医保局；配合单位：市卫健委）。
"""


def _seed(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip(f"seed {prefix} not found under {SEEDS}")
    return found[0]


def _import(parsed: dict[str, Any], owner: Any) -> Plan:
    return plan_import_apply(parsed=parsed, owner=owner, actor=None, source="test")


def tree_of(plan: Plan) -> list[tuple[Any, ...]]:
    """Everything the round trip must keep, task by task in order."""
    tasks = (
        Task.objects.filter(plan=plan)
        .select_related("parent")
        .prefetch_related("assignments", "targets__indicator")
        .order_by("order")
    )
    return [
        (
            task.parent.path if task.parent else None,
            task.label,
            task.path,
            task.title,
            task.text,
            task.due_on,
            task.due_text,
            [(a.role, a.raw_name) for a in sorted(task.assignments.all(), key=lambda a: a.pk)],
            [
                (t.indicator.name, t.comparator, t.value, t.value_max, t.unit, t.year)
                for t in sorted(task.targets.all(), key=lambda t: t.pk)
            ],
        )
        for task in tasks
    ]


def round_trip(parsed: dict[str, Any], owner: Any) -> tuple[Plan, Plan, bytes]:
    first = _import(parsed, owner)
    data = plan_workbook(first)
    again = parse_sheet(data).to_json()
    second = _import(again, owner)
    return first, second, data


def _hand_made() -> dict[str, Any]:
    """A parsed plan written by hand: every field the export must carry, including deadlines
    of every kind and awkward text (a formula-like start, line breaks, circled numbers)."""

    def task(path: str, title: str, children: list[Any] | None = None, **fields: Any) -> Any:
        label = "" if path.endswith("]") else path.rsplit(".", 1)[-1]
        return (
            {"label": label, "path": path, "title": title, "children": children or []}
            | {
                "text": "",
                "lead": [],
                "partners": [],
                "responsible": [],
                "targets": [],
            }
            | fields
        )

    target = {"indicator": "孕产妇死亡率", "comparator": "<=", "value": 12.5, "unit": "/10万"}
    return {
        "plan": {"title": "手工方案", "document_number": "临卫发〔2020〕7号", "year": 2020},
        "tasks": [
            task(
                "一",
                "保障措施",
                [
                    task(
                        "一.1",
                        "",
                        text="=SUM(A1)不是公式\n第二行③",
                        lead=["市卫健委"],
                        partners=["各县（市、区）人民政府", "市财政局"],
                        due="2020-12-31",
                        due_text="年内",
                        targets=[
                            target | {"year": 2022},
                            {
                                "indicator": "床位数",
                                "comparator": "~",
                                "value": 6.0,
                                "value_max": 7.25,
                                "unit": "张",
                                "year": None,
                            },
                            {
                                "indicator": "覆盖率",
                                "comparator": ">=",
                                "value": 100,
                                "unit": "%",
                                "year": 2025,
                            },
                            {
                                "indicator": "增幅",
                                "comparator": "=",
                                "value": -3,
                                "unit": "个百分点",
                                "year": 2021,
                            },
                        ],
                    ),
                    task("一.[2]", "无编号任务", responsible=["市医保局"], due_text="长期坚持"),
                    task("一.(1)", "混排", due="2021-06-30", due_text="2021年6月底前"),
                    task("一.[4]", "重复的编号", label="(1)", responsible=["市医保局"]),
                ],
            ),
            task("二", "只有日期", lead=["-市场监管局"], due="2022-09-30"),
        ],
        "units": [],
        "warnings": [],
    }


# --- the round trip ---------------------------------------------------------------------------


def test_round_trip_of_seed_002(world):
    parsed = parse_plan(_seed("002").read_text(encoding="utf-8")).to_json()
    first, second, _ = round_trip(parsed, world.commission)
    assert len(tree_of(first)) > 40
    assert tree_of(second) == tree_of(first)
    assert (second.title, second.start_year) == (first.title, first.start_year)
    assert second.document == first.document


DOCUMENTS = sorted((Path(__file__).parent / "documents").glob("*.txt"))


@pytest.mark.parametrize(
    "path",
    [*(sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []), *DOCUMENTS],
    ids=lambda path: path.name,
)
def test_round_trip_of_every_seed_and_test_document(world, path):
    parsed = parse_plan(path.read_text(encoding="utf-8")).to_json()
    first, second, _ = round_trip(parsed, world.commission)
    assert tree_of(second) == tree_of(first)


def test_round_trip_of_an_invented_document(world):
    parsed = parse_plan(INVENTED).to_json()
    first, second, _ = round_trip(parsed, world.commission)
    tree = tree_of(first)
    assert any(task[7] and "partner" in {role for role, _ in task[7]} for task in tree)
    assert any("responsible" in {role for role, _ in task[7]} for task in tree)
    assert any(target[3] is not None for task in tree for target in task[8])
    assert any(task[5] for task in tree) and any(task[6] == "长期坚持" for task in tree)
    assert tree_of(second) == tree
    assert second.start_year == first.start_year == 2021


def test_round_trip_keeps_deadlines_and_awkward_text(world):
    first, second, data = round_trip(_hand_made(), world.commission)
    tree = tree_of(first)
    assert [t[5] for t in tree] == [
        None,
        datetime.date(2020, 12, 31),
        None,
        datetime.date(2021, 6, 30),
        None,
        datetime.date(2022, 9, 30),
    ]
    assert [t[6] for t in tree] == ["", "年内", "长期坚持", "2021年6月底前", "", ""]
    assert [t[1:3] for t in tree][4] == ("(1)", "一.[4]")
    assert tree_of(second) == tree
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A8"].value == "一.[4](1)"
    assert sheet["G9"].value.date() == datetime.date(2022, 9, 30)  # a date without words
    assert sheet["C5"].value == "'=SUM(A1)不是公式\n第二行③"  # guarded against formulas


# --- the file ---------------------------------------------------------------------------------


def test_workbook_has_the_standard_columns_and_one_row_per_task(world):
    parsed = parse_plan(_seed("002").read_text(encoding="utf-8")).to_json()
    plan = _import(parsed, world.commission)
    sheet = load_workbook(io.BytesIO(plan_workbook(plan))).active
    assert sheet["A1"].value == plan.title
    assert "A1:H1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "文号：萍府办发〔2019〕36号　年份：2019年"
    assert [c.value for c in sheet[3]] == HEADER
    assert sheet.freeze_panes == "A4"
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert len(rows) == Task.objects.filter(plan=plan).count()
    number, title, text, lead, partners, responsible, due, targets = rows["三.(一).1"]
    task = Task.objects.get(plan=plan, path="三.(一).1")
    assert (title, text) == (task.title, task.text) == ("加强党的全面领导", task.text)
    names = "、".join(task.assignments.order_by("pk").values_list("raw_name", flat=True))
    assert names and (lead or partners or responsible) == names
    assert rows["四.22"][5].startswith("各县〔区〕人民政府、萍乡经济技术开发区管委会")
    assert sheet.column_dimensions["C"].width == 60


def test_targets_are_written_one_per_line(world):
    plan = _import(_hand_made(), world.commission)
    sheet = load_workbook(io.BytesIO(plan_workbook(plan))).active
    assert sheet["H5"].value.split("\n") == [
        "孕产妇死亡率≤12.5/10万（2022年）",
        "床位数≈6～7.25张",
        "覆盖率≥100%（2025年）",
        "增幅=-3个百分点（2021年）",
    ]
    assert sheet["A6"].value == "一.[2]"
    assert sheet["D9"].value == "'-市场监管局"


def test_export_runs_a_constant_number_of_queries(world):
    small = _import(_hand_made(), world.commission)
    parsed = parse_plan(_seed("002").read_text(encoding="utf-8")).to_json()
    large = _import(parsed, world.commission)
    counts = []
    for plan in (small, large):
        plan = Plan.objects.select_related("document", "owner").get(pk=plan.pk)
        with CaptureQueriesContext(connection) as queries:
            plan_workbook(plan)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3


# --- the view ---------------------------------------------------------------------------------


def test_download_is_an_audited_attachment(world, login_as):
    plan = _import(_hand_made(), world.county)
    response = login_as(world.county_reporter).get(reverse("plans:plan_export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('手工方案-任务分工表-')}" in disposition
    parsed = parse_sheet(response.content)
    assert [t.path for t in parsed.walk()] == ["一", "一.1", "一.[2]", "一.(1)", "一.[4]", "二"]
    event = AuditEvent.objects.get(action="data.export")
    assert (event.actor, event.organization, event.object_id) == (
        world.county_reporter,
        world.county,
        str(plan.pk),
    )
    assert event.summary["what"] == "任务分工表：手工方案"


def test_the_view_runs_a_constant_number_of_queries(world, login_as):
    small = _import(_hand_made(), world.commission)
    parsed = parse_plan(_seed("002").read_text(encoding="utf-8")).to_json()
    large = _import(parsed, world.commission)
    client = login_as(world.leader)
    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("plans:plan_export", args=[plan.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_outsider_gets_404_and_anonymous_is_sent_to_log_in(world, client, login_as):
    plan = _import(_hand_made(), world.county)
    url = reverse("plans:plan_export", args=[plan.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert login_as(world.outsider).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="data.export").exists()


def test_post_is_refused(world, login_as):
    plan = _import(_hand_made(), world.county)
    url = reverse("plans:plan_export", args=[plan.pk])
    assert login_as(world.county_reporter).post(url).status_code == 405


def test_plan_page_links_to_the_export(world, login_as):
    plan = _import(_hand_made(), world.county)
    page = login_as(world.county_reporter).get(reverse("plans:plan_detail", args=[plan.pk]))
    assert reverse("plans:plan_export", args=[plan.pk]) in page.content.decode()
