"""The demo's reporting history: a monthly cycle on the demo plan (due on the 30th, locked ten
days later) and four months of reports before the current one — on time, late, missing,
returned, accepted — so that every reporting page shows something real after `make run`.

History needs past timestamps, which the services (acting now) cannot give: the loader writes
the rows itself, as trusted server code, and records one `demo.reporting` audit event. The
current month is left open (the demo reporter's county has not reported yet) for people to try
the flow through the pages. Idempotent: an existing demo cycle is left alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone

from weijian.accounts.models import User
from weijian.core import audit
from weijian.orgs.models import Committee, CommitteeKind, Organization
from weijian.plans.demo import TITLE as PLAN_TITLE
from weijian.plans.models import Plan
from weijian.reporting.models import (
    ProgressReport,
    ReportingCycle,
    ReportStatus,
    ReviewAction,
    ReviewStep,
    TargetValue,
    TaskStatus,
)
from weijian.reporting.periods import SHANGHAI, Period, month_day
from weijian.reporting.services import accountability, meetings, visits
from weijian.reporting.services.expected import open_period
from weijian.reporting.services.submission import target_met

audit.register_actions({"demo.reporting": "载入演示填报数据"})

CYCLE = "月度进展填报"
DEMO_STAFF = "staff"
MONTHS = 4  # full months of history before the current one
# What each unit did in each past month (by the unit's position, month by month, oldest first):
# on time (day of the due month), late (day of the next month), missing, returned.
PATTERNS = [
    ["ok:20", "ok:25", "ok:28", "ok:26"],
    ["ok:29", "late:2", "ok:27", "late:3"],
    ["ok:22", "ok:24", "missing", "returned:28"],
    ["late:5", "missing", "late:1", "missing"],
    ["ok:18", "ok:19", "ok:21", "ok:23"],
]
PROGRESS = {
    TaskStatus.DONE: "已按计划完成，相关资料已归档。",
    TaskStatus.IN_PROGRESS: "按月推进，已完成阶段性工作，下月继续推进。",
    TaskStatus.LAGGING: "受人员和经费到位滞后影响，进度慢于计划。",
}

Say = Callable[[str], None]


def load_reporting(say: Say) -> None:
    plan = Plan.objects.filter(title=PLAN_TITLE).first()
    if plan is None:
        return
    if ReportingCycle.objects.filter(plan=plan, name=CYCLE).exists():
        say(f"演示填报：{CYCLE}（已存在）。")
        return
    current = Period.containing("month", timezone.localdate())
    first = current
    for _ in range(MONTHS):
        first = first.previous()
    cycle = ReportingCycle.objects.create(
        plan=plan, name=CYCLE, due_day=30, lock_after_days=10, starts_on=first.start
    )
    counts = {"ok": 0, "late": 0, "missing": 0, "returned": 0}
    period = first
    for month in range(MONTHS):
        open_period(cycle, period, source="load_demo")
        units = _units(cycle, period)
        for position, organization_id in enumerate(units):
            kind = PATTERNS[position % len(PATTERNS)][month]
            counts[kind.split(":")[0]] += 1
            _history(cycle, period, organization_id, kind, last=month == MONTHS - 1)
        period = period.next()
    open_period(cycle, current, source="load_demo")
    _oversight(plan, current)
    accountability.open_overdue(today=timezone.localdate())
    audit.record(
        action="demo.reporting",
        actor=None,
        obj=cycle,
        organization=plan.owner,
        username="load_demo",
        summary={"months": MONTHS, **counts},
    )
    say(
        f"演示填报：{CYCLE}，{first.label}起{MONTHS}个月，按时 {counts['ok']}、逾期 "
        f"{counts['late']}、未报 {counts['missing']}、退回 {counts['returned']} 份单位报告。"
    )


def _oversight(plan: Plan, current: Period) -> None:
    """A supervision visit with findings, one raised to the leading group, and a meeting that
    decided a follow-up action — through the services, as the demo's department staff."""
    actor = User.objects.filter(username=DEMO_STAFF).first()
    group = Committee.objects.filter(host=plan.owner, kind=CommitteeKind.LEADING_GROUP).first()
    visited = Organization.objects.filter(name="莲花县卫生健康委员会").first()
    if actor is None or group is None or visited is None:
        return
    earlier = current.previous().start
    visit = visits.visit_create(
        actor=actor,
        organization=visited,
        visited_on=earlier + datetime.timedelta(days=9),
        purpose="紧密型县域医共体建设推进情况",
        team="张科、李明",
        summary="医共体牵头医院已完成组建，总额付费方案尚未出台。",
        plan=plan,
    )
    visits.finding_add(
        actor=actor,
        visit=visit,
        text="乡镇卫生院人员编制未统筹使用。",
        rectify_by=current.end,
    )
    finding = visits.finding_add(
        actor=actor, visit=visit, text="医保基金总额付费方案尚未出台，需市级协调。"
    )
    item = visits.raise_finding(actor=actor, finding=finding, committee=group)
    meeting = meetings.meeting_create(
        actor=actor,
        committee=group,
        title=f"{group.name}{current.previous().label}工作调度会",
        held_on=earlier + datetime.timedelta(days=20),
        chair="彭文华",
        minutes="会议听取了各县（区）医共体建设进展汇报，研究了督导发现的问题。",
    )
    item.refresh_from_db()
    meetings.item_update(
        actor=actor,
        item=item,
        title=item.title,
        description=item.description,
        decision="由市医保局会同市卫健委于下月底前出台医共体医保基金总额付费方案。",
    )
    meetings.follow_up_add(
        actor=actor,
        item=item,
        title="出台医共体医保基金总额付费方案",
        organization=plan.owner,
        due_on=current.end,
    )
    del meeting


def _units(cycle: ReportingCycle, period: Period) -> list[int]:
    rows = ProgressReport.objects.filter(cycle=cycle, period=period.key)
    return sorted(set(rows.values_list("organization_id", flat=True)))


def _history(
    cycle: ReportingCycle, period: Period, organization_id: int, kind: str, *, last: bool
) -> None:
    if kind == "missing":
        return
    what, _, day_text = kind.partition(":")
    day = int(day_text)
    if what == "late":
        submitted = _moment(period.next(), day, 10)
    else:
        submitted = _moment(period, day, 16)
    rows = list(
        ProgressReport.objects.filter(
            cycle=cycle, period=period.key, organization_id=organization_id
        ).select_related("task")
    )
    status = ReportStatus.ACCEPTED if not last else ReportStatus.SUBMITTED
    if what == "returned":
        status = ReportStatus.RETURNED
    for index, row in enumerate(rows):
        _fill(row, index, submitted, status, lagging=what == "late")
    _steps(cycle, period, organization_id, submitted, status)


def _moment(period: Period, day: int, hour: int) -> datetime.datetime:
    date = month_day(period.year, period.last_month, day)
    return datetime.datetime.combine(date, datetime.time(hour, 30), tzinfo=SHANGHAI)


def _fill(
    row: ProgressReport,
    index: int,
    submitted: datetime.datetime,
    status: str,
    *,
    lagging: bool,
) -> None:
    task_status = TaskStatus.LAGGING if lagging and index == 0 else TaskStatus.IN_PROGRESS
    row.task_status = task_status
    row.percent = 40 + (index * 15) % 50
    row.progress = PROGRESS[TaskStatus(task_status)]
    if task_status == TaskStatus.LAGGING:
        row.shortfall_reason = "专项经费尚未拨付到位。"
        row.next_steps = "协调财政部门加快拨付，下月补齐进度。"
    row.status = status
    row.submitted_at = row.first_submitted_at = submitted
    row.on_time = submitted <= row.due_at
    if status == ReportStatus.RETURNED:
        row.return_reason = "未填写指标当前值，请补充后重新报送。"
    values = [
        (target, round(target.value * (1.02 if (index + number) % 3 else 0.9), 2))
        for number, target in enumerate(row.task.targets.select_related("indicator"))
    ]
    if not row.shortfall_reason and not all(target_met(t, v) for t, v in values):
        # as submitting requires: a missed target is explained
        row.shortfall_reason = "年度目标按季度分解，本月数据尚未达到目标值，预计年底前达标。"
    row.save()
    TargetValue.objects.bulk_create(
        TargetValue(report=row, target=target, value=value) for target, value in values
    )


def _steps(
    cycle: ReportingCycle,
    period: Period,
    organization_id: int,
    submitted: datetime.datetime,
    status: str,
) -> None:
    owner = cycle.plan.owner
    steps = [(ReviewAction.SUBMIT, "", submitted, organization_id)]
    if status == ReportStatus.ACCEPTED:
        accepted = submitted + datetime.timedelta(days=3)
        steps.append((ReviewAction.ACCEPT, "", accepted, owner.pk))
    if status == ReportStatus.RETURNED:
        returned = submitted + datetime.timedelta(days=1)
        steps.append(
            (ReviewAction.RETURN, "未填写指标当前值，请补充后重新报送。", returned, owner.pk)
        )
    for action, reason, at, by in steps:
        step = ReviewStep.objects.create(
            cycle=cycle,
            organization_id=organization_id,
            period=period.key,
            action=action,
            reason=reason,
            actor_organization_id=by,
        )
        ReviewStep.objects.filter(pk=step.pk).update(at=at)
