"""Cycles of a plan (services.cycles): creating and changing them with Chinese validation, who
may, the schedule a rule gives (months without the due day, holidays), opening a period, and
reopening one unit × one period after its lock."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from weijian.core.models import AuditEvent
from weijian.plans.models import Plan, Task
from weijian.reporting.locks import lock_reason
from weijian.reporting.models import (
    DueRule,
    ProgressReport,
    Reopening,
    ReportingCycle,
    ReportStatus,
    ReviewAction,
    ReviewStep,
)
from weijian.reporting.periods import SHANGHAI, Period, end_of_day
from weijian.reporting.services import cycles
from weijian.reporting.tests.factories import make_cycle, make_plan, make_reporting


def fields(**changes) -> dict:
    data = {
        "name": "月度进展填报",
        "frequency": "month",
        "due_rule": DueRule.DAY_OF_MONTH,
        "due_day": 30,
        "days_after": 0,
        "next_workday": False,
        "window_days": None,
        "lock_after_days": None,
        "include_partners": False,
        "weight_achievement": 0.4,
        "weight_completeness": 0.3,
        "weight_timeliness": 0.3,
        "starts_on": datetime.date(2024, 1, 1),
        "ends_on": None,
        "tasks": [],
    }
    data.update(changes)
    return data


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def plan(world) -> Plan:
    return make_plan(world)


# --- create and change ------------------------------------------------------------------------


def test_create_writes_the_cycle_its_tasks_and_an_event(plan, world):
    tasks = list(Task.objects.filter(plan=plan, path__in=["一.1", "二"]))
    cycle = cycles.cycle_create(
        actor=world.staff, plan=plan, **fields(lock_after_days=10, window_days=20, tasks=tasks)
    )
    cycle.refresh_from_db()
    assert (cycle.name, cycle.due_day, cycle.lock_after_days, cycle.window_days) == (
        "月度进展填报",
        30,
        10,
        20,
    )
    assert set(cycle.tasks.all()) == set(tasks)
    [event] = AuditEvent.objects.filter(action="reporting.cycle_create")
    assert event.actor == world.staff and event.organization == world.commission
    assert event.summary["fields"]["lock_after_days"] == 10
    assert sorted(event.summary["fields"]["tasks"]) == sorted(t.pk for t in tasks)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "请填写周期名称，如：月度进展填报"),
        ({"due_day": 0}, "due_day", "截止日应为1–31之间的整数"),
        ({"due_day": 32}, "due_day", "截止日应为1–31之间的整数"),
        ({"due_day": None}, "due_day", "截止日应为1–31之间的整数"),
        ({"days_after": 91}, "days_after", "期满后天数应为0–90之间的整数"),
        ({"window_days": 367}, "window_days", "填报窗口天数应为0–366之间的整数"),
        ({"lock_after_days": 400}, "lock_after_days", "逾期锁定天数应为0–366之间的整数"),
        ({"lock_after_days": -1}, "lock_after_days", "逾期锁定天数应为0–366之间的整数"),
        ({"weight_timeliness": -0.1}, "weight_timeliness", "及时率权重不能为负数"),
        ({"weight_completeness": None}, "weight_completeness", "请填写报送率权重"),
        (
            {"weight_achievement": 0, "weight_completeness": 0, "weight_timeliness": 0},
            "weight_achievement",
            "三项权重不能全部为0",
        ),
        ({"starts_on": None}, "starts_on", "请填写起始日期"),
        ({"ends_on": datetime.date(2023, 12, 31)}, "ends_on", "结束日期不能早于起始日期"),
        ({"frequency": "week"}, "frequency", "请选择填报频次：每月、每季度、每半年或每年"),
    ],
)
def test_bad_fields_are_refused_in_chinese(plan, world, changes, field, message):
    with pytest.raises(ValidationError) as error:
        cycles.cycle_create(actor=world.staff, plan=plan, **fields(**changes))
    assert error.value.message_dict == {field: [message]}
    assert not ReportingCycle.objects.exists()
    assert not AuditEvent.objects.filter(action="reporting.cycle_create").exists()


def test_a_days_after_rule_needs_no_due_day(plan, world):
    data = fields(due_rule=DueRule.DAYS_AFTER, days_after=15, due_day=None)
    cycle = cycles.cycle_create(actor=world.staff, plan=plan, **data)
    assert (cycle.days_after, cycle.due_day) == (15, 30)


def test_a_task_of_another_plan_is_refused(plan, world):
    other = make_plan(world)
    stranger = Task.objects.filter(plan=other).first()
    with pytest.raises(ValidationError, match="不属于本方案"):
        cycles.cycle_create(actor=world.staff, plan=plan, **fields(tasks=[stranger]))


def test_only_plan_editors_of_the_owner_keep_cycles(plan, world):
    reporting = make_reporting(world)
    for actor in (world.leader, world.county_reporter, reporting.county_staff, world.outsider):
        with pytest.raises(PermissionDenied, match="科室人员"):
            cycles.cycle_create(actor=actor, plan=plan, **fields())
    assert ReportingCycle.objects.filter(plan=plan).count() == 0
    assert AuditEvent.objects.filter(action="access.denied").count() == 4


def test_update_records_the_changes_and_moves_pending_due_moments(world):
    reporting = make_reporting(world)
    cycle = reporting.cycle
    rows = reporting.open("2024-05")
    submitted = rows[0]
    ProgressReport.objects.filter(pk=submitted.pk).update(status=ReportStatus.SUBMITTED)
    cycles.cycle_update(actor=world.staff, cycle=cycle, **fields(due_day=15, next_workday=True))
    [event] = AuditEvent.objects.filter(action="reporting.cycle_update")
    assert event.summary["changes"]["due_day"] == [30, 15]
    assert event.summary["changes"]["next_workday"] == [False, True]
    assert event.summary["moved_due"] == len(rows) - 1
    # 15 May 2024 was a Wednesday, a working day
    pending = ProgressReport.objects.exclude(pk=submitted.pk)
    assert {r.due_at for r in pending} == {end_of_day(datetime.date(2024, 5, 15))}
    submitted.refresh_from_db()
    assert submitted.due_at == end_of_day(datetime.date(2024, 5, 30))


def test_an_update_needing_an_unknown_holiday_year_changes_nothing(world):
    reporting = make_reporting(world, starts_on=datetime.date(2031, 1, 1))
    reporting.open("2031-05")
    with pytest.raises(ValidationError) as error:
        cycles.cycle_update(
            actor=world.staff,
            cycle=reporting.cycle,
            **fields(starts_on=datetime.date(2031, 1, 1), next_workday=True),
        )
    assert "2031年的法定节假日安排尚未录入" in error.value.message_dict["next_workday"][0]
    reporting.cycle.refresh_from_db()
    assert reporting.cycle.next_workday is False


def test_an_unchanged_update_writes_no_event(world):
    reporting = make_reporting(world)
    cycles.cycle_update(actor=world.staff, cycle=reporting.cycle, **fields())
    assert not AuditEvent.objects.filter(action="reporting.cycle_update").exists()


def test_the_frequency_cannot_change_once_reports_exist(world):
    reporting = make_reporting(world)
    cycles.cycle_update(actor=world.staff, cycle=reporting.cycle, **fields(frequency="quarter"))
    reporting.cycle.refresh_from_db()
    assert reporting.cycle.frequency == "quarter"
    cycles.cycle_update(actor=world.staff, cycle=reporting.cycle, **fields())
    reporting.open("2024-05")
    with pytest.raises(ValidationError, match="不能修改填报频次"):
        cycles.cycle_update(actor=world.staff, cycle=reporting.cycle, **fields(frequency="year"))


def test_deactivate_and_activate(world):
    reporting = make_reporting(world)
    cycle = reporting.cycle
    cycles.cycle_deactivate(actor=world.staff, cycle=cycle)
    cycles.cycle_deactivate(actor=world.staff, cycle=cycle)  # already stopped: nothing more
    cycle.refresh_from_db()
    assert cycle.is_active is False
    with pytest.raises(ValidationError, match="已停用"):
        cycles.cycle_open_period(actor=world.staff, cycle=cycle, period="2024-05")
    cycles.cycle_activate(actor=world.staff, cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.is_active is True
    actions = AuditEvent.objects.filter(action__startswith="reporting.cycle_").values_list(
        "action", flat=True
    )
    assert list(actions.order_by("pk")) == [
        "reporting.cycle_deactivate",
        "reporting.cycle_activate",
    ]
    with pytest.raises(PermissionDenied):
        cycles.cycle_deactivate(actor=reporting.county_staff, cycle=cycle)


def test_open_period_creates_the_expected_reports(world):
    reporting = make_reporting(world, ends_on=datetime.date(2024, 12, 31))
    opened = cycles.cycle_open_period(actor=world.staff, cycle=reporting.cycle, period="2024-05")
    assert opened.created == 5 == ProgressReport.objects.count()
    event = AuditEvent.objects.get(action="reporting.open_period")
    assert event.actor_username == "staff"
    with pytest.raises(ValidationError, match="不在该周期的起止日期之内"):
        cycles.cycle_open_period(actor=world.staff, cycle=reporting.cycle, period="2025-01")
    with pytest.raises(ValidationError, match="不是每月的填报期间"):
        cycles.cycle_open_period(actor=world.staff, cycle=reporting.cycle, period="2024-Q2")
    with pytest.raises(ValidationError, match="无法识别"):
        cycles.cycle_open_period(actor=world.staff, cycle=reporting.cycle, period="五月")


# --- the schedule -----------------------------------------------------------------------------


def _texts(cycle: ReportingCycle, today: datetime.date, count: int = 6) -> list[str]:
    return [
        f"{s.period.label} 截止 {s.due_text}{s.moved_text}"
        for s in cycles.cycle_schedule(cycle, count=count, today=today)
    ]


def test_schedule_clamps_the_due_day_to_the_month_end(plan):
    cycle = ReportingCycle(plan=plan, **{k: v for k, v in fields().items() if k != "tasks"})
    assert _texts(cycle, datetime.date(2024, 1, 15)) == [
        "2024年1月 截止 2024年1月30日（周二）",
        "2024年2月 截止 2024年2月29日（周四）",
        "2024年3月 截止 2024年3月30日（周六）",
        "2024年4月 截止 2024年4月30日（周二）",
        "2024年5月 截止 2024年5月30日（周四）",
        "2024年6月 截止 2024年6月30日（周日）",
    ]
    assert _texts(cycle, datetime.date(2025, 2, 1), count=1) == [
        "2025年2月 截止 2025年2月28日（周五）"
    ]


def test_schedule_moves_the_due_day_past_the_national_day_holiday(plan):
    data = fields(due_rule=DueRule.DAYS_AFTER, days_after=1, next_workday=True, lock_after_days=5)
    cycle = ReportingCycle(plan=plan, **{k: v for k, v in data.items() if k != "tasks"})
    [september, october] = cycles.cycle_schedule(cycle, count=2, today=datetime.date(2024, 9, 10))
    # 1 October 2024 is a holiday (1–7 October): the due day moves to Tuesday the 8th
    assert (september.moved_from, september.due_on) == (
        datetime.date(2024, 10, 1),
        datetime.date(2024, 10, 8),
    )
    assert september.locks_on == datetime.date(2024, 10, 13)
    assert september.moved_text == "（2024年10月1日（周二）为非工作日，顺延）"
    assert (october.due_on, october.moved_from) == (datetime.date(2024, 11, 1), None)


def test_schedule_stops_at_the_end_date_and_opens_with_the_window(plan):
    data = fields(frequency="quarter", window_days=10, ends_on=datetime.date(2024, 9, 30))
    cycle = ReportingCycle(plan=plan, **{k: v for k, v in data.items() if k != "tasks"})
    found = cycles.cycle_schedule(cycle, today=datetime.date(2024, 2, 1))
    assert [s.period.key for s in found] == ["2024-Q1", "2024-Q2", "2024-Q3"]
    assert found[0].opens_on == datetime.date(2024, 3, 20)
    assert found[0].locks_on is None


def test_rule_text(plan):
    cycle = make_cycle(plan)
    assert cycles.rule_text(cycle) == "每月30日前（当月无此日的按月末计）"
    cycle.frequency, cycle.due_day, cycle.next_workday = "quarter", 20, True
    assert cycles.rule_text(cycle) == "每季度末月20日前，遇节假日顺延"
    cycle.due_rule, cycle.days_after = DueRule.DAYS_AFTER, 15
    assert cycles.rule_text(cycle) == "每季度结束后15日内，遇节假日顺延"


# --- reopening --------------------------------------------------------------------------------


@pytest.fixture
def locked(world):
    """May 2024 (due Thursday 30 May) locks 5 days later, at the end of 4 June."""
    reporting = make_reporting(world, lock_after_days=5)
    reporting.open("2024-05")
    return reporting


def test_reopen_lifts_the_lock_for_one_unit_until_the_day(locked, world):
    cycle, hospital = locked.cycle, world.hospital
    with time_machine.travel(at("2024-06-10 09:00"), tick=False):
        assert "已于2024年6月4日锁定" in (lock_reason(cycle, hospital, "2024-05") or "")
        reopening = cycles.reopen(
            actor=locked.county_staff,
            cycle=cycle,
            organization=hospital,
            period="2024-05",
            reason="系统故障未能按时报送",
            until=datetime.date(2024, 6, 17),
        )
        assert lock_reason(cycle, hospital, "2024-05") is None
        assert lock_reason(cycle, world.county, "2024-05") is not None  # only that unit
    assert reopening.until == end_of_day(datetime.date(2024, 6, 17))
    assert (reopening.by, reopening.reason) == (locked.county_staff, "系统故障未能按时报送")
    step = ReviewStep.objects.get(action=ReviewAction.REOPEN)
    assert (step.organization, step.actor_organization) == (hospital, world.county)
    event = AuditEvent.objects.get(action="reporting.reopen")
    assert event.object_type == "reporting.reopening" and event.summary["period"] == "2024-05"
    with time_machine.travel(at("2024-06-18 00:00:01"), tick=False):
        assert lock_reason(cycle, hospital, "2024-05") is not None  # the reopening ran out


def test_reopen_is_for_the_approving_level_and_the_owner(locked, world):
    cycle = locked.cycle
    with time_machine.travel(at("2024-06-10 09:00"), tick=False):
        args = {"cycle": cycle, "period": "2024-05", "reason": "补报", "until": None}
        until = datetime.date(2024, 6, 12)
        cycles.reopen(actor=world.leader, organization=world.hospital, **{**args, "until": until})
        cycles.reopen(actor=world.staff, organization=world.county, **{**args, "until": until})
        # the county is the hospital's approving level, not its own
        with pytest.raises(PermissionDenied, match="只有萍乡市卫生健康委员会的科室人员或领导"):
            cycles.reopen(
                actor=locked.county_staff, organization=world.county, **{**args, "until": until}
            )
        with pytest.raises(PermissionDenied):
            cycles.reopen(
                actor=world.county_reporter,
                organization=world.hospital,
                **{**args, "until": until},
            )
    assert Reopening.objects.count() == 2


@pytest.mark.parametrize(
    ("reason", "until", "field", "message"),
    [
        ("", datetime.date(2024, 6, 12), "reason", "请填写重新开放的原因。"),
        ("补报", datetime.date(2024, 6, 9), "until", "开放截止日期不能早于今天"),
        ("补报", None, "until", "请填写开放截止日期"),
        ("补报", datetime.date(2025, 7, 1), "until", "重新开放最长366天"),
    ],
)
def test_reopen_validates_in_chinese(locked, world, reason, until, field, message):
    with (
        time_machine.travel(at("2024-06-10 09:00"), tick=False),
        pytest.raises(ValidationError) as e,
    ):
        cycles.reopen(
            actor=world.staff,
            cycle=locked.cycle,
            organization=world.hospital,
            period="2024-05",
            reason=reason,
            until=until,
        )
    assert e.value.message_dict == {field: [message]}
    assert not Reopening.objects.exists() and not ReviewStep.objects.exists()


def test_reopen_needs_a_report_of_that_unit(locked, world):
    with time_machine.travel(at("2024-06-10 09:00"), tick=False):
        with pytest.raises(ValidationError, match="没有应填报的报告"):
            cycles.reopen(
                actor=world.staff,
                cycle=locked.cycle,
                organization=world.hospital,
                period="2024-04",
                reason="补报",
                until=datetime.date(2024, 6, 12),
            )


def test_period_helpers_agree_with_the_model(locked):
    cycle = locked.cycle
    [may] = cycles.cycle_schedule(cycle, count=1, today=datetime.date(2024, 5, 2))
    period = Period.parse("2024-05")
    assert may.due_on == cycle.due_date(period)
    assert may.locks_on is not None and end_of_day(may.locks_on) == cycle.locks_at(period)
    assert may.opens_on == cycle.opens_on(period)
