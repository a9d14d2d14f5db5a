"""问责: a task past its deadline and not complete asks its unit for the reason and a new
deadline (说明原因及延期完成时限); repeated lateness goes on the agenda of the leading group's
next meeting (RULES.md, periodic reporting).

Which tasks. Every task of an active reporting cycle that has begun (its chosen tasks, or all
the plan's tasks) with a deadline (`Task.due_on`), for each unit that carries it as 牵头 or 责任
(partners are not held to account; the cycle's `include_partners` concerns reporting only),
while the unit is active and not closed. A task under two cycles is checked once, under the
first.

When it is overdue. On a day after its deadline, once the report of the period holding the
deadline was due (the cycle's first period when the deadline came before the cycle began):
until then the unit has not had the report in which to say the task was done. It is complete
when the unit's latest standing report on it — submitted, approved or accepted, the latest
period first (a returned report is being corrected and does not stand) — says 已完成. No
report at all is not complete.

One record per task × unit × task deadline. Changing the task's deadline in the plan makes a
later miss a new record; a closed record ends the matter for its deadline. Completing the
task late does not close the record (the lateness still wants its explanation): the plan's
owner closes it with a decision.

Misses. A record is opened with one miss. While the task stays overdue against the record's
current deadline (the unit's new deadline once it explained, the task's otherwise) it gains
one more miss in each later reporting period of the cycle, and at once when the unit's new
deadline passes (the record goes back to 待说明, asking again). While a new deadline has not
passed nothing is counted. When misses reach the cycle's `escalate_after_misses` (0: never)
the record becomes an agenda item of the leading group (a committee of kind 领导小组 hosted by
the plan's owner, top level first) waiting for its next meeting, and the record is
已提交会议. An owner without a leading group is named in the run's problems and the record
stays as it is, to be escalated on a later run once the group exists.

Each unit is notified of each new miss once (the notification key carries the record and its
miss count), so `open_overdue` can run any number of times a day. Its events are written as
"manage.py open_accountability" in the plan owner's trail.

The unit's 填报员 or 科室人员 explain (`explain`); the 科室人员 or 领导 of the plan's owner or
above close (`close`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from weijian.accounts.access import refuse, require_role_over
from weijian.accounts.models import User
from weijian.accounts.roles import Role, has_role
from weijian.core import audit
from weijian.core.dates import chinese_date
from weijian.core.workdays import WorkdayDataMissing
from weijian.notifications.services import notify
from weijian.orgs.models import Committee
from weijian.orgs.models.committees import CommitteeKind
from weijian.plans.models import Assignment, AssignmentRole
from weijian.reporting.models import (
    Accountability,
    AccountabilityStatus,
    AgendaSource,
    ProgressReport,
    ReportingCycle,
    ReportStatus,
    TaskStatus,
)
from weijian.reporting.periods import Period
from weijian.reporting.services.expected import cycle_tasks
from weijian.reporting.services.meetings import queue_item

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

audit.register_actions(
    {
        "reporting.accountability_open": "发起问责",
        "reporting.accountability_miss": "问责任务再次逾期",
        "reporting.accountability_escalate": "问责事项提交领导小组会议",
        "reporting.accountability_explain": "说明逾期原因",
        "reporting.accountability_close": "办结问责事项",
    }
)

ACCOUNTABLE_ROLES = (AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE)
# A report states the task's status in these states (a returned one is being corrected).
STANDING = (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.ACCEPTED)
EXPLAINERS = (Role.REPORTER, Role.STAFF)
DECIDERS = (Role.STAFF, Role.LEADER)
SYSTEM = "manage.py open_accountability"
TEXT_LENGTH = 2000
Status = AccountabilityStatus


# --- finding the overdue tasks ----------------------------------------------------------------


@dataclass(frozen=True)
class Overdue:
    """A task × unit past the task's deadline and not complete."""

    task_id: int
    organization_id: int
    due_on: datetime.date
    task: str
    unit: str


def checked_after(cycle: ReportingCycle, due_on: datetime.date) -> datetime.date:
    """The last day before a task due on `due_on` counts as overdue: the later of the deadline
    and the due day of the report of the period holding it (of the cycle's first period when
    the deadline came before the cycle began). May raise WorkdayDataMissing."""
    period = Period.containing(cycle.frequency, max(due_on, cycle.starts_on))
    return max(due_on, cycle.due_date(period))


def overdue_tasks(cycle: ReportingCycle, today: datetime.date) -> list[Overdue]:
    """The cycle's task × unit pairs overdue on `today` (one query)."""
    latest = (
        ProgressReport.objects.filter(
            task=OuterRef("task"), organization=OuterRef("organization"), status__in=STANDING
        )
        .order_by("-period_end", F("submitted_at").desc(nulls_last=True), "-pk")
        .values("task_status")[:1]
    )
    rows = (
        Assignment.objects.filter(
            task__in=cycle_tasks(cycle),
            role__in=ACCOUNTABLE_ROLES,
            organization__isnull=False,
            organization__is_active=True,
            task__due_on__lt=today,
        )
        .exclude(organization__closed_on__lte=today)
        .annotate(stated=Subquery(latest))
        .values_list(
            "task_id",
            "organization_id",
            "task__due_on",
            "task__path",
            "task__title",
            "organization__name",
            "stated",
        )
        .order_by("task__order", "organization__name")
    )
    found: dict[tuple[int, int], Overdue] = {}
    for task_id, org_id, due_on, path, title, unit, stated in rows:
        if due_on is None or stated == TaskStatus.DONE or today <= checked_after(cycle, due_on):
            continue
        task = f"{path} {title}".strip()
        found.setdefault((task_id, org_id), Overdue(task_id, org_id, due_on, task, unit))
    return list(found.values())


# --- what a run does to one record ------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    action: str  # "open", "miss" or "" (nothing to count)
    misses: int
    escalate: bool


def next_step(
    record: Accountability | None, *, period: str, today: datetime.date, threshold: int
) -> Step:
    """What today's check does to the record of an overdue task × unit (see the module's
    docstring). Pure."""
    if record is None:
        return Step("open", 1, 0 < threshold <= 1)
    if record.status == Status.CLOSED:
        return Step("", record.misses, False)
    if (record.new_due_on or record.due_on) >= today:
        return Step("", record.misses, False)
    missed = record.status == Status.EXPLAINED or record.period != period
    misses = record.misses + 1 if missed else record.misses
    escalate = (
        record.status in (Status.OPEN, Status.EXPLAINED)
        and record.agenda_item_id is None
        and 0 < threshold <= misses
    )
    return Step("miss" if missed else "", misses, escalate)


# --- the daily run ----------------------------------------------------------------------------


@dataclass
class Run:
    today: datetime.date
    dry_run: bool = False
    opened: int = 0
    missed: int = 0
    escalated: int = 0
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def leading_group(owner_id: int) -> Committee | None:
    """The leading group hosted by the organization: a top-level one first."""
    groups = Committee.objects.filter(host_id=owner_id, kind=CommitteeKind.LEADING_GROUP)
    return groups.order_by(F("parent").asc(nulls_first=True), "order", "pk").first()


def open_overdue(*, today: datetime.date, dry_run: bool = False) -> Run:
    """Open or count the accountability records of every overdue task × unit (see the module's
    docstring); with `dry_run`, say what would happen and write nothing."""
    run = Run(today=today, dry_run=dry_run)
    cycles = ReportingCycle.objects.filter(is_active=True, starts_on__lte=today)
    seen: set[tuple[int, int]] = set()
    groups: dict[int, Committee | None] = {}
    for cycle in cycles.select_related("plan__owner").order_by("pk"):
        try:
            found = [
                o for o in overdue_tasks(cycle, today) if (o.task_id, o.organization_id) not in seen
            ]
        except WorkdayDataMissing as error:
            run.problems.append(f"{cycle}：{error}")
            continue
        seen.update((o.task_id, o.organization_id) for o in found)
        records = _records(found)
        period = Period.containing(cycle.frequency, today).key
        for overdue in found:
            record = records.get((overdue.task_id, overdue.organization_id, overdue.due_on))
            step = next_step(
                record, period=period, today=today, threshold=cycle.escalate_after_misses
            )
            if step.action or step.escalate:
                _take(run, cycle, overdue, record, step, period=period, groups=groups)
    return run


def _records(found: list[Overdue]) -> dict[tuple[int, int, datetime.date], Accountability]:
    """The existing record of each task × unit × deadline (the latest, should there be two)."""
    rows = Accountability.objects.filter(task_id__in={o.task_id for o in found}).order_by("pk")
    return {(r.task_id, r.organization_id, r.due_on): r for r in rows}


def _group(groups: dict[int, Committee | None], owner_id: int) -> Committee | None:
    if owner_id not in groups:
        groups[owner_id] = leading_group(owner_id)
    return groups[owner_id]


def _take(
    run: Run,
    cycle: ReportingCycle,
    overdue: Overdue,
    record: Accountability | None,
    step: Step,
    *,
    period: str,
    groups: dict[int, Committee | None],
) -> None:
    owner = cycle.plan.owner
    committee = _group(groups, owner.pk) if step.escalate else None
    if step.escalate and committee is None:
        problem = (
            f"{owner.name}没有领导小组：逾期达到{cycle.escalate_after_misses}次的问责事项"
            "无法列入会议议题，请在组织机构中登记领导小组"
        )
        if problem not in run.problems:
            run.problems.append(problem)
    _say(run, overdue, step, committee)
    if run.dry_run:
        return
    with transaction.atomic():
        if step.action == "open":
            record = Accountability.objects.create(
                task_id=overdue.task_id,
                organization_id=overdue.organization_id,
                cycle=cycle,
                period=period,
                due_on=overdue.due_on,
            )
            _event("reporting.accountability_open", record, cycle, overdue)
        elif step.action == "miss" and record is not None:
            record.misses, record.period = step.misses, period
            if record.status == Status.EXPLAINED:
                record.status = Status.OPEN
            record.save(update_fields=["misses", "period", "status", "updated_at"])
            _event("reporting.accountability_miss", record, cycle, overdue)
        if committee is not None and record is not None:
            _escalate(record, committee, cycle, overdue)
        if step.action and record is not None:
            done = record
            transaction.on_commit(lambda: _notify(done, cycle, overdue))


def _say(run: Run, overdue: Overdue, step: Step, committee: Committee | None) -> None:
    what = f"{overdue.unit}：“{overdue.task}”（完成时限{chinese_date(overdue.due_on)}）"
    if step.action == "open":
        run.opened += 1
        run.lines.append(f"{what}逾期未完成，发起问责")
    elif step.action == "miss":
        run.missed += 1
        run.lines.append(f"{what}第{step.misses}次逾期")
    if committee is not None:
        run.escalated += 1
        run.lines.append(f"{what}逾期{step.misses}次，列入{committee.name}会议议题")


def _event(action: str, record: Accountability, cycle: ReportingCycle, overdue: Overdue) -> None:
    audit.record(
        action=action,
        actor=None,
        obj=record,
        organization=cycle.plan.owner,
        username=SYSTEM,
        summary={
            "cycle": cycle.pk,
            "task": overdue.task_id,
            "task_name": overdue.task,
            "organization": overdue.organization_id,
            "unit": overdue.unit,
            "due_on": overdue.due_on.isoformat(),
            "misses": record.misses,
            "period": record.period,
            "status": record.status,
        },
    )


def _escalate(
    record: Accountability, committee: Committee, cycle: ReportingCycle, overdue: Overdue
) -> None:
    explained = f"\n单位说明：{record.explanation}" if record.explanation else ""
    item = queue_item(
        committee=committee,
        source=AgendaSource.ACCOUNTABILITY,
        title=f"{overdue.unit}“{overdue.task}”逾期未完成（{record.misses}次）",
        description=(
            f"方案：{cycle.plan.title}\n完成时限：{chinese_date(overdue.due_on)}"
            f"\n逾期次数：{record.misses}{explained}"
        ),
    )
    record.agenda_item, record.status = item, Status.ESCALATED
    record.save(update_fields=["agenda_item", "status", "updated_at"])
    _event("reporting.accountability_escalate", record, cycle, overdue)


def detail_url(record: Accountability) -> str:
    return reverse("reporting:accountability_detail", args=[record.pk])


def _notify(record: Accountability, cycle: ReportingCycle, overdue: Overdue) -> None:
    recipients = User.objects.filter(
        organization_id=record.organization_id, is_active=True, groups__name__in=EXPLAINERS
    ).distinct()
    count = "" if record.misses == 1 else f"第{record.misses}次"
    notify(
        users=recipients,
        kind="reporting.accountability",
        title=f"“{overdue.task}”{count}逾期未完成，请说明原因及延期完成时限",
        body=(
            f"{cycle.plan.title}：该任务的完成时限为{chinese_date(overdue.due_on)}。"
            "请说明未完成的原因，并提出延期完成时限。"
        ),
        url=detail_url(record),
        key=f"accountability:{record.pk}:{record.misses}",
    )


# --- the unit explains, the owner closes ------------------------------------------------------


def may_explain(user: User | AnonymousUser, record: Accountability) -> bool:
    return (
        has_role(user, *EXPLAINERS)
        and user.organization.pk == record.organization_id  # type: ignore[union-attr]
        and record.status != Status.CLOSED
    )


def may_close(user: User | AnonymousUser, record: Accountability) -> bool:
    owner = record.task.plan.owner
    return (
        has_role(user, *DECIDERS)
        and owner.is_within(user.organization)  # type: ignore[union-attr]
        and record.status != Status.CLOSED
    )


def _clean_text(value: str, *, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: f"请填写{label}"})
    if len(text) > TEXT_LENGTH:
        raise ValidationError({field: f"{label}不能超过{TEXT_LENGTH}个字"})
    return text


def _values(record: Accountability) -> dict[str, Any]:
    return {
        "status": record.status,
        "explanation": record.explanation,
        "new_due_on": record.new_due_on.isoformat() if record.new_due_on else None,
        "decision": record.decision,
    }


def _record_change(action: str, *, actor: User, record: Accountability, before: dict) -> None:
    audit.record(
        action=action,
        actor=actor,
        obj=record,
        organization=record.task.plan.owner,
        summary={
            "task": record.task_id,
            "unit": record.organization.name,
            "organization": record.organization_id,
            "changes": audit.changes(before, _values(record)),
        },
    )


def explain(
    *,
    actor: User,
    accountability: Accountability,
    explanation: str,
    new_due_on: datetime.date | None,
) -> Accountability:
    """The unit says why the task is late and by when it will be done (a day after today).
    The record becomes 已说明 (one on a meeting's agenda stays 已提交会议); it may be said again
    until the record is closed."""
    record = accountability
    if not has_role(actor, *EXPLAINERS) or actor.organization.pk != record.organization_id:
        raise refuse(
            actor=actor,
            obj=record,
            reason=f"只有{record.organization.name}的填报员或科室人员可以说明逾期原因。",
        )
    if record.status == Status.CLOSED:
        raise ValidationError("该问责事项已办结，不能再说明。")
    explanation = _clean_text(explanation, field="explanation", label="逾期未完成的原因")
    if not isinstance(new_due_on, datetime.date):
        raise ValidationError({"new_due_on": "请填写延期完成时限"})
    if new_due_on <= timezone.localdate():
        raise ValidationError({"new_due_on": "延期完成时限应晚于今天"})
    with transaction.atomic():
        before = _values(record)
        record.explanation, record.new_due_on = explanation, new_due_on
        if record.status == Status.OPEN:
            record.status = Status.EXPLAINED
        record.save(update_fields=["explanation", "new_due_on", "status", "updated_at"])
        _record_change(
            "reporting.accountability_explain", actor=actor, record=record, before=before
        )
    return record


def close(*, actor: User, accountability: Accountability, decision: str) -> Accountability:
    """The plan's owner (or above) closes the record with its decision (处理意见)."""
    record = accountability
    owner = record.task.plan.owner
    require_role_over(
        actor=actor,
        roles=DECIDERS,
        organizations=[owner],
        reason=f"只有{owner.name}或其上级单位的科室人员或领导可以办结问责事项。",
    )
    if record.status == Status.CLOSED:
        raise ValidationError("该问责事项已办结。")
    decision = _clean_text(decision, field="decision", label="处理意见")
    with transaction.atomic():
        before = _values(record)
        record.decision, record.status = decision, Status.CLOSED
        record.save(update_fields=["decision", "status", "updated_at"])
        _record_change("reporting.accountability_close", actor=actor, record=record, before=before)
    return record
