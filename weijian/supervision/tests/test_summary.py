"""The annual summary per item: its counts, its scope, a constant number of queries, and its
audited Excel export."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from weijian.conftest import make_user
from weijian.core.models import AuditEvent
from weijian.supervision.models import (
    CheckOutcome,
    CheckResult,
    InspectionResult,
    RectificationStatus,
)
from weijian.supervision.summary import annual_summary
from weijian.supervision.tests.factories import make_institution
from weijian.supervision.tests.inspection_factories import (
    Scene,
    build_scene,
    finish,
    make_draw,
    make_inspection,
    make_plan,
)

URL = "supervision:annual_summary"


@pytest.fixture
def scene(world) -> Scene:
    """Four inspections: one published on time, one published late, one overdue and ordered to
    rectify (and rectified), one still pending."""
    scene = build_scene(world, institutions=4)
    today = timezone.localdate()
    on_time, late, unpublished, _pending = scene.inspections
    finish(on_time, published=True, due=today)
    finish(late, published=True, due=today - datetime.timedelta(days=3))
    finish(unpublished, result=InspectionResult.RECTIFY, due=today - datetime.timedelta(days=1))
    unpublished.rectification_status = RectificationStatus.DONE
    unpublished.save()
    bad = CheckResult.objects.filter(inspection=unpublished)[0]
    bad.outcome = CheckOutcome.NONCONFORMS
    bad.save()
    return scene


def counts(summary) -> dict[str, int]:
    assert len(summary.rows) == 1
    return summary.rows[0].counts


def test_the_counts(scene, world):
    summary = annual_summary(user=world.staff, year=scene.plan.year, today=timezone.localdate())
    row = counts(summary)
    assert row["plans"] == 1 and row["drawn"] == 4 and row["inspected"] == 3
    assert row["result_no_problem"] == 2 and row["result_rectify"] == 1
    assert row["nonconforming"] == 1 and row["rectified"] == 1
    assert row["on_time"] == 1 and row["late"] == 1 and row["overdue"] == 1
    assert summary.total.counts["drawn"] == 4
    assert summary.rows[0].item == str(scene.item)


def test_the_summary_is_scoped(scene, world):
    county_staff = make_user("county_staff", world.county, "科室人员")
    county_plan = make_plan(world.county, scene.item, title="莲花县抽查")
    draw = make_draw(county_plan)
    make_inspection(county_plan, draw, make_institution(world.county, "县属诊所"), scene.members)
    year = scene.plan.year
    mine = annual_summary(user=county_staff, year=year, today=timezone.localdate())
    assert counts(mine)["plans"] == 1 and counts(mine)["drawn"] == 1
    everything = annual_summary(user=world.staff, year=year, today=timezone.localdate())
    assert counts(everything)["plans"] == 2 and counts(everything)["drawn"] == 5
    assert annual_summary(user=world.outsider, year=year, today=timezone.localdate()).rows == []


def test_a_redrawn_plan_counts_only_its_current_draw(scene, world):
    scene.draw.is_current = False
    scene.draw.save()
    year = scene.plan.year
    summary = annual_summary(user=world.staff, year=year, today=timezone.localdate())
    assert counts(summary)["plans"] == 1 and counts(summary).get("drawn", 0) == 0


def test_the_page_runs_a_constant_number_of_queries(
    login_as, scene, world, django_assert_max_num_queries
):
    client = login_as(world.staff)
    url = reverse(URL)
    with django_assert_max_num_queries(20) as small:
        response = client.get(url)
    assert str(scene.item) in response.content.decode()
    for n in range(10):
        plan = make_plan(world.commission, scene.item, title=f"计划{n}")
        draw = make_draw(plan)
        make_inspection(plan, draw, make_institution(world.county, f"诊所{n}"), scene.members)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_export_is_audited(login_as, scene, world):
    response = login_as(world.leader).get(reverse("supervision:annual_summary_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "抽查事项" and "逾期未公示" in rows[0]
    assert rows[1][0] == str(scene.item) and rows[-1][0] == "合计"
    assert AuditEvent.objects.filter(action="data.export", actor=world.leader).count() == 1


def test_access(client, login_as, scene, world):
    assert client.get(reverse(URL)).status_code == 302
    assert client.get(reverse("supervision:annual_summary_export")).status_code == 302
    assert login_as(world.inspector).get(reverse(URL)).status_code == 403
    assert login_as(world.county_reporter).get(reverse(URL)).status_code == 403
    html = login_as(world.outsider).get(reverse(URL)).content.decode()
    assert str(scene.item) not in html and "没有抽查计划" in html
    other_year = login_as(world.staff).get(reverse(URL), {"year": scene.plan.year - 1})
    assert "没有抽查计划" in other_year.content.decode()
