"""Accountability: which task × unit is overdue and when, how misses are counted, escalation to
the leading group's next meeting, the unit's explanation and the owner's decision, and the
daily command (idempotent, with a dry run).

The plan of factories.py, monthly, reports due on the 30th: 一.1 is led by the county and 一.2
by the hospital (the county a partner), both due on 15 March 2024; so the March report (due 30
March) is the one in which each unit can say its task is done."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from weijian.core.models import AuditEvent
from weijian.notifications.models import Notification
from weijian.orgs.models import Committee
from weijian.plans.models import Task
from weijian.reporting.models import (
    Accountability,
    AccountabilityStatus,
    AgendaItem,
    AgendaSource,
    ProgressReport,
    ReportStatus,
    TaskStatus,
)
from weijian.reporting.services.accountability import (
    checked_after,
    close,
    explain,
    next_step,
    open_overdue,
)
from weijian.reporting.tests.factories import make_reporting

DUE = datetime.date(2024, 3, 15)
Status = AccountabilityStatus


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def reporting(world):
    reporting = make_reporting(world)
    Task.objects.filter(plan=reporting.plan, path__in=["一.1", "一.2"]).update(due_on=DUE)
    return reporting


@pytest.fixture
def group(world):
    return Committee.objects.create(
        host=world.commission, name="健康萍乡建设领导小组", kind="领导小组"
    )


def report(reporting, organization, period: str, path: str, task_status: str, status=None):
    """The unit's report of the period on the task, as the unit (and its reviewers) left it."""
    reporting.open(period)
    ProgressReport.objects.filter(
        cycle=reporting.cycle, organization=organization, period=period, task__path=path
    ).update(status=status or ReportStatus.SUBMITTED, task_status=task_status)


def records(organization=None):
    rows = Accountability.objects.order_by("pk")
    return list(rows.filter(organization=organization) if organization else rows)


# --- when a task is overdue -------------------------------------------------------------------


def test_nothing_before_the_report_of_the_deadline_period_is_due(reporting):
    run = open_overdue(today=day("2024-03-30"))
    assert run.opened == 0 and not records()


def test_a_lead_unit_without_a_report_saying_done_is_held_to_account(reporting, world):
    report(reporting, world.hospital, "2024-03", "一.2", TaskStatus.DONE)
    run = open_overdue(today=day("2024-03-31"))
    assert run.opened == 1
    (record,) = records()
    assert (record.organization, record.task.path) == (world.county, "一.1")
    assert (record.due_on, record.misses, record.period) == (DUE, 1, "2024-03")
    assert record.status == Status.OPEN and record.cycle == reporting.cycle
    # The county is only a partner on 一.2: partners are not held to account.
    assert not Accountability.objects.filter(task__path="一.2").exists()


def test_the_unit_is_notified_once_and_the_run_is_audited(
    reporting, world, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            open_overdue(today=day("2024-03-31"))
    county = Notification.objects.filter(user__organization=world.county).order_by("pk")
    assert sorted(n.user.username for n in county) == ["county_staff", "reporter"]
    notice = county.get(user=world.county_reporter)
    assert notice.title == "“一.1 提高医师数量”逾期未完成，请说明原因及延期完成时限"
    assert (
        notice.url == f"/office/reporting/oversight/accountability/{records(world.county)[0].pk}/"
    )
    events = AuditEvent.objects.filter(action="reporting.accountability_open")
    assert events.count() == 2  # the county's 一.1, the hospital's 一.2: once each
    event = events.get(object_id=str(notice.url.split("/")[-2]))
    assert event.actor_username == "manage.py open_accountability"
    assert event.organization == world.commission
    assert event.summary["unit"] == world.county.name


def test_responsible_units_are_held_to_account_too(reporting, world):
    Task.objects.filter(plan=reporting.plan, path="二").update(due_on=DUE)
    open_overdue(today=day("2024-04-01"))
    held = {(r.task.path, r.organization.name) for r in records()}
    assert ("二", world.county.name) in held and ("二", world.hospital.name) in held


def test_the_latest_standing_report_decides_whether_the_task_is_done(reporting, world):
    report(reporting, world.county, "2024-03", "一.1", TaskStatus.DONE)
    report(reporting, world.hospital, "2024-03", "一.2", TaskStatus.DONE)
    assert open_overdue(today=day("2024-04-01")).opened == 0
    # April's report says it is in progress again: the latest report stands.
    report(reporting, world.county, "2024-04", "一.1", TaskStatus.IN_PROGRESS)
    assert open_overdue(today=day("2024-05-01")).opened == 1


def test_a_returned_or_draft_report_saying_done_does_not_stand(reporting, world):
    report(reporting, world.county, "2024-03", "一.1", TaskStatus.DONE, ReportStatus.RETURNED)
    report(reporting, world.hospital, "2024-03", "一.2", TaskStatus.DONE, ReportStatus.DRAFT)
    run = open_overdue(today=day("2024-04-01"))
    assert run.opened == 2


def test_a_deadline_before_the_cycle_waits_for_its_first_report(reporting, world):
    Task.objects.filter(plan=reporting.plan, path="一.1").update(due_on=day("2023-06-30"))
    assert checked_after(reporting.cycle, day("2023-06-30")) == day("2024-01-30")
    assert open_overdue(today=day("2024-01-30")).opened == 0
    assert open_overdue(today=day("2024-01-31")).opened == 1  # 一.2 is due in March


def test_closed_units_and_inactive_cycles_are_left_out(reporting, world):
    world.county.closed_on = day("2024-03-20")
    world.county.save(update_fields=["closed_on"])
    open_overdue(today=day("2024-04-01"))
    assert {r.organization for r in records()} == {world.hospital}
    reporting.cycle.is_active = False
    reporting.cycle.save(update_fields=["is_active"])
    Accountability.objects.all().delete()
    assert open_overdue(today=day("2024-04-01")).opened == 0


# --- misses and escalation --------------------------------------------------------------------


def test_each_later_period_overdue_is_one_more_miss(
    reporting, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_overdue(today=day("2024-03-31"))
        run = open_overdue(today=day("2024-04-01"))
    (record,) = records(world.county)
    assert (run.missed, record.misses, record.period) == (2, 2, "2024-04")
    with django_capture_on_commit_callbacks(execute=True):
        open_overdue(today=day("2024-04-20"))  # same period: nothing more
    record.refresh_from_db()
    assert record.misses == 2
    titles = (
        Notification.objects.filter(user=world.county_reporter)
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert list(titles) == [
        "“一.1 提高医师数量”逾期未完成，请说明原因及延期完成时限",
        "“一.1 提高医师数量”第2次逾期未完成，请说明原因及延期完成时限",
    ]


def test_repeated_misses_go_on_the_leading_groups_agenda(reporting, world, group):
    open_overdue(today=day("2024-03-31"))
    run = open_overdue(today=day("2024-04-01"))
    assert run.escalated == 2  # the county's 一.1 and the hospital's 一.2
    record = Accountability.objects.get(organization=world.county)
    assert record.status == Status.ESCALATED
    item = record.agenda_item
    assert item is not None
    assert (item.committee, item.meeting, item.source) == (group, None, AgendaSource.ACCOUNTABILITY)
    assert item.title == "莲花县卫生健康委员会“一.1 提高医师数量”逾期未完成（2次）"
    assert AuditEvent.objects.filter(action="reporting.accountability_escalate").count() == 2
    open_overdue(today=day("2024-05-01"))  # a third miss: no second item
    assert AgendaItem.objects.count() == 2
    assert Accountability.objects.get(organization=world.county).misses == 3


def test_the_threshold_is_the_cycles(reporting, world, group):
    reporting.cycle.escalate_after_misses = 1
    reporting.cycle.save(update_fields=["escalate_after_misses"])
    assert open_overdue(today=day("2024-03-31")).escalated == 2
    reporting.cycle.escalate_after_misses = 0  # never
    reporting.cycle.save(update_fields=["escalate_after_misses"])
    AgendaItem.objects.all().delete()
    Accountability.objects.all().delete()
    open_overdue(today=day("2024-03-31"))
    assert open_overdue(today=day("2024-06-01")).escalated == 0


def test_without_a_leading_group_the_run_says_so_and_escalates_later(reporting, world):
    open_overdue(today=day("2024-03-31"))
    run = open_overdue(today=day("2024-04-01"))
    assert run.escalated == 0
    assert run.problems == [
        "萍乡市卫生健康委员会没有领导小组：逾期达到2次的问责事项无法列入会议议题，"
        "请在组织机构中登记领导小组"
    ]
    assert {r.status for r in records()} == {Status.OPEN}
    Committee.objects.create(host=world.commission, name="领导小组", kind="领导小组")
    assert open_overdue(today=day("2024-04-02")).escalated == 2


def test_a_new_deadline_counts_nothing_until_it_passes_then_asks_again(reporting, world):
    open_overdue(today=day("2024-03-31"))
    record = Accountability.objects.get(organization=world.county)
    with time_machine.travel(datetime.datetime(2024, 3, 31, 10, tzinfo=datetime.UTC)):
        explain(
            actor=world.county_reporter,
            accountability=record,
            explanation="人才招聘延期。",
            new_due_on=day("2024-05-10"),
        )
    open_overdue(today=day("2024-04-20"))
    open_overdue(today=day("2024-05-10"))  # April and May: the new deadline has not passed
    record.refresh_from_db()
    assert (record.misses, record.status) == (1, Status.EXPLAINED)
    run = open_overdue(today=day("2024-05-11"))
    record.refresh_from_db()
    assert run.missed == 1  # the county's new deadline (the hospital's May was counted)
    assert (record.misses, record.status, record.period) == (2, Status.OPEN, "2024-05")
    assert record.explanation == "人才招聘延期。"  # kept; the unit is asked again


def test_a_closed_record_ends_the_matter_for_its_deadline(reporting, world):
    open_overdue(today=day("2024-03-31"))
    record = Accountability.objects.get(organization=world.county)
    close(actor=world.staff, accountability=record, decision="同意延期，列入年终考核。")
    open_overdue(today=day("2024-06-01"))
    record.refresh_from_db()
    assert (record.status, record.misses) == (Status.CLOSED, 1)
    # The plan moves the deadline: a miss of the new one is a new record.
    Task.objects.filter(plan=reporting.plan, path="一.1").update(due_on=day("2024-06-15"))
    open_overdue(today=day("2024-07-01"))
    assert Accountability.objects.filter(organization=world.county).count() == 2


def test_a_dry_run_writes_and_sends_nothing(reporting, world, group):
    run = open_overdue(today=day("2024-03-31"), dry_run=True)
    assert run.opened == 2 and len(run.lines) == 2
    assert not Accountability.objects.exists() and not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="reporting.accountability").exists()


def test_next_step_is_pure(reporting, world):
    assert next_step(None, period="2024-03", today=DUE, threshold=2).action == "open"
    record = Accountability(due_on=DUE, period="2024-03", misses=1, status=Status.OPEN)
    same = next_step(record, period="2024-03", today=day("2024-03-31"), threshold=2)
    assert (same.action, same.escalate) == ("", False)
    later = next_step(record, period="2024-04", today=day("2024-04-01"), threshold=2)
    assert (later.action, later.misses, later.escalate) == ("miss", 2, True)
    record.status, record.new_due_on = Status.EXPLAINED, day("2024-04-30")
    assert next_step(record, period="2024-04", today=day("2024-04-30"), threshold=2).action == ""


# --- explaining and closing -------------------------------------------------------------------


@pytest.fixture
def record(reporting, world):
    open_overdue(today=day("2024-03-31"))
    return Accountability.objects.get(organization=world.county)


@time_machine.travel(datetime.datetime(2024, 4, 2, 9, tzinfo=datetime.UTC))
def test_the_unit_explains_with_a_new_deadline(record, world, reporting):
    explain(
        actor=reporting.county_staff,
        accountability=record,
        explanation="  招聘计划推迟到二季度。 ",
        new_due_on=day("2024-06-30"),
    )
    record.refresh_from_db()
    assert (record.status, record.explanation) == (Status.EXPLAINED, "招聘计划推迟到二季度。")
    assert record.new_due_on == day("2024-06-30")
    event = AuditEvent.objects.get(action="reporting.accountability_explain")
    assert event.actor == reporting.county_staff
    assert event.summary["changes"]["status"] == ["open", "explained"]


@time_machine.travel(datetime.datetime(2024, 4, 2, 9, tzinfo=datetime.UTC))
def test_an_explanation_needs_a_reason_and_a_later_deadline(record, world):
    cases = [
        ("", day("2024-06-30"), "explanation", "请填写逾期未完成的原因"),
        ("原因", None, "new_due_on", "请填写延期完成时限"),
        ("原因", day("2024-04-02"), "new_due_on", "延期完成时限应晚于今天"),
    ]
    for explanation, new_due_on, field, message in cases:
        with pytest.raises(ValidationError) as error:
            explain(
                actor=world.county_reporter,
                accountability=record,
                explanation=explanation,
                new_due_on=new_due_on,
            )
        assert error.value.message_dict == {field: [message]}
    record.refresh_from_db()
    assert record.status == Status.OPEN and record.explanation == ""


def test_only_the_units_own_reporters_explain(record, world, reporting):
    for user in (reporting.hospital_reporter, world.staff, world.leader):
        with pytest.raises(PermissionDenied) as error:
            explain(
                actor=user,
                accountability=record,
                explanation="原因",
                new_due_on=day("2099-01-01"),
            )
        assert str(error.value) == "只有莲花县卫生健康委员会的填报员或科室人员可以说明逾期原因。"
    assert AuditEvent.objects.filter(action="access.denied", success=False).count() == 3


def test_the_owner_closes_with_a_decision(record, world, reporting):
    with pytest.raises(ValidationError) as error:
        close(actor=world.leader, accountability=record, decision=" ")
    assert error.value.message_dict == {"decision": ["请填写处理意见"]}
    for user in (reporting.county_staff, world.county_reporter):
        with pytest.raises(PermissionDenied):
            close(actor=user, accountability=record, decision="同意")
    close(actor=world.leader, accountability=record, decision="约谈主要负责人。")
    record.refresh_from_db()
    assert (record.status, record.decision) == (Status.CLOSED, "约谈主要负责人。")
    assert AuditEvent.objects.get(action="reporting.accountability_close").actor == world.leader
    with pytest.raises(ValidationError):
        close(actor=world.leader, accountability=record, decision="再次")
    with pytest.raises(ValidationError):
        explain(
            actor=world.county_reporter,
            accountability=record,
            explanation="原因",
            new_due_on=day("2099-01-01"),
        )


# --- the command ------------------------------------------------------------------------------


def _command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("open_accountability", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_runs_daily_without_repeating_itself(reporting, world):
    out, err = _command("--date", "2024-03-31", "--dry-run")
    assert "2024-03-31：将新发起问责 2 项，再次逾期 0 项，列入会议议题 0 项。" in out
    assert not Accountability.objects.exists()
    out, _ = _command("--date", "2024-03-31")
    assert (
        "莲花县卫生健康委员会：“一.1 提高医师数量”（完成时限2024年3月15日）逾期未完成，发起问责"
        in out
    )
    assert "已新发起问责 2 项" in out
    out, _ = _command("--date", "2024-03-31")
    assert "已新发起问责 0 项，再次逾期 0 项" in out
    out, err = _command("--date", "2024-04-01")
    assert "再次逾期 2 项" in out and "没有领导小组" in err


def test_the_command_refuses_a_bad_date(reporting):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="格式不正确"):
        _command("--date", "2024/03/31")
