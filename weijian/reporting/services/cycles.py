"""Reporting cycles of a plan (create, change, stop, start again, open a period) and the
reopening of one unit × one period after its lock.

Cycles are kept by the plan editors (科室人员 of the plan's owner or above it, as for the plan
itself). Every function checks the actor before it opens its transaction (so a refusal's audit
event survives), validates with Chinese messages naming the field, and writes one audit event
in the owner's trail.

Changing a cycle's due rule moves the due moment of the reports not yet submitted (pending or
draft); a report already submitted keeps the due moment it was judged against. The frequency
cannot change once reports exist (their period keys are of the old frequency).
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from weijian.accounts.access import refuse, require_plan_editor
from weijian.accounts.roles import has_role
from weijian.core import audit
from weijian.core.dates import chinese_date
from weijian.core.workdays import WorkCalendar, WorkdayDataMissing
from weijian.plans.models import Plan, Task
from weijian.reporting.models import (
    DueRule,
    ProgressReport,
    Reopening,
    ReportingCycle,
    ReportStatus,
    ReviewStep,
)
from weijian.reporting.models.reports import ReviewAction
from weijian.reporting.periods import Frequency, Period, PeriodError, end_of_day
from weijian.reporting.services.expected import Opened, open_period
from weijian.reporting.services.review import (
    REVIEWERS,
    approving_level,
    clean_reason,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User
    from weijian.orgs.models import Organization

audit.register_actions(
    {
        "reporting.cycle_create": "新建填报周期",
        "reporting.cycle_update": "修改填报周期",
        "reporting.cycle_deactivate": "停用填报周期",
        "reporting.cycle_activate": "启用填报周期",
        "reporting.reopen": "重新开放填报",
    }
)

CYCLE_FIELDS = [
    "name",
    "frequency",
    "due_rule",
    "due_day",
    "days_after",
    "next_workday",
    "window_days",
    "lock_after_days",
    "include_partners",
    "weight_achievement",
    "weight_completeness",
    "weight_timeliness",
    "starts_on",
    "ends_on",
]
WEIGHTS = {
    "weight_achievement": "目标完成权重",
    "weight_completeness": "报送率权重",
    "weight_timeliness": "及时率权重",
}
MAX_DAYS_AFTER = 90
MAX_DAYS = 366  # the on-time window, the lock, a reopening
NOT_SUBMITTED = (ReportStatus.PENDING, ReportStatus.DRAFT)


# --- validation -------------------------------------------------------------------------------


def _whole(value: Any, *, field: str, label: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError({field: f"{label}应为{low}–{high}之间的整数"})
    return value


def _optional_days(value: Any, *, field: str, label: str) -> int | None:
    if value is None:
        return None
    return _whole(value, field=field, label=label, low=0, high=MAX_DAYS)


def clean_cycle(plan: Plan, data: dict[str, Any]) -> dict[str, Any]:
    """The cycle's fields checked (Chinese message on the field at fault), `tasks` as a list
    of the plan's tasks."""
    name = (data.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": "请填写周期名称，如：月度进展填报"})
    if len(name) > 100:
        raise ValidationError({"name": "周期名称不能超过100个字"})
    if data.get("frequency") not in Frequency.values:
        raise ValidationError({"frequency": "请选择填报频次：每月、每季度、每半年或每年"})
    if data.get("due_rule") not in DueRule.values:
        raise ValidationError({"due_rule": "请选择截止规则"})
    clean = {**data, "name": name}
    due_day = data.get("due_day")
    if due_day is None and data["due_rule"] == DueRule.DAYS_AFTER:
        due_day = 30  # not used by this rule; the column keeps its default
    clean["due_day"] = _whole(due_day, field="due_day", label="截止日", low=1, high=31)
    clean["days_after"] = _whole(
        data.get("days_after") or 0,
        field="days_after",
        label="期满后天数",
        low=0,
        high=MAX_DAYS_AFTER,
    )
    clean["window_days"] = _optional_days(
        data.get("window_days"), field="window_days", label="填报窗口天数"
    )
    clean["lock_after_days"] = _optional_days(
        data.get("lock_after_days"), field="lock_after_days", label="逾期锁定天数"
    )
    clean.update(_weights(data))
    clean.update(_dates(data))
    clean["next_workday"] = bool(data.get("next_workday"))
    clean["include_partners"] = bool(data.get("include_partners"))
    clean["tasks"] = _tasks(plan, data.get("tasks") or [])
    return clean


def _weights(data: dict[str, Any]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for field, label in WEIGHTS.items():
        value = data.get(field)
        if value is None or isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError({field: f"请填写{label}"})
        if value < 0 or value != value:  # negative, or NaN
            raise ValidationError({field: f"{label}不能为负数"})
        weights[field] = float(value)
    if not any(weights.values()):
        raise ValidationError({"weight_achievement": "三项权重不能全部为0"})
    return weights


def _dates(data: dict[str, Any]) -> dict[str, datetime.date | None]:
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts_on, datetime.date):
        raise ValidationError({"starts_on": "请填写起始日期"})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于起始日期"})
    return {"starts_on": starts_on, "ends_on": ends_on}


def _tasks(plan: Plan, tasks: Iterable[Task]) -> list[Task]:
    chosen = list(tasks)
    strangers = [t for t in chosen if t.plan_id != plan.pk]
    if strangers:
        raise ValidationError({"tasks": f"任务“{strangers[0]}”不属于本方案"})
    return chosen


# --- audit helpers ----------------------------------------------------------------------------


def _values(cycle: ReportingCycle) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in CYCLE_FIELDS:
        value = getattr(cycle, name)
        values[name] = value.isoformat() if isinstance(value, datetime.date) else value
    values["tasks"] = sorted(cycle.tasks.values_list("pk", flat=True))
    return values


def _record(action: str, *, actor: User, cycle: ReportingCycle, **summary: Any) -> None:
    audit.record(
        action=action,
        actor=actor,
        obj=cycle,
        organization=cycle.plan.owner,
        summary={"plan": cycle.plan_id, "cycle": cycle.name, **summary},
    )


def _editor(actor: User, plan: Plan) -> None:
    require_plan_editor(actor=actor, organizations=[plan.owner])


# --- cycles -----------------------------------------------------------------------------------


def cycle_create(*, actor: User, plan: Plan, **data: Any) -> ReportingCycle:
    """A new cycle on the plan (`data`: the fields of CYCLE_FIELDS and `tasks`, empty for
    every task of the plan)."""
    _editor(actor, plan)
    clean = clean_cycle(plan, data)
    tasks = clean.pop("tasks")
    with transaction.atomic():
        cycle = ReportingCycle.objects.create(plan=plan, **{k: clean[k] for k in CYCLE_FIELDS})
        cycle.tasks.set(tasks)
        _record("reporting.cycle_create", actor=actor, cycle=cycle, fields=_values(cycle))
    return cycle


def cycle_update(*, actor: User, cycle: ReportingCycle, **data: Any) -> ReportingCycle:
    """Change the cycle's fields; the due moment of the reports not yet submitted follows a
    changed due rule."""
    plan = cycle.plan
    _editor(actor, plan)
    clean = clean_cycle(plan, data)
    tasks = clean.pop("tasks")
    if clean["frequency"] != cycle.frequency and cycle.reports.exists():
        raise ValidationError(
            {"frequency": "该周期已有填报记录，不能修改填报频次；如需改变频次，请停用本周期后新建"}
        )
    with transaction.atomic():
        before = _values(cycle)
        for name in CYCLE_FIELDS:
            setattr(cycle, name, clean[name])
        cycle.save(update_fields=CYCLE_FIELDS)
        cycle.tasks.set(tasks)
        moved = _follow_due_rule(cycle)
        changes = audit.changes(before, _values(cycle))
        if changes:
            _record(
                "reporting.cycle_update",
                actor=actor,
                cycle=cycle,
                changes=changes,
                moved_due=moved,
            )
    return cycle


def _follow_due_rule(cycle: ReportingCycle) -> int:
    """Give the reports not yet submitted their period's due moment under the cycle's rule."""
    pending = ProgressReport.objects.filter(cycle=cycle, status__in=NOT_SUBMITTED)
    moved = 0
    for key in pending.values_list("period", flat=True).distinct():
        try:
            due_at = cycle.due_at(cycle.period(key))
        except WorkdayDataMissing as error:  # the transaction is rolled back
            raise ValidationError({"next_workday": str(error)}) from None
        moved += pending.filter(period=key).exclude(due_at=due_at).update(due_at=due_at)
    return moved


def cycle_deactivate(*, actor: User, cycle: ReportingCycle) -> ReportingCycle:
    """停用: no new period is opened and no reminder sent; the reports stay."""
    return _set_active(actor, cycle, active=False)


def cycle_activate(*, actor: User, cycle: ReportingCycle) -> ReportingCycle:
    return _set_active(actor, cycle, active=True)


def _set_active(actor: User, cycle: ReportingCycle, *, active: bool) -> ReportingCycle:
    _editor(actor, cycle.plan)
    if cycle.is_active == active:
        return cycle
    with transaction.atomic():
        cycle.is_active = active
        cycle.save(update_fields=["is_active"])
        action = "reporting.cycle_activate" if active else "reporting.cycle_deactivate"
        _record(action, actor=actor, cycle=cycle)
    return cycle


def cycle_open_period(*, actor: User, cycle: ReportingCycle, period: str) -> Opened:
    """Create the period's expected reports now (see `expected.open_period`)."""
    _editor(actor, cycle.plan)
    if not cycle.is_active:
        raise ValidationError({"period": "该周期已停用，不能开放新的填报期间"})
    found = _period(cycle, period)
    if found.end < cycle.starts_on or (cycle.ends_on is not None and found.start > cycle.ends_on):
        raise ValidationError({"period": f"{found.label}不在该周期的起止日期之内"})
    return open_period(cycle, found, source=actor.username)


def _period(cycle: ReportingCycle, key: str) -> Period:
    try:
        return cycle.period(key)
    except (PeriodError, ValueError) as error:
        raise ValidationError({"period": str(error)}) from None


# --- reopening ---------------------------------------------------------------------------------


def reopen_levels(cycle: ReportingCycle, organization: Organization) -> list[Organization]:
    """Who may reopen a unit's period: its approving level (if any) and the plan's owner."""
    level = approving_level(cycle, organization)
    return [level, cycle.plan.owner] if level is not None else [cycle.plan.owner]


def may_reopen(
    user: User | AnonymousUser, cycle: ReportingCycle, organization: Organization
) -> bool:
    if not has_role(user, *REVIEWERS):
        return False
    mine = user.organization.pk  # type: ignore[union-attr]
    return any(level.pk == mine for level in reopen_levels(cycle, organization))


def reopen(
    *,
    actor: User,
    cycle: ReportingCycle,
    organization: Organization,
    period: str,
    reason: str,
    until: datetime.date,
) -> Reopening:
    """Open one unit × one period again until the end of `until` (a date, Asia/Shanghai, or a
    moment): the lock no longer applies to that unit until then."""
    if not may_reopen(actor, cycle, organization):
        names = "或".join(level.name for level in reopen_levels(cycle, organization))
        raise refuse(
            actor=actor,
            obj=cycle,
            reason=f"只有{names}的科室人员或领导可以重新开放{organization.name}的填报。",
        )
    reason = clean_reason(reason, what="重新开放的")
    found = _period(cycle, period)
    moment = _until(until)
    if not ProgressReport.objects.filter(
        cycle=cycle, organization=organization, period=found.key
    ).exists():
        raise ValidationError({"period": f"{organization.name}在{found.label}没有应填报的报告"})
    with transaction.atomic():
        reopening = Reopening.objects.create(
            cycle=cycle,
            organization=organization,
            period=found.key,
            reason=reason,
            until=moment,
            by=actor,
        )
        ReviewStep.objects.create(
            cycle=cycle,
            organization=organization,
            period=found.key,
            action=ReviewAction.REOPEN,
            reason=reason,
            actor=actor,
            actor_organization=actor.organization,
        )
        audit.record(
            action="reporting.reopen",
            actor=actor,
            obj=reopening,
            summary={
                "cycle": cycle.pk,
                "unit": organization.name,
                "organization": organization.pk,
                "period": found.key,
                "reason": reason,
                "until": moment.isoformat(),
            },
        )
    return reopening


def _until(until: datetime.date | None) -> datetime.datetime:
    if until is None:
        raise ValidationError({"until": "请填写开放截止日期"})
    moment = until if isinstance(until, datetime.datetime) else end_of_day(until)
    now = timezone.now()
    if moment <= now:
        raise ValidationError({"until": "开放截止日期不能早于今天"})
    if moment - now > datetime.timedelta(days=MAX_DAYS):
        raise ValidationError({"until": f"重新开放最长{MAX_DAYS}天"})
    return moment


# --- the schedule a cycle gives -----------------------------------------------------------------

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Scheduled:
    """One period as the cycle's rule schedules it (the dates of the form page's preview)."""

    period: Period
    opens_on: datetime.date | None = None
    due_on: datetime.date | None = None
    locks_on: datetime.date | None = None
    moved_from: datetime.date | None = None  # the due day before the move to a working day
    error: str = ""

    @property
    def due_text(self) -> str:
        """2024年10月8日（周二）"""
        return _day(self.due_on)

    @property
    def moved_text(self) -> str:
        if self.moved_from is None:
            return ""
        return f"（{_day(self.moved_from)}为非工作日，顺延）"

    @property
    def opens_text(self) -> str:
        return _day(self.opens_on)

    @property
    def locks_text(self) -> str:
        return _day(self.locks_on)


def _day(day: datetime.date | None) -> str:
    if day is None:
        return ""
    return f"{chinese_date(day)}（周{WEEKDAYS[day.weekday()]}）"


def cycle_schedule(
    cycle: ReportingCycle,
    *,
    count: int = 6,
    today: datetime.date | None = None,
    calendar: WorkCalendar | None = None,
) -> list[Scheduled]:
    """The next `count` periods of a cycle (saved or not) from the one containing today, or
    from its first when it starts later, within its end date. The working-day calendar is read
    once (or passed in, for a list of cycles); a year it does not know gives that period an
    error instead of dates."""
    today = today or timezone.localdate()
    period = Period.containing(cycle.frequency, max(today, cycle.starts_on))
    if cycle.next_workday and calendar is None:
        calendar = WorkCalendar.load()
    elif not cycle.next_workday:
        calendar = None
    plain = copy.copy(cycle)
    plain.next_workday = False
    found: list[Scheduled] = []
    while len(found) < count and (cycle.ends_on is None or period.start <= cycle.ends_on):
        found.append(_scheduled(cycle, plain.due_date(period), period, calendar))
        period = period.next()
    return found


def _scheduled(
    cycle: ReportingCycle, due: datetime.date, period: Period, calendar: WorkCalendar | None
) -> Scheduled:
    moved_from = None
    if calendar is not None:
        try:
            workday = calendar.next_workday(due)
        except WorkdayDataMissing as error:
            return Scheduled(period, error=str(error))
        moved_from, due = (due if workday != due else None), workday
    window, lock = cycle.window_days, cycle.lock_after_days
    return Scheduled(
        period,
        opens_on=period.start if window is None else due - datetime.timedelta(days=window),
        due_on=due,
        locks_on=None if lock is None else due + datetime.timedelta(days=lock),
        moved_from=moved_from,
    )


def rule_text(cycle: ReportingCycle) -> str:
    """The due rule in words: 每月30日前（遇节假日顺延）· 每季度结束后15日内."""
    frequency = Frequency(cycle.frequency)
    if cycle.due_rule == DueRule.DAYS_AFTER:
        text = f"{frequency.label}结束后{cycle.days_after}日内"
    else:
        month = {
            Frequency.MONTH: "每月",
            Frequency.QUARTER: "每季度末月",
            Frequency.HALF_YEAR: "每半年末月",
            Frequency.YEAR: "每年12月",
        }[frequency]
        text = f"{month}{cycle.due_day}日前"
        if cycle.due_day > 28:
            text += "（当月无此日的按月末计）"
    return text + ("，遇节假日顺延" if cycle.next_workday else "")
