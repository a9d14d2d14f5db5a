"""The leaders' dashboard: its figures on the hand-counted scenario (dashboard_scenario), the
leader's focus from the registry's 领导分工, access, and a constant number of queries."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.conftest import make_org
from weijian.core.models import AuditEvent
from weijian.core.tests.test_pages import INLINE_SCRIPT, INLINE_STYLE
from weijian.plans.models import Assignment, AssignmentRole
from weijian.reporting import dashboard as figures
from weijian.reporting.models import ProgressReport, TargetValue
from weijian.reporting.models.reports import SUBMITTED_STATES
from weijian.reporting.periods import Period
from weijian.reporting.services import review
from weijian.reporting.status import unit_status
from weijian.reporting.tests.dashboard_scenario import (
    DEPARTMENT,
    PERIODS,
    build,
    make_leader_division,
    submit,
)

MARCH = Period.parse("2024-03")


@pytest.fixture
def scenario(world):
    return build(world)


def url(scenario, **params):
    query = {"cycle": scenario.reporting.cycle.pk, "period": "2024-03", **params}
    return reverse("reporting:dashboard") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def chart(html: str, element_id: str) -> dict:
    """The JSON a chart element carries in its data-chart attribute."""
    match = re.search(rf'id="{element_id}"[^>]*data-chart="([^"]*)"', html)
    assert match, f"no chart {element_id}"
    raw = match.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&#x27;", "'")
    return json.loads(raw.replace("&lt;", "<").replace("&gt;", ">"))


def figure(html: str, name: str) -> int:
    match = re.search(rf'data-figure="{name}">(\d+)<', html)
    assert match, name
    return int(match.group(1))


# --- the aggregate queries --------------------------------------------------------------------


def cycle_reports(scenario):
    return ProgressReport.objects.filter(cycle=scenario.reporting.cycle)


def test_totals_of_march_are_those_counted_by_hand(scenario):
    march = figures.totals(cycle_reports(scenario).filter(period="2024-03"))
    assert (march.expected, march.submitted, march.on_time, march.accepted) == (7, 5, 3, 3)
    assert (march.late, march.missing, march.lagging, march.waiting) == (2, 2, 1, 2)


def test_completion_by_unit_puts_the_least_complete_first(scenario):
    world = scenario.world
    rows = figures.completion_by_unit(cycle_reports(scenario).filter(period="2024-03"))
    assert [(r.unit, r.counts.expected, r.counts.submitted, r.counts.on_time) for r in rows] == [
        ("湘东区卫生健康委员会", 2, 0, 0),
        (world.hospital.name, 2, 2, 0),
        (world.county.name, 3, 3, 3),
    ]
    assert rows[-1].counts.accepted == 3


def test_trend_is_one_row_per_month_up_to_the_chosen_one(scenario):
    points = figures.trend(cycle_reports(scenario), until=MARCH)
    found = [
        (p.period.key, p.counts.expected, p.counts.submitted, p.counts.on_time) for p in points
    ]
    assert found == [
        ("2024-01", 7, 0, 0),
        ("2024-02", 7, 5, 5),
        ("2024-03", 7, 5, 3),
    ]
    earlier = figures.trend(cycle_reports(scenario), until=MARCH.previous())
    assert [p.period.key for p in earlier] == ["2024-01", "2024-02"]


def test_lagging_tasks_are_the_submitted_reports_that_say_so(scenario):
    rows, total = figures.lagging_tasks(cycle_reports(scenario).filter(period="2024-03"))
    assert total == 1
    assert (rows[0].task.path, rows[0].organization, rows[0].shortfall_reason) == (
        "一.2",
        scenario.world.hospital,
        "设备采购延误。",
    )


def test_targets_compare_the_latest_value_of_each_unit(scenario):
    rows = {r.task: r for r in figures.target_rows(cycle_reports(scenario), until=MARCH)}
    doctors, mothers, life = (
        rows["提高医师数量"],
        rows["降低孕产妇死亡率"],
        rows["推进全民健康生活方式"],
    )
    assert (doctors.units, doctors.met, doctors.average) == (1, 1, 4.0)
    assert (mothers.units, mothers.met, mothers.average) == (1, 0, 12.0)
    # The district reported 二 in February only: its February value is its latest.
    assert (life.units, life.met, life.low, life.high) == (3, 2, 70.0, 79.0)
    assert life.average == pytest.approx((79 + 70 + 77) / 3)
    assert doctors.label == "每千人口执业医师数 ≥ 3.5人"
    values = figures.target_values(cycle_reports(scenario), until=MARCH, target_id=life.target_id)
    assert [(v.unit, v.value, v.period, v.met) for v in values] == [
        (scenario.world.county.name, 79.0, "2024-03", True),
        (scenario.world.hospital.name, 70.0, "2024-03", False),
        ("湘东区卫生健康委员会", 77.0, "2024-02", True),
    ]


def test_targets_up_to_february_ignore_march(scenario):
    rows = {r.task: r for r in figures.target_rows(cycle_reports(scenario), until=MARCH.previous())}
    assert set(rows) == {"提高医师数量", "推进全民健康生活方式"}
    assert (rows["提高医师数量"].average, rows["提高医师数量"].met) == (3.0, 0)
    assert (rows["推进全民健康生活方式"].units, rows["推进全民健康生活方式"].met) == (2, 2)


def test_met_values_agree_with_the_status_achievement(scenario):
    """The dashboard's met rule is the one `status.unit_status` counts with."""
    by_unit = {u.organization_id: u for u in unit_status(scenario.reporting.cycle, "2024-03")}
    values = cycle_reports(scenario).filter(period="2024-03")
    for organization_id, unit in by_unit.items():
        mine = values.filter(organization_id=organization_id, status__in=SUBMITTED_STATES)
        met = TargetValue.objects.filter(report__in=mine).annotate(met=figures.met_case())
        assert sum(v.met for v in met) == unit.targets_met


# --- the page ---------------------------------------------------------------------------------


def test_staff_see_every_unit_of_their_tree(scenario, login_as):
    response = login_as(scenario.world.staff).get(url(scenario))
    assert response.status_code == 200
    html = response.content.decode()
    shown = [figure(html, n) for n in ("expected", "submitted", "accepted", "missing", "lagging")]
    assert shown == [7, 5, 3, 2, 1]
    completion = chart(html, "chart-completion")
    assert completion["categories"] == [
        "湘东区卫生健康委员会",
        "莲花县人民医院",
        "莲花县卫生健康委员会",
    ]
    series = {s["name"]: s["data"] for s in completion["series"]}
    assert series == {
        "已通过": [0.0, 0.0, 100.0],
        "已报送待审核": [0.0, 100.0, 0.0],
        "未报送": [100.0, 0.0, 0.0],
    }
    trend = chart(html, "chart-trend")
    assert trend["categories"] == ["2024年1月", "2024年2月", "2024年3月"]
    lines = {s["name"]: s["data"] for s in trend["series"]}
    assert lines["报送率"] == [0.0, 71.4, 71.4] and lines["及时率"] == [0.0, 71.4, 42.9]
    assert lines["验收通过率"] == [0.0, 0.0, 42.9]
    assert "设备采购延误。" in html
    drill = f"{reverse('reporting:self_assessment')}?unit={scenario.district.pk}&amp;cycle="
    assert drill in html  # each unit leads to its self-assessment
    assert 'id="dashboard-focus"' not in html  # 科室人员 have no division of work to follow
    assert not INLINE_SCRIPT.search(html) and not INLINE_STYLE.search(html)
    assert "vendor/echarts/echarts.min.js" in html and "js/reporting-charts.js" in html


def test_the_target_chart_draws_the_chosen_target_with_its_line(scenario, login_as):
    life = scenario.reporting.target("二")
    html = login_as(scenario.world.staff).get(url(scenario, target=life.pk)).content.decode()
    target = chart(html, "chart-target")
    assert target["title"] == "人均预期寿命 ≈ 78岁" and target["lines"] == [78.0]
    assert target["values"] == [79.0, 70.0, 77.0] and target["met"] == [True, False, True]
    first = login_as(scenario.world.staff).get(url(scenario)).content.decode()
    assert chart(first, "chart-target")["title"] == "每千人口执业医师数 ≥ 3.5人"


def test_the_dashboard_moves_when_a_report_is_accepted(scenario, login_as):
    """The county approves the hospital's March report, the commission accepts it."""
    world, cycle = scenario.world, scenario.reporting.cycle
    client = login_as(world.staff)
    before = client.get(url(scenario)).content.decode()
    unit = {"cycle": cycle, "organization": world.hospital, "period": "2024-03"}
    review.approve(actor=scenario.reporting.county_staff, **unit)
    assert figure(client.get(url(scenario)).content.decode(), "accepted") == 3
    review.accept(actor=world.staff, **unit)
    after = client.get(url(scenario)).content.decode()
    assert (figure(before, "accepted"), figure(after, "accepted")) == (3, 5)
    assert chart(after, "chart-trend")["series"][2]["data"][-1] == 71.4


def test_a_leader_sees_the_units_he_liaises_with_until_he_widens_it(scenario, login_as):
    world = scenario.world
    make_leader_division(world, units=[world.county])
    client = login_as(world.leader)
    html = client.get(url(scenario)).content.decode()
    assert "联系单位 莲花县卫生健康委员会" in html and "查看全部" in html
    # The county and the hospital below it; not the other district.
    assert chart(html, "chart-completion")["categories"] == [world.hospital.name, world.county.name]
    assert figure(html, "expected") == 5 and "湘东区" not in html
    wide = client.get(url(scenario, all=1)).content.decode()
    assert figure(wide, "expected") == 7 and "湘东区卫生健康委员会" in wide
    assert "只看分管和联系的单位" in wide


def test_a_leader_sees_the_tasks_his_departments_lead(scenario, login_as):
    world = scenario.world
    make_leader_division(world, departments=[DEPARTMENT])
    html = login_as(world.leader).get(url(scenario)).content.decode()
    assert f"按您的领导分工显示：分管科室（{DEPARTMENT}）牵头的任务。" in html
    # Only 三, which only the district reports: one report, missing.
    assert figure(html, "expected") == 1 and figure(html, "missing") == 1
    assert chart(html, "chart-completion")["categories"] == ["湘东区卫生健康委员会"]


def test_liaison_and_departments_add_up(scenario, login_as):
    world = scenario.world
    make_leader_division(world, units=[world.county], departments=[DEPARTMENT])
    html = login_as(world.leader).get(url(scenario)).content.decode()
    assert f"联系单位 莲花县卫生健康委员会；分管科室（{DEPARTMENT}）牵头的任务。" in html
    assert figure(html, "expected") == 6  # county 3 + hospital 2 + the district's 三


def test_a_leader_not_in_the_registry_sees_everything_and_is_told(scenario, login_as):
    world = scenario.world
    make_leader_division(world, units=[world.county], name="另一位领导")
    html = login_as(world.leader).get(url(scenario)).content.decode()
    assert "没有找到您的分管科室或联系单位" in html
    assert figure(html, "expected") == 7


def test_a_leader_whose_post_ended_is_not_matched(scenario, login_as):
    world = scenario.world
    assignment = make_leader_division(world, units=[world.county])
    assignment.post.end_on = "2024-01-31"
    assignment.post.save()
    html = login_as(world.leader).get(url(scenario)).content.decode()
    assert figure(html, "expected") == 7


def test_an_unknown_cycle_or_period_falls_back_to_the_newest(scenario, login_as):
    client = login_as(scenario.world.staff)
    response = client.get(reverse("reporting:dashboard") + "?cycle=999999&period=1999-01")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="2024-03" selected' in html
    assert figure(html, "expected") == 7


# --- access -----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, scenario):
    response = client.get(url(scenario))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_a_reporter_is_refused(scenario, login_as):
    assert login_as(scenario.reporting.county_reporter).get(url(scenario)).status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", success=False).exists()


def test_an_outsider_sees_nothing_of_the_other_tree(scenario, login_as):
    response = login_as(scenario.world.outsider).get(url(scenario))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="dashboard-empty"' in html
    assert "莲花县" not in html and "健康萍乡行动方案" not in html


def test_county_staff_see_only_their_tree(scenario, login_as):
    html = login_as(scenario.reporting.county_staff).get(url(scenario)).content.decode()
    assert figure(html, "expected") == 5 and "湘东区" not in html


# --- constant queries -------------------------------------------------------------------------


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def grow(scenario, *, districts: int, months: tuple[str, ...]) -> None:
    """More districts responsible for 二 and more months, some of them reported."""
    second = scenario.reporting.task("二")
    units = [
        make_org(f"第{n}区卫生健康委员会", scenario.world.commission) for n in range(districts)
    ]
    for unit in units:
        Assignment.objects.create(
            task=second, role=AssignmentRole.RESPONSIBLE, organization=unit, raw_name=unit.name
        )
    for key in (*PERIODS, *months):
        scenario.reporting.open(key)
    for key in months:
        submit(scenario, scenario.world.county, key, on_time=True, values={"一.1": 4.0, "二": 79})
        for unit in units[:3]:
            submit(scenario, unit, key, on_time=False, values={"二": 75}, lagging="二")


def test_the_page_runs_a_constant_number_of_queries(scenario, login_as):
    world = scenario.world
    make_leader_division(world, units=[world.county], departments=[DEPARTMENT])
    client = login_as(world.leader)
    address = reverse("reporting:dashboard")
    few = _queries(client, address), _queries(client, address + "?all=1")
    grow(scenario, districts=6, months=("2024-04", "2024-05"))
    html = client.get(address + "?all=1").content.decode()
    assert figure(html, "expected") == 13 and 'value="2024-05" selected' in html
    many = _queries(client, address), _queries(client, address + "?all=1")
    assert few == many
