"""Supervision visits: recording a visit to a unit below, its findings, raising a finding to a
committee's next meeting; who may do what; and the pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.accounts.roles import Role
from weijian.conftest import make_user
from weijian.core.models import AuditEvent
from weijian.orgs.models import Committee
from weijian.plans.models import Plan, Task
from weijian.reporting.models import AgendaItem, AgendaSource, SupervisionVisit, VisitFinding
from weijian.reporting.services.visits import (
    finding_add,
    finding_remove,
    finding_update,
    raise_finding,
    visit_create,
    visit_delete,
    visit_update,
)
from weijian.reporting.tests.factories import make_plan

TODAY = datetime.datetime(2024, 6, 10, 9, tzinfo=datetime.UTC)
VISITED = datetime.date(2024, 6, 5)

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def plan(world):
    return make_plan(world)


@pytest.fixture
def committee(world):
    return Committee.objects.create(host=world.commission, name="健康萍乡领导小组", kind="领导小组")


def new_visit(world, plan=None, **fields) -> SupervisionVisit:
    values = {
        "organization": world.county,
        "visited_on": VISITED,
        "purpose": "健康萍乡行动推进情况",
        "team": "张明（组长）、李华",
        "summary": "总体推进有序。",
        "plan": plan,
    }
    values.update(fields)
    return visit_create(actor=world.staff, **values)


# --- visits -----------------------------------------------------------------------------------


def test_a_visit_is_made_by_the_users_organization_to_a_unit_below(world, plan):
    visit = new_visit(world, plan)
    assert (visit.by, visit.organization, visit.plan) == (world.commission, world.county, plan)
    event = AuditEvent.objects.get(action="reporting.visit_create")
    assert event.actor == world.staff and event.organization == world.commission
    assert event.summary["unit_id"] == world.county.pk
    assert event.summary["organization"] == world.county.name
    assert event.summary["purpose"] == "健康萍乡行动推进情况"


def test_a_visit_needs_a_unit_below_a_purpose_and_a_past_date(world):
    cases = [
        ({"organization": None}, "organization", "请选择被督导单位"),
        ({"organization": world.commission}, "organization", "被督导单位应为本单位的下级单位"),
        ({"purpose": " "}, "purpose", "请填写督导事项"),
        ({"visited_on": None}, "visited_on", "请填写督导日期"),
        (
            {"visited_on": datetime.date(2024, 6, 11)},
            "visited_on",
            "督导日期不能晚于今天（请在督导后录入）",
        ),
    ]
    for fields, field, message in cases:
        with pytest.raises(ValidationError) as error:
            new_visit(world, **fields)
        assert error.value.message_dict == {field: [message]}
    assert not SupervisionVisit.objects.exists()


def test_only_staff_and_leaders_above_the_unit_record_visits(world):
    with pytest.raises(PermissionDenied):
        new_visit(world, organization=world.elsewhere)
    for user in (world.county_reporter, world.inspector):
        with pytest.raises(PermissionDenied):
            visit_create(
                actor=user, organization=world.hospital, visited_on=VISITED, purpose="检查"
            )
    leader_visit = visit_create(
        actor=world.leader, organization=world.hospital, visited_on=VISITED, purpose="检查"
    )
    assert leader_visit.by == world.commission


def test_a_plan_outside_the_users_tree_is_refused(world):
    other = Plan.objects.create(title="渝中方案", owner=world.elsewhere)
    with pytest.raises(ValidationError) as error:
        new_visit(world, other)
    assert error.value.message_dict == {"plan": ["方案“渝中方案”不在本单位的管辖范围内"]}


def test_the_visiting_side_and_those_above_it_change_a_visit(world):
    county_staff = make_user("county_staff", world.county, Role.STAFF)
    visit = visit_create(
        actor=county_staff, organization=world.hospital, visited_on=VISITED, purpose="院感检查"
    )
    updated = visit_update(
        actor=world.staff,  # the commission, above the county
        visit=visit,
        organization=world.hospital,
        visited_on=VISITED,
        purpose="院感防控检查",
    )
    assert updated.purpose == "院感防控检查"
    event = AuditEvent.objects.get(action="reporting.visit_update")
    assert event.summary["changes"]["purpose"] == ["院感检查", "院感防控检查"]
    commission_visit = new_visit(world)
    with pytest.raises(PermissionDenied):
        visit_update(
            actor=county_staff,
            visit=commission_visit,
            organization=world.county,
            visited_on=VISITED,
            purpose="改",
        )


# --- findings ---------------------------------------------------------------------------------


def test_findings_are_added_changed_and_removed(world, plan):
    visit = new_visit(world, plan)
    task = Task.objects.get(plan=plan, path="一.1")
    finding = finding_add(
        actor=world.staff,
        visit=visit,
        text="乡镇卫生院执业医师缺口较大。",
        task=task,
        rectify_by=datetime.date(2024, 9, 30),
    )
    finding_update(
        actor=world.staff,
        finding=finding,
        text=finding.text,
        task=task,
        rectify_by=finding.rectify_by,
        rectified=True,
    )
    finding.refresh_from_db()
    assert finding.rectified
    event = AuditEvent.objects.get(action="reporting.finding_update")
    assert event.summary["changes"] == {"rectified": [False, True]}
    finding_remove(actor=world.staff, finding=finding)
    assert not VisitFinding.objects.exists()
    assert AuditEvent.objects.filter(action="reporting.finding_remove").exists()


def test_a_finding_needs_text_a_task_of_the_visits_plan_and_a_sensible_date(world, plan):
    visit = new_visit(world, plan)
    stranger = Task.objects.create(
        plan=Plan.objects.create(title="另一方案", owner=world.commission), title="别的任务"
    )
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"text": ""}, "text", "请填写发现的问题"),
        ({"task": stranger}, "task", "相关任务应属于本次督导的方案"),
        (
            {"rectify_by": datetime.date(2024, 6, 1)},
            "rectify_by",
            "整改时限不能早于督导日期（2024年6月5日）",
        ),
    ]
    for fields, field, message in cases:
        values: dict[str, Any] = {"text": "问题", **fields}
        with pytest.raises(ValidationError) as error:
            finding_add(actor=world.staff, visit=visit, **values)
        assert error.value.message_dict == {field: [message]}


def test_the_visited_unit_cannot_touch_the_findings(world):
    visit = new_visit(world)
    county_staff = make_user("county_staff", world.county, Role.STAFF)
    with pytest.raises(PermissionDenied) as error:
        finding_add(actor=county_staff, visit=visit, text="自己加的")
    assert "萍乡市卫生健康委员会或其上级单位的科室人员或领导" in str(error.value)


# --- raising a finding ------------------------------------------------------------------------


def test_a_finding_is_raised_once_to_the_committees_next_meeting(world, committee):
    visit = new_visit(world)
    finding = finding_add(
        actor=world.staff, visit=visit, text="家庭医生签约服务质量不高。", rectify_by=None
    )
    item = raise_finding(actor=world.leader, finding=finding, committee=committee)
    assert (item.committee, item.meeting, item.source) == (committee, None, AgendaSource.VISIT)
    assert item.title == "莲花县卫生健康委员会督导发现的问题：家庭医生签约服务质量不高。"
    assert "2024年6月5日萍乡市卫生健康委员会督导莲花县卫生健康委员会" in item.description
    finding.refresh_from_db()
    assert finding.agenda_item == item
    with pytest.raises(ValidationError, match="已提交会议议题"):
        raise_finding(actor=world.leader, finding=finding, committee=committee)
    with pytest.raises(ValidationError, match="不能删除"):
        finding_remove(actor=world.staff, finding=finding)
    with pytest.raises(ValidationError, match="不能删除"):
        visit_delete(actor=world.staff, visit=visit)
    assert AgendaItem.objects.count() == 1
    assert AuditEvent.objects.get(action="reporting.finding_raise").summary["item"] == item.pk


def test_a_finding_goes_only_to_a_committee_in_the_users_tree(world):
    visit = new_visit(world)
    finding = finding_add(actor=world.staff, visit=visit, text="问题")
    foreign = Committee.objects.create(host=world.elsewhere, name="渝中领导小组", kind="领导小组")
    with pytest.raises(PermissionDenied, match="渝中领导小组"):
        raise_finding(actor=world.staff, finding=finding, committee=foreign)
    with pytest.raises(ValidationError):
        raise_finding(actor=world.staff, finding=finding, committee=None)
    assert not AgendaItem.objects.exists()


def test_a_visit_is_deleted_with_its_findings(world):
    visit = new_visit(world)
    finding_add(actor=world.staff, visit=visit, text="问题一")
    visit_delete(actor=world.staff, visit=visit)
    assert not SupervisionVisit.objects.exists() and not VisitFinding.objects.exists()
    assert AuditEvent.objects.get(action="reporting.visit_delete").summary["findings"] == 1


# --- pages ------------------------------------------------------------------------------------

LIST = reverse("reporting:visit_list")
CREATE = reverse("reporting:visit_create")


def test_anonymous_is_sent_to_log_in(client, world):
    visit = new_visit(world)
    for url in (LIST, CREATE, reverse("reporting:visit_detail", args=[visit.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_reporter_reads_visits_to_his_unit_but_records_none(client, login_as, world):
    visit = new_visit(world)
    login_as(world.county_reporter)
    assert client.get(CREATE).status_code == 403
    page = client.get(reverse("reporting:visit_detail", args=[visit.pk])).content.decode()
    assert "健康萍乡行动推进情况" in page
    assert reverse("reporting:finding_add", args=[visit.pk]) not in page
    assert "健康萍乡行动推进情况" in client.get(LIST).content.decode()


def test_the_outsider_sees_nothing_of_the_tree(client, login_as, world):
    visit = new_visit(world)
    login_as(world.outsider)
    assert "健康萍乡" not in client.get(LIST).content.decode()
    assert client.get(reverse("reporting:visit_detail", args=[visit.pk])).status_code == 404
    assert client.get(reverse("reporting:visit_edit", args=[visit.pk])).status_code == 404


def test_recording_a_visit_and_its_findings_through_the_pages(client, login_as, world, plan):
    login_as(world.staff)
    form = client.get(CREATE).content.decode()
    assert "莲花县人民医院" in form and "渝中区" not in form
    response = client.post(CREATE, {"organization": world.county.pk, "visited_on": "2024-06-05"})
    assert "请填写督导事项" in response.content.decode()
    response = client.post(
        CREATE,
        {
            "organization": world.county.pk,
            "visited_on": "2024-06-05",
            "purpose": "专项督导",
            "plan": plan.pk,
        },
    )
    visit = SupervisionVisit.objects.get()
    assert response["Location"] == reverse("reporting:visit_detail", args=[visit.pk])
    task = Task.objects.get(plan=plan, path="二")
    url = reverse("reporting:finding_add", args=[visit.pk])
    client.post(url, {"text": "宣传不到位。", "task": task.pk, "rectify_by": "2024-07-01"})
    finding = VisitFinding.objects.get()
    assert finding.task == task
    page = client.get(reverse("reporting:visit_detail", args=[visit.pk])).content.decode()
    assert "宣传不到位。" in page and "提交会议" in page


def test_raising_and_deleting_through_the_pages(client, login_as, world, committee):
    visit = new_visit(world)
    finding = finding_add(actor=world.staff, visit=visit, text="问题")
    login_as(world.staff)
    url = reverse("reporting:finding_raise", args=[finding.pk])
    assert "健康萍乡领导小组" in client.get(url).content.decode()
    assert "请选择议事协调机构" in client.post(url, {"committee": ""}).content.decode()
    client.post(url, {"committee": committee.pk})
    assert AgendaItem.objects.get().source == AgendaSource.VISIT
    delete = reverse("reporting:visit_delete", args=[visit.pk])
    assert "确认删除" in client.get(delete).content.decode()
    response = client.post(delete, follow=True)
    assert "该督导有问题已提交会议议题，不能删除。" in response.content.decode()
    assert SupervisionVisit.objects.exists()


def test_the_list_runs_a_constant_number_of_queries(client, login_as, world):
    new_visit(world)
    login_as(world.staff)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for n in range(6):
        visit = new_visit(world, organization=world.hospital, purpose=f"督导{n}")
        finding_add(actor=world.staff, visit=visit, text="问题")
    with CaptureQueriesContext(connection) as seven:
        assert client.get(LIST).status_code == 200
    assert len(seven) == len(one)


def test_the_visited_units_staff_is_refused_with_the_reason(client, login_as, world):
    visit = new_visit(world)
    county_staff = make_user("county_staff", world.county, Role.STAFF)
    login_as(county_staff)
    assert client.get(reverse("reporting:visit_detail", args=[visit.pk])).status_code == 200
    response = client.post(reverse("reporting:finding_add", args=[visit.pk]), {"text": "自加"})
    assert response.status_code == 403
    assert "萍乡市卫生健康委员会或其上级单位的科室人员或领导" in response.content.decode()
    assert not VisitFinding.objects.exists()
