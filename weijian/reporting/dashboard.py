"""The leaders' dashboard: the figures of one reporting cycle over the reports a user may read,
narrowed by default to a leader's division of work (领导分工).

Every figure is one aggregate query over `ProgressReport` or `TargetValue` (DESIGN.md, scale):
the period's totals, completion by unit (one GROUP BY organization), the on-time trend (one
GROUP BY period), the lagging tasks (one query, cut at `LAGGING_LIMIT`), the targets against
the units' latest reported values (one GROUP BY target) and one target's values by unit. Python
only reshapes the aggregated rows for the charts.

Scope: the reports of the units in the user's organization tree (`core.scoping`).

A leader's focus. A `User` has no link to a registry `Person`; a leader is matched by his full
name (spaces removed, as `orgs.names.normalize_person` writes names) to a person holding a
current post (no end date) in the user's organization, and that post's `LeaderAssignment` gives:
- 联系单位: the reports of those units and every unit below them;
- 联系点: the reports of the units located in those regions or in regions right below them;
- 分管科室 and 协助分管科室: the reports on tasks those departments lead. Assignments name
  organizations, not departments, so a task is led by a department when one of its lead
  assignments names the department in its words (its name or an alias, e.g. 牵头科室：医政医管科
  or 市卫健委医政医管科) and belongs to the department's organization (linked to it, or not linked
  and in a plan that organization owns).
A leader whose division of work is not found, or names nothing, sees everything in scope.
"""

from __future__ import annotations

import datetime
import functools
import operator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Avg,
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)

from weijian.core.scoping import in_scope
from weijian.orgs.models import LeaderAssignment
from weijian.orgs.names import normalize_person
from weijian.plans.models import Assignment, AssignmentRole, Comparator
from weijian.reporting.models import (
    ProgressReport,
    ReportingCycle,
    ReportStatus,
    TargetValue,
    TaskStatus,
)
from weijian.reporting.models.reports import SUBMITTED_STATES
from weijian.reporting.periods import Period
from weijian.reporting.status import met_case

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

    AnyUser = User | AnonymousUser

LAGGING_LIMIT = 50


def rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


# --- scope, cycles and periods ----------------------------------------------------------------


def reports_in_scope(*, user: AnyUser) -> QuerySet[ProgressReport]:
    return in_scope(ProgressReport.objects.all(), user, via="organization")


def cycles_in(reports: QuerySet[ProgressReport]) -> list[ReportingCycle]:
    """The cycles with reports among `reports`, active ones first (one query)."""
    having = reports.filter(cycle=OuterRef("pk"))
    cycles = ReportingCycle.objects.filter(Exists(having)).select_related("plan")
    return list(cycles.order_by("-is_active", "plan__title", "pk"))


def periods_in(reports: QuerySet[ProgressReport], *, today: datetime.date) -> list[Period]:
    """The periods of `reports` (one cycle) that have begun, newest first (one query)."""
    keys = reports.filter(period_start__lte=today).order_by().values_list("period", flat=True)
    return sorted({Period.parse(key) for key in keys.distinct()}, reverse=True)


# --- a leader's focus -------------------------------------------------------------------------


@dataclass
class Focus:
    """What a leader follows, from the registry; `condition` is None when nothing was found."""

    units: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    condition: Q | None = None

    @property
    def found(self) -> bool:
        return self.condition is not None

    @property
    def summary(self) -> str:
        """联系单位 莲花县卫生健康委员会；分管科室（规划发展与信息化科）牵头的任务."""

        def names(values: list[str]) -> str:
            return "、".join(dict.fromkeys(values))

        parts = []
        if self.units:
            parts.append(f"联系单位 {names(self.units)}")
        if self.regions:
            parts.append(f"联系点 {names(self.regions)}")
        if self.departments:
            parts.append(f"分管科室（{names(self.departments)}）牵头的任务")
        return "；".join(parts)


def leader_assignments(*, user: User) -> list[LeaderAssignment]:
    """The division of work of the user's current posts in his organization (five queries)."""
    rows = LeaderAssignment.objects.filter(
        post__organization_id=user.organization_id,
        post__end_on__isnull=True,
        post__person__name=normalize_person(user.full_name),
    ).prefetch_related(
        "supervised_departments",
        "assisted_departments",
        "liaison_organizations",
        "liaison_regions",
    )
    return list(rows.order_by("post__order", "pk"))


def leader_focus(*, user: User) -> Focus:
    focus = Focus()
    parts: list[Q] = []
    for assignment in leader_assignments(user=user):
        for unit in assignment.liaison_organizations.all():
            focus.units.append(unit.name)
            parts.append(Q(organization__path__startswith=unit.path))
        for region in assignment.liaison_regions.all():
            focus.regions.append(region.name)
            parts.append(
                Q(organization__region_id=region.code)
                | Q(organization__region__parent_id=region.code)
            )
        departments = [
            *assignment.supervised_departments.all(),
            *assignment.assisted_departments.all(),
        ]
        for department in departments:
            focus.departments.append(department.name)
            parts.append(Q(task__in=_led_by(department.organization_id, department.all_names())))
    if parts:
        focus.condition = functools.reduce(operator.or_, parts)
    return focus


def _led_by(organization_id: int, names: list[str]) -> QuerySet[Any]:
    """The tasks a lead assignment of the organization gives to the named department."""
    named = functools.reduce(operator.or_, (Q(raw_name__contains=n) for n in names if n))
    owned = Q(organization_id=organization_id) | Q(
        organization__isnull=True, task__plan__owner_id=organization_id
    )
    leads = Assignment.objects.filter(named & owned, role=AssignmentRole.LEAD)
    return leads.values("task_id")


# --- the period's figures ---------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """Reports expected, submitted, on time and accepted, for a unit, a period or a total."""

    expected: int
    submitted: int
    on_time: int
    accepted: int
    lagging: int = 0

    @property
    def completeness(self) -> float:
        return rate(self.submitted, self.expected)

    @property
    def timeliness(self) -> float:
        return rate(self.on_time, self.expected)

    @property
    def acceptance(self) -> float:
        return rate(self.accepted, self.expected)

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    @property
    def late(self) -> int:
        return self.submitted - self.on_time

    @property
    def waiting(self) -> int:
        """Submitted and not yet accepted (under review, or returned)."""
        return self.submitted - self.accepted


COUNTS = {
    "expected": Count("pk"),
    "submitted": Count("pk", filter=Q(status__in=SUBMITTED_STATES)),
    "on_time": Count("pk", filter=Q(status__in=SUBMITTED_STATES, on_time=True)),
    "accepted": Count("pk", filter=Q(status=ReportStatus.ACCEPTED)),
    "lagging": Count("pk", filter=Q(status__in=SUBMITTED_STATES, task_status=TaskStatus.LAGGING)),
}


def _counts(row: dict[str, Any]) -> Counts:
    return Counts(*(row[name] or 0 for name in COUNTS))


def totals(reports: QuerySet[ProgressReport]) -> Counts:
    """The figures of a period's reports (one query)."""
    return _counts(reports.aggregate(**COUNTS))


@dataclass(frozen=True)
class UnitCounts:
    organization_id: int
    unit: str
    counts: Counts


def completion_by_unit(reports: QuerySet[ProgressReport]) -> list[UnitCounts]:
    """One row per unit of a period's reports, the least complete first (one query)."""
    rows = reports.values("organization_id", "organization__name").annotate(**COUNTS).order_by()
    found = [UnitCounts(r["organization_id"], r["organization__name"], _counts(r)) for r in rows]
    return sorted(found, key=lambda u: (u.counts.completeness, u.counts.timeliness, u.unit))


@dataclass(frozen=True)
class PeriodCounts:
    period: Period
    counts: Counts


def trend(reports: QuerySet[ProgressReport], *, until: Period) -> list[PeriodCounts]:
    """One row per period of a cycle's reports up to `until`, oldest first (one GROUP BY)."""
    rows = (
        reports.filter(period_start__lte=until.start)
        .values("period")
        .annotate(**COUNTS)
        .order_by("period_start")
    )
    return [PeriodCounts(Period.parse(r["period"]), _counts(r)) for r in rows]


def lagging_tasks(reports: QuerySet[ProgressReport]) -> tuple[list[ProgressReport], int]:
    """A period's submitted reports that say 滞后, by task then unit, at most LAGGING_LIMIT of
    them, and how many there are (two queries)."""
    rows = reports.filter(status__in=SUBMITTED_STATES, task_status=TaskStatus.LAGGING)
    found = list(
        rows.select_related("task", "organization").order_by(
            "task__order", "task_id", "organization__path"
        )[:LAGGING_LIMIT]
    )
    return found, rows.count()


# --- targets against the units' latest values -------------------------------------------------


def latest_values(reports: QuerySet[ProgressReport], *, until: Period) -> QuerySet[TargetValue]:
    """Per target and unit, the value of the unit's latest submitted report up to `until` that
    states one (a unit that has not reported this month keeps last month's value)."""
    counted = reports.filter(status__in=SUBMITTED_STATES, period_start__lte=until.start)
    newer = TargetValue.objects.filter(
        target_id=OuterRef("target_id"),
        value__isnull=False,
        report__cycle_id=OuterRef("report__cycle_id"),
        report__organization_id=OuterRef("report__organization_id"),
        report__status__in=SUBMITTED_STATES,
        report__period_start__gt=OuterRef("report__period_start"),
        report__period_start__lte=until.start,
    )
    return TargetValue.objects.filter(report__in=counted, value__isnull=False).filter(
        ~Exists(newer)
    )


@dataclass(frozen=True)
class TargetRow:
    """A target with the units' latest values: how many report one, how many meet it, and
    the mean, lowest and highest value."""

    target_id: int
    task: str
    indicator: str
    comparator: str
    value: float
    value_max: float | None
    unit: str
    year: int | None
    units: int
    met: int
    average: float | None
    low: float | None
    high: float | None

    @property
    def label(self) -> str:
        sign = Comparator(self.comparator).label
        return f"{self.indicator} {sign} {_number(self.value)}{self.unit}"


TARGET_FIELDS = {
    "target_id": "target_id",
    "task": "target__task__title",
    "indicator": "target__indicator__name",
    "comparator": "target__comparator",
    "value": "target__value",
    "value_max": "target__value_max",
    "unit": "target__unit",
    "year": "target__year",
}


def target_rows(reports: QuerySet[ProgressReport], *, until: Period) -> list[TargetRow]:
    """One row per target with a reported value, in the plan's order (one GROUP BY)."""
    rows = (
        latest_values(reports, until=until)
        .values(*TARGET_FIELDS.values())
        .annotate(
            units=Count("pk"),
            met=Sum(met_case()),
            average=Avg("value"),
            low=Min("value"),
            high=Max("value"),
        )
        .order_by("target__task__order", "target_id")
    )
    return [
        TargetRow(
            **{name: row[lookup] for name, lookup in TARGET_FIELDS.items()},
            units=row["units"],
            met=row["met"] or 0,
            average=row["average"],
            low=row["low"],
            high=row["high"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class UnitValue:
    unit: str
    value: float
    period: str
    met: bool


def target_values(
    reports: QuerySet[ProgressReport], *, until: Period, target_id: int
) -> list[UnitValue]:
    """The units' latest values of one target, by unit (one query)."""
    rows = (
        latest_values(reports, until=until)
        .filter(target_id=target_id)
        .annotate(met=met_case())
        .values("report__organization__name", "value", "report__period", "met")
        .order_by("report__organization__path")
    )
    return [
        UnitValue(r["report__organization__name"], r["value"], r["report__period"], bool(r["met"]))
        for r in rows
    ]


def _number(value: float) -> str:
    return f"{value:g}"
