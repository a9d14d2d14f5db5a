"""Expected reports and the status figures on a scenario counted by hand.

The plan (owner: the commission) has two tasks. T1 is led by the county with the hospital as
partner and has a target "≥ 90 %"; T2 is led by the hospital, with 莲花县中医院 (opened on 15
June 2024) responsible. A monthly cycle is due on the 31st, clamped to the month's end.

By hand:
- February 2024 (due Thursday 29 February): county T1 and hospital T2 are expected (the 中医院 is
  not open yet, partners do not report). The county submits on the 29th at noon (on time), the
  hospital on 1 March at 08:00 (late: submitted, not on time).
- May 2024 (due 31 May, a 31-day month): the county submits at 23:59:59 on the 31st (on time)
  reporting 92 against the 90 % target (met); the hospital submits at 00:00:01 on 1 June (late).
- June 2024 (due 30 June): the 中医院 is now expected too (3 rows). The county's report is
  returned (still counted as submitted and on time); the hospital reports nothing (missing); the
  中医院 submits on time.
"""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from weijian.conftest import make_org
from weijian.orgs.models import OrganizationKind
from weijian.plans.models import Plan, Target
from weijian.plans.services import plan_import_apply
from weijian.reporting.models import ProgressReport, ReportingCycle, ReportStatus, TargetValue
from weijian.reporting.periods import SHANGHAI, Period
from weijian.reporting.services.expected import open_period
from weijian.reporting.status import period_figures, region_figures, task_figures, unit_status

COUNTY = "莲花县卫生健康委员会"
HOSPITAL = "莲花县人民医院"
NEW = "莲花县中医院"


def _task(path: str, title: str, **units: list[str]) -> dict:
    return {
        "label": path,
        "path": path,
        "title": title,
        "text": "",
        "targets": [],
        "children": [],
        "lead": [],
        "partners": [],
        "responsible": [],
        **units,
    }


@pytest.fixture
def scenario(world):
    make_org(
        NEW, world.county, OrganizationKind.HOSPITAL, "360321", opened_on=datetime.date(2024, 6, 15)
    )
    t1 = _task("1", "提高规范管理率", lead=[COUNTY], partners=[HOSPITAL])
    t1["targets"] = [
        {
            "indicator": "高血压患者规范管理率",
            "comparator": ">=",
            "value": 90,
            "unit": "%",
            "year": 2024,
        }
    ]
    t2 = _task("2", "开展巡诊", lead=[HOSPITAL], responsible=[NEW])
    parsed = {
        "plan": {"title": "慢病防控方案", "document_number": None, "year": 2024},
        "tasks": [t1, t2],
        "units": [],
        "warnings": [],
    }
    plan = plan_import_apply(parsed=parsed, owner=world.commission, actor=None, source="测试")
    cycle = ReportingCycle.objects.create(
        plan=plan, name="月度填报", due_day=31, starts_on=datetime.date(2024, 1, 1)
    )
    return plan, cycle


def _at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def _submit(cycle, unit: str, key: str, at: datetime.datetime, status=ReportStatus.SUBMITTED):
    """What submitting does to the rows (the submission service is tested on its own)."""
    for report in ProgressReport.objects.filter(cycle=cycle, period=key, organization__name=unit):
        report.status = status
        report.submitted_at = report.first_submitted_at = at
        report.on_time = at <= report.due_at
        report.save()


def _figures(cycle, key: str) -> dict[str, tuple]:
    return {
        u.unit: (u.expected, u.submitted, u.on_time, u.accepted, u.completeness, u.timeliness)
        for u in unit_status(cycle, key)
    }


def test_only_units_open_and_assigned_are_expected(scenario):
    _, cycle = scenario
    february = open_period(cycle, Period.parse("2024-02"))
    assert (february.created, february.expected) == (2, 2)
    june = open_period(cycle, Period.parse("2024-06"))
    assert june.created == 3
    rows = ProgressReport.objects.filter(cycle=cycle, period="2024-06")
    assert set(rows.values_list("organization__name", "task__path")) == {
        (COUNTY, "1"),
        (HOSPITAL, "2"),
        (NEW, "2"),
    }
    assert open_period(cycle, Period.parse("2024-06")).created == 0  # idempotent


def test_partners_report_when_the_cycle_says_so(scenario):
    _, cycle = scenario
    cycle.include_partners = True
    cycle.save()
    open_period(cycle, Period.parse("2024-05"))
    assert ProgressReport.objects.filter(cycle=cycle, period="2024-05").count() == 3


def test_a_closed_unit_is_expected_only_while_open(scenario, world):
    _, cycle = scenario
    world.hospital.closed_on = datetime.date(2024, 4, 10)
    world.hospital.save()
    open_period(cycle, Period.parse("2024-04"))
    open_period(cycle, Period.parse("2024-05"))
    assert ProgressReport.objects.filter(period="2024-04", organization=world.hospital).exists()
    assert not ProgressReport.objects.filter(period="2024-05", organization=world.hospital).exists()


def test_february_and_a_31_day_month_count_as_by_hand(scenario):
    _, cycle = scenario
    open_period(cycle, Period.parse("2024-02"))
    _submit(cycle, COUNTY, "2024-02", _at(2024, 2, 29, 12, 0))
    _submit(cycle, HOSPITAL, "2024-02", _at(2024, 3, 1, 8, 0))
    assert _figures(cycle, "2024-02") == {
        COUNTY: (1, 1, 1, 0, 1.0, 1.0),
        HOSPITAL: (1, 1, 0, 0, 1.0, 0.0),
    }
    open_period(cycle, Period.parse("2024-05"))
    _submit(cycle, COUNTY, "2024-05", _at(2024, 5, 31, 23, 59, 59))
    _submit(cycle, HOSPITAL, "2024-05", _at(2024, 6, 1, 0, 0, 1))
    county_report = ProgressReport.objects.get(period="2024-05", organization__name=COUNTY)
    TargetValue.objects.create(report=county_report, target=Target.objects.get(), value=92)
    may = {u.unit: u for u in unit_status(cycle, "2024-05")}
    assert (may[COUNTY].on_time, may[HOSPITAL].on_time, may[HOSPITAL].submitted) == (1, 0, 1)
    assert may[COUNTY].achievement == 1.0 and may[HOSPITAL].achievement is None
    # county: 0.4·1 + 0.3·1 + 0.3·1 = 1; hospital, without targets: (0.3·1 + 0.3·0) / 0.6
    assert may[COUNTY].score == 1.0 and may[HOSPITAL].score == pytest.approx(0.5)
    assert (may[COUNTY].rank, may[HOSPITAL].rank) == (1, 2)


def test_returned_missing_and_a_unit_opened_mid_year(scenario):
    _, cycle = scenario
    open_period(cycle, Period.parse("2024-06"))
    _submit(cycle, COUNTY, "2024-06", _at(2024, 6, 20, 9, 0), status=ReportStatus.RETURNED)
    _submit(cycle, NEW, "2024-06", _at(2024, 6, 30, 18, 0), status=ReportStatus.ACCEPTED)
    assert _figures(cycle, "2024-06") == {
        COUNTY: (1, 1, 1, 0, 1.0, 1.0),
        HOSPITAL: (1, 0, 0, 0, 0.0, 0.0),
        NEW: (1, 1, 1, 1, 1.0, 1.0),
    }
    ranks = {u.unit: u.rank for u in unit_status(cycle, "2024-06")}
    assert ranks == {COUNTY: 1, NEW: 1, HOSPITAL: 3}  # a tie shares its rank


def test_reporting_status_prints_the_json_the_issue_names(scenario):
    plan, cycle = scenario
    open_period(cycle, Period.parse("2024-05"))
    _submit(cycle, HOSPITAL, "2024-05", _at(2024, 6, 1, 0, 0, 1))
    out = io.StringIO()
    call_command("reporting_status", "--plan", plan.pk, "--period", "2024-05", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["plan"], result["period"]) == (plan.pk, "2024-05")
    by_unit = {row["unit"]: row for row in result["units"]}
    assert set(by_unit) == {COUNTY, HOSPITAL}
    keys = {
        "unit",
        "expected",
        "submitted",
        "on_time",
        "accepted",
        "completeness",
        "timeliness",
        "achievement",
        "score",
        "rank",
    }
    assert all(keys <= set(row) for row in result["units"])
    assert by_unit[HOSPITAL]["submitted"] == 1 and by_unit[HOSPITAL]["on_time"] == 0
    assert by_unit[HOSPITAL]["completeness"] == 1.0 and by_unit[HOSPITAL]["timeliness"] == 0.0
    assert by_unit[COUNTY]["submitted"] == 0 and by_unit[COUNTY]["rank"] == 2
    table = io.StringIO()
    call_command("reporting_status", "--plan", plan.pk, "--period", "2024-05", stdout=table)
    assert "2024年5月（截止 2024年5月31日）" in table.getvalue()


def test_reporting_status_explains_bad_arguments(scenario):
    plan, _ = scenario
    with pytest.raises(CommandError, match="无法识别的填报期间"):
        call_command("reporting_status", "--plan", plan.pk, "--period", "2024-5")
    with pytest.raises(CommandError, match="没有季度填报周期"):
        call_command("reporting_status", "--plan", plan.pk, "--period", "2024-Q2")
    with pytest.raises(CommandError, match="方案不存在"):
        call_command("reporting_status", "--plan", Plan.objects.count() + 99, "--period", "2024-05")


def test_figures_by_task_and_by_region(scenario):
    plan, cycle = scenario
    open_period(cycle, Period.parse("2024-06"))
    _submit(cycle, COUNTY, "2024-06", _at(2024, 6, 20, 9, 0))
    _submit(cycle, NEW, "2024-06", _at(2024, 7, 2, 9, 0))
    tasks = {row.key: row for row in task_figures(cycle, "2024-06")}
    assert (tasks["1"].expected, tasks["1"].submitted, tasks["1"].on_time) == (1, 1, 1)
    # T2: the hospital (missing) and the 中医院 (late)
    assert (tasks["2"].expected, tasks["2"].submitted, tasks["2"].on_time) == (2, 1, 0)
    assert tasks["2"].completeness == 0.5 and tasks["2"].timeliness == 0.0
    regions = {row.key: row for row in region_figures(cycle, "2024-06")}
    assert set(regions) == {"360321"} and regions["360321"].expected == 3
    assert [p.key for p in period_figures(cycle)] == ["2024-06"]
    out = io.StringIO()
    call_command(
        "reporting_status",
        "--plan",
        plan.pk,
        "--period",
        "2024-06",
        "--by",
        "task",
        "--json",
        stdout=out,
    )
    by_task = json.loads(out.getvalue())["tasks"]
    assert [(row["key"], row["submitted"]) for row in by_task] == [("1", 1), ("2", 1)]
