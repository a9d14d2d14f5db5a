"""Meetings of a committee: the waiting agenda joining a new meeting in order, items written
in, decisions, decided actions written as tasks of the committee's plan of decided matters,
the minutes as .docx, who may do what, and the pages."""

from __future__ import annotations

import datetime
import io
from typing import Any

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.accounts.roles import Role
from weijian.conftest import make_user
from weijian.core.models import AuditEvent
from weijian.orgs.models import Committee, CommitteeMember
from weijian.plans.models import Assignment, AssignmentRole, Plan, Task
from weijian.reporting.models import AgendaItem, AgendaSource, FollowUp, Meeting
from weijian.reporting.services.meetings import (
    follow_up_add,
    item_add,
    item_remove,
    item_update,
    meeting_create,
    meeting_update,
    queue_item,
)

HELD = datetime.date(2024, 7, 5)


@pytest.fixture
def committee(world):
    group = Committee.objects.create(
        host=world.commission, name="健康萍乡建设领导小组", kind="领导小组"
    )
    CommitteeMember.objects.create(
        committee=group,
        role="成员单位",
        organization_name=world.county.name,
        organization=world.county,
    )
    return group


def hold(world, committee, **fields) -> Meeting:
    values: dict[str, Any] = {
        "title": "2024年第二次全体会议",
        "held_on": HELD,
        "location": "市卫健委三楼会议室",
        "chair": "刘领导",
        "attendees": "领导小组成员\n各成员单位联络员",
        "minutes": "会议听取了上半年工作进展汇报。",
    }
    values.update(fields)
    return meeting_create(actor=world.staff, committee=committee, **values)


# --- the agenda -------------------------------------------------------------------------------


def test_a_new_meeting_takes_the_waiting_items_in_order(world, committee):
    first = queue_item(committee=committee, source=AgendaSource.VISIT, title="督导发现的问题")
    second = item_add(actor=world.staff, committee=committee, title="研究年度考核办法")
    third = queue_item(committee=committee, source=AgendaSource.ACCOUNTABILITY, title="逾期任务")
    assert [first.order, second.order, third.order] == [1, 2, 3]
    meeting = hold(world, committee)
    items = list(meeting.items.order_by("order"))
    assert [i.pk for i in items] == [first.pk, second.pk, third.pk]
    assert [i.order for i in items] == [1, 2, 3]
    event = AuditEvent.objects.get(action="reporting.meeting_create")
    assert event.summary["items"] == [first.pk, second.pk, third.pk]
    assert event.organization == world.commission
    # Raised after the meeting: waits for the next one.
    later = queue_item(committee=committee, source=AgendaSource.VISIT, title="新问题")
    assert later.meeting is None and later.order == 1


def test_items_written_on_a_meeting_go_last_with_their_decision(world, committee):
    queue_item(committee=committee, source=AgendaSource.VISIT, title="督导发现的问题")
    meeting = hold(world, committee)
    item = item_add(
        actor=world.leader,
        committee=committee,
        meeting=meeting,
        title="临时动议",
        decision="同意。",
    )
    assert (item.order, item.decision, item.source) == (2, "同意。", AgendaSource.WRITTEN)
    with pytest.raises(ValidationError) as error:
        item_add(actor=world.staff, committee=committee, title="待议", decision="先定了")
    assert error.value.message_dict == {"decision": ["该议题尚未安排会议，不能填写会议决定"]}


def test_a_decision_is_recorded_on_an_item_of_a_meeting(world, committee):
    waiting = item_add(actor=world.staff, committee=committee, title="研究考核办法")
    with pytest.raises(ValidationError):
        item_update(actor=world.staff, item=waiting, title=waiting.title, decision="原则通过")
    hold(world, committee)
    waiting.refresh_from_db()
    item_update(actor=world.staff, item=waiting, title=waiting.title, decision="原则通过。")
    waiting.refresh_from_db()
    assert waiting.decision == "原则通过。"
    event = AuditEvent.objects.get(action="reporting.agenda_update")
    assert event.summary["changes"] == {"decision": ["", "原则通过。"]}


def test_only_written_items_without_actions_are_removed(world, committee):
    raised = queue_item(committee=committee, source=AgendaSource.VISIT, title="督导发现的问题")
    with pytest.raises(ValidationError, match="督导发现"):
        item_remove(actor=world.staff, item=raised)
    written = item_add(actor=world.staff, committee=committee, title="写错的议题")
    item_remove(actor=world.staff, item=written)
    assert list(AgendaItem.objects.all()) == [raised]
    assert AuditEvent.objects.filter(action="reporting.agenda_remove").count() == 1


def test_a_meeting_needs_a_title_and_a_date(world, committee):
    with pytest.raises(ValidationError) as error:
        hold(world, committee, title=" ")
    assert error.value.message_dict == {"title": ["请填写会议名称"]}
    with pytest.raises(ValidationError) as error:
        hold(world, committee, held_on=None)
    assert error.value.message_dict == {"held_on": ["请填写会议日期"]}
    assert not Meeting.objects.exists()


def test_only_staff_and_leaders_at_or_above_the_host_manage_its_meetings(world, committee):
    county_staff = make_user("county_staff", world.county, Role.STAFF)
    for user in (county_staff, world.county_reporter, world.outsider):
        with pytest.raises(PermissionDenied):
            meeting_create(actor=user, committee=committee, title="会议", held_on=HELD)
    county_group = Committee.objects.create(host=world.county, name="县领导小组", kind="领导小组")
    meeting = meeting_create(actor=world.leader, committee=county_group, title="会议", held_on=HELD)
    meeting_update(actor=county_staff, meeting=meeting, title="县领导小组会议", held_on=HELD)
    meeting.refresh_from_db()
    assert meeting.title == "县领导小组会议"


# --- decided actions --------------------------------------------------------------------------


def test_a_decided_action_is_a_task_of_the_committees_plan(world, committee):
    meeting = hold(world, committee)
    item = item_add(actor=world.staff, committee=committee, meeting=meeting, title="医师队伍建设")
    follow_up = follow_up_add(
        actor=world.staff,
        item=item,
        title="制定乡镇卫生院医师招聘计划",
        organization=world.county,
        due_on=datetime.date(2024, 9, 30),
        text="9月底前报市卫健委。",
    )
    task = follow_up.task
    plan = task.plan
    assert (plan.title, plan.owner) == ("健康萍乡建设领导小组议定事项", world.commission)
    meeting.refresh_from_db()
    assert meeting.plan == plan
    assert (task.title, task.due_on) == ("制定乡镇卫生院医师招聘计划", datetime.date(2024, 9, 30))
    assert task.text.startswith("9月底前报市卫健委。\n2024年第二次全体会议（2024年7月5日）议题：")
    (lead,) = Assignment.objects.filter(task=task)
    assert (lead.role, lead.organization) == (AssignmentRole.LEAD, world.county)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "reporting.meeting_plan_create",
        "task.create",
        "assignment.add",
        "reporting.follow_up_add",
    } <= actions


def test_later_meetings_of_the_committee_share_its_plan(world, committee):
    first = hold(world, committee)
    item = item_add(actor=world.staff, committee=committee, meeting=first, title="一")
    follow_up_add(actor=world.staff, item=item, title="甲", organization=world.county, due_on=HELD)
    second = hold(
        world, committee, title="2024年第三次全体会议", held_on=datetime.date(2024, 10, 8)
    )
    item = item_add(actor=world.staff, committee=committee, meeting=second, title="二")
    follow_up_add(
        actor=world.staff,
        item=item,
        title="乙",
        organization=world.hospital,
        due_on=datetime.date(2024, 12, 31),
    )
    assert Plan.objects.count() == 1
    assert list(Task.objects.values_list("title", flat=True).order_by("order")) == ["甲", "乙"]
    assert AuditEvent.objects.filter(action="reporting.meeting_plan_create").count() == 1


def test_an_action_needs_a_held_item_an_owner_and_a_deadline_after_the_meeting(world, committee):
    waiting = item_add(actor=world.staff, committee=committee, title="待议")
    with pytest.raises(ValidationError, match="尚未上会"):
        follow_up_add(
            actor=world.staff, item=waiting, title="甲", organization=world.county, due_on=HELD
        )
    meeting = hold(world, committee)
    waiting.refresh_from_db()
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"title": ""}, "title", "请填写议定事项"),
        ({"organization": None}, "organization", "请选择责任单位"),
        ({"due_on": None}, "due_on", "请填写完成时限"),
        (
            {"due_on": datetime.date(2024, 7, 1)},
            "due_on",
            "完成时限不能早于会议日期（2024年7月5日）",
        ),
        (
            {"organization": world.elsewhere},
            "organization",
            "“渝中区卫生健康委员会”不在“萍乡市卫生健康委员会”所属的单位范围内",
        ),
    ]
    for fields, field, message in cases:
        values = {"title": "甲", "organization": world.county, "due_on": HELD, **fields}
        with pytest.raises(ValidationError) as error:
            follow_up_add(actor=world.staff, item=waiting, **values)
        assert error.value.message_dict == {field: [message]}
    # Nothing half-written: no plan, no task, no action.
    assert not Plan.objects.exists() and not FollowUp.objects.exists()
    meeting.refresh_from_db()
    assert meeting.plan is None


def test_actions_are_added_by_staff_since_they_write_plan_tasks(world, committee):
    meeting = hold(world, committee)
    item = item_add(actor=world.leader, committee=committee, meeting=meeting, title="议题")
    with pytest.raises(PermissionDenied, match="科室人员"):
        follow_up_add(
            actor=world.leader, item=item, title="甲", organization=world.county, due_on=HELD
        )
    assert not Task.objects.exists()


# --- the minutes ------------------------------------------------------------------------------


@pytest.fixture
def held(world, committee):
    queue_item(
        committee=committee,
        source=AgendaSource.ACCOUNTABILITY,
        title="莲花县卫生健康委员会“一.1 提高医师数量”逾期未完成（2次）",
        description="完成时限：2024年3月15日",
    )
    meeting = hold(world, committee)
    item = meeting.items.get()
    item_update(
        actor=world.staff,
        item=item,
        title=item.title,
        description=item.description,
        decision="责成莲花县卫健委限期完成。",
    )
    follow_up_add(
        actor=world.staff,
        item=item,
        title="完成乡镇卫生院医师招聘",
        organization=world.county,
        due_on=datetime.date(2024, 9, 30),
    )
    return meeting


def test_the_minutes_are_a_word_document_with_items_decisions_and_actions(
    client, login_as, world, held
):
    login_as(world.leader)
    response = client.get(reverse("reporting:meeting_minutes", args=[held.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = [p.text for p in document.paragraphs if p.text]
    assert text[0].replace("\n", "") == "健康萍乡建设领导小组2024年第二次全体会议纪要"
    assert "时间：2024年7月5日" in text and "地点：市卫健委三楼会议室" in text
    assert "参会人员：领导小组成员 各成员单位联络员" in text
    assert "会议听取了上半年工作进展汇报。" in text
    assert "一、莲花县卫生健康委员会“一.1 提高医师数量”逾期未完成（2次）" in text
    assert "会议决定：责成莲花县卫健委限期完成。" in text
    assert text[-2:] == ["健康萍乡建设领导小组", "2024年7月5日"]
    (table,) = document.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [
        ["序号", "议定事项", "责任单位", "完成时限"],
        ["1", "完成乡镇卫生院医师招聘", "莲花县卫生健康委员会", "2024年9月30日"],
    ]
    event = AuditEvent.objects.get(action="data.export")
    assert event.actor == world.leader and event.summary["format"] == "docx"


# --- pages ------------------------------------------------------------------------------------

LIST = reverse("reporting:meeting_list")


def test_anonymous_is_sent_to_log_in(client, world, held):
    urls = [
        LIST,
        reverse("reporting:committee_agenda", args=[held.committee_id]),
        reverse("reporting:meeting_detail", args=[held.pk]),
        reverse("reporting:meeting_minutes", args=[held.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_reporters_read_but_do_not_manage(client, login_as, world, held):
    login_as(world.county_reporter)  # below the host: outside its tree
    assert client.get(reverse("reporting:meeting_detail", args=[held.pk])).status_code == 404
    reporter = make_user("city_reporter", world.commission, Role.REPORTER)
    login_as(reporter)
    page = client.get(reverse("reporting:meeting_detail", args=[held.pk])).content.decode()
    assert "责成莲花县卫健委限期完成。" in page and "添加议定事项" not in page
    create = reverse("reporting:meeting_create", args=[held.committee_id])
    assert client.get(create).status_code == 403


def test_the_outsider_sees_nothing(client, login_as, world, held):
    login_as(world.outsider)
    assert "健康萍乡" not in client.get(LIST).content.decode()
    for name in ("meeting_detail", "meeting_edit", "meeting_minutes"):
        assert client.get(reverse(f"reporting:{name}", args=[held.pk])).status_code == 404
    agenda = reverse("reporting:committee_agenda", args=[held.committee_id])
    assert client.get(agenda).status_code == 404


def test_holding_a_meeting_through_the_pages(client, login_as, world, committee):
    queue_item(committee=committee, source=AgendaSource.VISIT, title="督导发现的问题")
    login_as(world.staff)
    agenda = reverse("reporting:committee_agenda", args=[committee.pk])
    client.post(reverse("reporting:item_add", args=[committee.pk]), {"title": "研究考核办法"})
    page = client.get(agenda).content.decode()
    assert "督导发现的问题" in page and "研究考核办法" in page
    create = reverse("reporting:meeting_create", args=[committee.pk])
    assert "以下 2 个待研究的议题将列入本次会议" in client.get(create).content.decode()
    response = client.post(create, {"title": "", "held_on": "2024-07-05"})
    assert "请填写会议名称" in response.content.decode()
    response = client.post(create, {"title": "第二次会议", "held_on": "2024-07-05"})
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("reporting:meeting_detail", args=[meeting.pk])
    item = meeting.items.get(title="研究考核办法")
    edit = reverse("reporting:item_edit", args=[item.pk])
    client.post(edit, {"title": item.title, "description": "", "decision": "通过。"})
    item.refresh_from_db()
    assert item.decision == "通过。"
    url = reverse("reporting:follow_up_add", args=[item.pk])
    form = client.get(url).content.decode()
    assert form.index(world.county.name) < form.index(world.hospital.name)  # members first
    client.post(
        url,
        {"title": "印发考核办法", "organization": world.commission.pk, "due_on": "2024-08-31"},
    )
    assert FollowUp.objects.get().task.title == "印发考核办法"
    page = client.get(reverse("reporting:meeting_detail", args=[meeting.pk])).content.decode()
    assert "印发考核办法" in page and "健康萍乡建设领导小组议定事项" in page


def test_the_meeting_list_runs_a_constant_number_of_queries(client, login_as, world, committee):
    hold(world, committee)
    login_as(world.staff)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for n in range(5):
        other = Committee.objects.create(host=world.county, name=f"专项组{n}", kind="工作推进组")
        queue_item(committee=other, source=AgendaSource.WRITTEN, title="议题")
        hold(world, other, title=f"会议{n}")
    with CaptureQueriesContext(connection) as six:
        assert client.get(LIST).status_code == 200
    assert len(six) == len(one)


def test_the_meeting_page_runs_a_constant_number_of_queries(client, login_as, world, held):
    login_as(world.staff)
    url = reverse("reporting:meeting_detail", args=[held.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        item = item_add(actor=world.staff, committee=held.committee, meeting=held, title=f"议题{n}")
        follow_up_add(
            actor=world.staff, item=item, title=f"事项{n}", organization=world.county, due_on=HELD
        )
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five) == len(one)
