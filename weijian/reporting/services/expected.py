"""Expected reports: a cycle's period is opened by creating one pending `ProgressReport` per
task × unit that must report (lead and responsible units, partners when the cycle says so),
for the units open during that period. Idempotent: opening again adds what is missing and
drops the untouched rows nobody is expected to fill any more."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet

from weijian.core import audit
from weijian.orgs.models import Organization
from weijian.plans.models import Assignment, AssignmentRole, Task
from weijian.reporting.models import ProgressReport, ReportingCycle, ReportStatus
from weijian.reporting.periods import Period, periods

audit.register_actions({"reporting.open_period": "开放填报期间"})


@dataclass(frozen=True)
class Opened:
    period: Period
    created: int
    removed: int
    expected: int
    unlinked: int  # assignments naming a unit no organization is linked to: nobody can report


def cycle_tasks(cycle: ReportingCycle) -> QuerySet[Task]:
    chosen = cycle.tasks.all()
    return chosen if chosen.exists() else Task.objects.filter(plan=cycle.plan)


def reporting_roles(cycle: ReportingCycle) -> list[str]:
    roles: list[str] = [AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE]
    return [*roles, AssignmentRole.PARTNER] if cycle.include_partners else roles


def open_during(period: Period) -> Q:
    """Organizations open at some time in the period: opened by its end, not closed before
    its start."""
    return (Q(opened_on__isnull=True) | Q(opened_on__lte=period.end)) & (
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)
    )


def expected_pairs(cycle: ReportingCycle, period: Period) -> set[tuple[int, int]]:
    """(task, organization) pairs that must report for the period."""
    open_units = Organization.objects.filter(open_during(period)).values("pk")
    rows = Assignment.objects.filter(
        task__in=cycle_tasks(cycle),
        role__in=reporting_roles(cycle),
        organization__in=open_units,
    ).values_list("task_id", "organization_id")
    return set(rows)


def open_period(cycle: ReportingCycle, period: Period, *, source: str = "") -> Opened:
    """Create the period's expected reports (see the module's docstring)."""
    if period.frequency != cycle.frequency:
        raise ValueError(f"“{period}”不是{cycle.get_frequency_display()}的填报期间")
    wanted = expected_pairs(cycle, period)
    due_at = cycle.due_at(period)
    with transaction.atomic():
        existing = ProgressReport.objects.filter(cycle=cycle, period=period.key)
        have = set(existing.values_list("task_id", "organization_id"))
        missing = [
            ProgressReport(
                cycle=cycle,
                task_id=task_id,
                organization_id=org_id,
                period=period.key,
                period_start=period.start,
                period_end=period.end,
                due_at=due_at,
            )
            for task_id, org_id in sorted(wanted - have)
        ]
        ProgressReport.objects.bulk_create(missing, ignore_conflicts=True)
        stale = [
            pk
            for pk, task_id, org_id in existing.filter(
                status=ReportStatus.PENDING, updated_by__isnull=True
            ).values_list("pk", "task_id", "organization_id")
            if (task_id, org_id) not in wanted
        ]
        removed, _ = ProgressReport.objects.filter(pk__in=stale).delete()
        unlinked = _unlinked(cycle)
        if missing or removed:
            audit.record(
                action="reporting.open_period",
                actor=None,
                obj=cycle,
                organization=cycle.plan.owner,
                username=source or "system",
                summary={"period": period.key, "created": len(missing), "removed": removed},
            )
    return Opened(period, len(missing), removed, len(wanted), unlinked)


def _unlinked(cycle: ReportingCycle) -> int:
    return Assignment.objects.filter(
        task__in=cycle_tasks(cycle), role__in=reporting_roles(cycle), organization__isnull=True
    ).count()


def due_periods(cycle: ReportingCycle, *, until: Period | None = None) -> list[Period]:
    """The cycle's periods from its start up to `until` (or its end)."""
    last = until.end if until is not None else (cycle.ends_on or cycle.starts_on)
    if cycle.ends_on is not None:
        last = min(last, cycle.ends_on)
    return list(periods(cycle.frequency, cycle.starts_on, last))
