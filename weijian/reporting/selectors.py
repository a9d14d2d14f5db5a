"""Reads of progress reports, scoped: a unit's reports are seen by the unit itself and by every
organization above it (`weijian.core.scoping`, via the report's organization). A unit is
expected in a cycle when it carries one of the cycle's tasks in a reporting role.

Every page built from these runs a constant number of queries, whatever the number of tasks,
cycles or periods."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from weijian.core import audit
from weijian.core.scoping import get_in_scope_or_404, in_scope
from weijian.orgs.models import Organization
from weijian.orgs.models.places import PATH_SEPARATOR
from weijian.plans.models import Assignment, AssignmentRole, Plan, Target
from weijian.plans.selectors import target_value
from weijian.reporting.models import (
    ProgressReport,
    Reopening,
    ReportAttachment,
    ReportingCycle,
    ReportStatus,
    ReviewAction,
    ReviewStep,
    TargetValue,
    TaskStatus,
)
from weijian.reporting.models.reports import EDITABLE_STATES, SUBMITTED_STATES
from weijian.reporting.periods import SHANGHAI, Period, PeriodError
from weijian.reporting.services.expected import due_periods

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

    AnyUser = User | AnonymousUser


def target_text(target: Target) -> str:
    """每千人口执业医师数 ≥ 3.5人（2030年）."""
    year = f"（{target.year}年）" if target.year else ""
    return (
        f"{target.indicator.name} {target.get_comparator_display()} "
        f"{target_value(target)}{target.unit}{year}"
    )


def today() -> datetime.date:
    return timezone.now().astimezone(SHANGHAI).date()


# --- the unit, the cycle and the period of a report page ----------------------------------


def organization_get(*, user: AnyUser, pk: int) -> Organization:
    """An organization the user may read the reports of (his own or one below it)."""
    return get_in_scope_or_404(Organization.objects.all(), user, via="", pk=pk)


def cycles_for_unit(organization: Organization) -> QuerySet[ReportingCycle]:
    """Cycles in which the unit carries one of the cycle's tasks in a reporting role: lead or
    responsible, or partner when the cycle includes partners (one query)."""
    chosen = ReportingCycle.tasks.through.objects.filter(reportingcycle_id=OuterRef("pk"))

    def carries(roles: list[str]) -> Q:
        in_chosen = chosen.filter(
            task__assignments__organization=organization, task__assignments__role__in=roles
        )
        in_plan = Assignment.objects.filter(
            task__plan_id=OuterRef("plan_id"), organization=organization, role__in=roles
        )
        return Q(Exists(in_chosen)) | (~Q(Exists(chosen)) & Q(Exists(in_plan)))

    reporting = carries([AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE])
    partner = carries([AssignmentRole.PARTNER])
    return (
        ReportingCycle.objects.filter(reporting | (Q(include_partners=True) & partner))
        .select_related("plan")
        .order_by("-is_active", "plan__title", "pk")
    )


def unit_cycle_get(*, organization: Organization, pk: int) -> ReportingCycle:
    """A cycle the unit reports in; 404 otherwise."""
    cycle = cycles_for_unit(organization).filter(pk=pk).first()
    if cycle is None:
        raise Http404("该单位不在此填报周期的填报范围内。")
    return cycle


def period_get(*, cycle: ReportingCycle, key: str, day: datetime.date | None = None) -> Period:
    """A period of the cycle that has begun (or whose window has opened); 404 otherwise."""
    try:
        period = cycle.period(key)
    except (ValueError, PeriodError):
        raise Http404("无法识别的填报期间。") from None
    day = day or today()
    within = period.end >= cycle.starts_on and (
        cycle.ends_on is None or period.start <= cycle.ends_on
    )
    begun = period.start <= day or cycle.opens_on(period) <= day
    if not (within and begun):
        raise Http404("该填报期间不在填报周期内或尚未开始。")
    return period


# --- the reports of a unit for a period ---------------------------------------------------


def unit_reports(
    *, cycle: ReportingCycle, organization: Organization, period: str
) -> list[ProgressReport]:
    """The unit's reports for the period in task order, with their values, attachments, the
    tasks' targets and the unit's assignments on each task (five queries)."""
    targets = Target.objects.select_related("indicator").order_by("pk")
    assignments = Assignment.objects.filter(organization=organization).order_by("pk")
    return list(
        ProgressReport.objects.filter(cycle=cycle, organization=organization, period=period)
        .select_related("task")
        .prefetch_related(
            Prefetch("values", queryset=TargetValue.objects.order_by("pk")),
            Prefetch("attachments", queryset=ReportAttachment.objects.order_by("pk")),
            Prefetch("task__targets", queryset=targets),
            Prefetch("task__assignments", queryset=assignments, to_attr="unit_assignments"),
        )
        .order_by("task__order", "task_id")
    )


def previous_reports(
    *, cycle: ReportingCycle, organization: Organization, period: Period
) -> dict[int, ProgressReport]:
    """The unit's reports of the previous period by task, with their values (two queries)."""
    rows = ProgressReport.objects.filter(
        cycle=cycle, organization=organization, period=period.previous().key
    ).prefetch_related(Prefetch("values", queryset=TargetValue.objects.order_by("pk")))
    return {report.task_id: report for report in rows}


def report_get(*, user: AnyUser, pk: int) -> ProgressReport:
    return get_in_scope_or_404(
        ProgressReport.objects.select_related("task", "cycle", "organization"),
        user,
        via="organization",
        pk=pk,
    )


def attachment_get(*, user: AnyUser, pk: int) -> ReportAttachment:
    return get_in_scope_or_404(
        ReportAttachment.objects.select_related(
            "report__cycle", "report__organization", "report__task"
        ),
        user,
        via="report__organization",
        pk=pk,
    )


def review_trail(
    *, cycle: ReportingCycle, organization: Organization, period: str
) -> list[ReviewStep]:
    return list(
        ReviewStep.objects.filter(cycle=cycle, organization=organization, period=period)
        .select_related("actor", "actor_organization")
        .order_by("at", "pk")
    )


def latest_return(steps: list[ReviewStep]) -> ReviewStep | None:
    """The last return of a trail, when nothing was submitted after it."""
    for step in reversed(steps):
        if step.action == ReviewAction.RETURN:
            return step
        if step.action == ReviewAction.SUBMIT:
            return None
    return None


# --- a status for a unit × period ---------------------------------------------------------

# Bootstrap badge classes of the report states, for the pages.
STATUS_BADGES = {
    ReportStatus.PENDING: "text-bg-secondary",
    ReportStatus.DRAFT: "text-bg-warning",
    ReportStatus.SUBMITTED: "text-bg-primary",
    ReportStatus.APPROVED: "text-bg-info",
    ReportStatus.ACCEPTED: "text-bg-success",
    ReportStatus.RETURNED: "text-bg-danger",
}


@dataclass(frozen=True)
class Summary:
    """The state of a unit's report for a period, from its rows' statuses."""

    expected: int
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def submitted(self) -> int:
        return sum(self.counts[s] for s in SUBMITTED_STATES)

    @property
    def status(self) -> str:
        counts = self.counts
        if not self.expected or counts[ReportStatus.PENDING] == self.expected:
            return ReportStatus.PENDING
        if counts[ReportStatus.RETURNED]:
            return ReportStatus.RETURNED
        if counts[ReportStatus.PENDING] or counts[ReportStatus.DRAFT]:
            return ReportStatus.DRAFT
        for status in (ReportStatus.ACCEPTED, ReportStatus.APPROVED):
            if counts[status] == self.expected:
                return status
        return ReportStatus.SUBMITTED

    @property
    def label(self) -> str:
        return ReportStatus(self.status).label

    @property
    def badge(self) -> str:
        return STATUS_BADGES[ReportStatus(self.status)]

    @property
    def editable(self) -> bool:
        return any(self.counts[s] for s in EDITABLE_STATES)


def summarize(reports: list[ProgressReport]) -> Summary:
    return Summary(len(reports), Counter(r.status for r in reports))


# --- "my reports": every cycle × period of the user's organization ------------------------


@dataclass
class UnitPeriod:
    """One line of "my reports"."""

    cycle: ReportingCycle
    period: Period
    due_date: datetime.date
    summary: Summary
    first_submitted_at: datetime.datetime | None = None
    late: int = 0  # reports first submitted after the due moment
    state: str = ""  # "未开始" · "已锁定" · "" (open)

    @property
    def fillable(self) -> bool:
        """Open and not yet submitted (or returned): the unit has something to do."""
        waiting = (ReportStatus.PENDING, ReportStatus.DRAFT, ReportStatus.RETURNED)
        return not self.state and self.summary.status in waiting

    @property
    def timeliness(self) -> str:
        if self.summary.submitted:
            return "逾期报送" if self.late else "按时报送"
        if today() > self.due_date:
            return "已逾期未报"
        return "—"


def my_report_rows(*, user: AnyUser, day: datetime.date | None = None) -> list[UnitPeriod]:
    """For the user's organization, each cycle × period from the cycle's start to the current
    period (periods when the unit was closed or not yet open are left out), newest first.
    Three queries: the cycles, the reports' counts, the reopenings."""
    if not user.is_authenticated:
        return []
    organization: Organization = user.organization  # type: ignore[union-attr]
    day = day or today()
    cycles = list(cycles_for_unit(organization))
    stats = _period_stats(organization, [c.pk for c in cycles])
    reopened = _reopened(organization)
    now = timezone.now()
    rows: list[UnitPeriod] = []
    for cycle in cycles:
        current = Period.containing(cycle.frequency, day)
        for period in due_periods(cycle, until=current):
            if not _open_in(organization, period):
                continue
            counted = stats.get((cycle.pk, period.key), {})
            row = UnitPeriod(
                cycle=cycle,
                period=period,
                due_date=cycle.due_date(period),
                summary=Summary(counted.get("expected", 0), counted.get("counts", Counter())),
                first_submitted_at=counted.get("first"),
                late=counted.get("late", 0),
                state=_state(cycle, period, day, now, (cycle.pk, period.key) in reopened),
            )
            rows.append(row)
    rows.sort(key=lambda r: (r.period.end, r.cycle.pk), reverse=True)
    return rows


def _open_in(organization: Organization, period: Period) -> bool:
    return (organization.opened_on is None or organization.opened_on <= period.end) and (
        organization.closed_on is None or organization.closed_on >= period.start
    )


def _period_stats(organization: Organization, cycle_ids: list[int]) -> dict[tuple[int, str], dict]:
    rows = (
        ProgressReport.objects.filter(organization=organization, cycle_id__in=cycle_ids)
        .values("cycle_id", "period", "status")
        .annotate(
            n=Count("pk"),
            first=Min("first_submitted_at"),
            late=Count("pk", filter=Q(on_time=False)),
        )
        .order_by()
    )
    stats: dict[tuple[int, str], dict] = {}
    for row in rows:
        entry = stats.setdefault(
            (row["cycle_id"], row["period"]),
            {"expected": 0, "counts": Counter(), "first": None, "late": 0},
        )
        entry["expected"] += row["n"]
        entry["counts"][row["status"]] += row["n"]
        entry["late"] += row["late"]
        if row["first"] is not None and (entry["first"] is None or row["first"] < entry["first"]):
            entry["first"] = row["first"]
    return stats


def _reopened(organization: Organization) -> set[tuple[int, str]]:
    rows = Reopening.objects.filter(organization=organization, until__gte=timezone.now())
    return set(rows.values_list("cycle_id", "period"))


def _state(
    cycle: ReportingCycle,
    period: Period,
    day: datetime.date,
    now: datetime.datetime,
    reopened: bool,
) -> str:
    """The lock state of `locks.lock_reason`, for a list: computed without a query per row."""
    if day < cycle.opens_on(period):
        return "未开始"
    locks_at = cycle.locks_at(period)
    if locks_at is not None and now > locks_at and not reopened:
        return "已锁定"
    return ""


# --- reads other pages may use ------------------------------------------------------------


def unit_reports_in_scope(*, user: AnyUser) -> QuerySet[ProgressReport]:
    """Every report the user may read."""
    return in_scope(ProgressReport.objects.all(), user, via="organization")


def task_role_label(report: ProgressReport) -> str:
    """牵头 · 配合 · 责任: the unit's role on the report's task (from `unit_reports`)."""
    labels = dict(AssignmentRole.choices)
    assignments = getattr(report.task, "unit_assignments", [])
    roles = list(dict.fromkeys(labels[a.role] for a in assignments))
    return "、".join(roles)


# --- review up the hierarchy (services.review): a level's queue, one unit × period ----------
# A unit report (one cycle × period × unit) is read by the unit's tree and by the tree of the
# plan's owner; the queue of a level lists the unit reports it reviews (see services.review for
# the levels): the units right below it in plans owned above it, and every unit of the plans
# it owns.


def _above(organization: Organization) -> list[int]:
    """The organizations strictly above `organization`, from its materialised path."""
    return [int(s) for s in organization.path.split(PATH_SEPARATOR) if s][:-1]


def review_reports(*, user: AnyUser) -> QuerySet[ProgressReport]:
    """Every report the user may read for review: his tree's units and his tree's plans."""
    reports = ProgressReport.objects.all()
    return in_scope(reports, user, via="organization") | in_scope(
        reports, user, via="cycle__plan__owner"
    )


def reviewed_by(organization: Organization) -> Q:
    """The reports of the unit reports `organization` reviews."""
    approves = Q(organization__parent_id=organization.pk) & Q(
        cycle__plan__owner_id__in=_above(organization)
    )
    return approves | Q(cycle__plan__owner_id=organization.pk)


def waiting_at(organization: Organization) -> Q:
    """The reports waiting for `organization`: submitted ones it approves; approved ones, and
    submitted ones with no intermediate level, of the plans it owns."""
    approves = (
        Q(organization__parent_id=organization.pk)
        & Q(cycle__plan__owner_id__in=_above(organization))
        & Q(status=ReportStatus.SUBMITTED)
    )
    direct = (
        Q(organization__parent__isnull=True)
        | Q(organization__parent_id=organization.pk)
        | ~Q(organization__parent__path__startswith=organization.path)
    )
    owns = Q(cycle__plan__owner_id=organization.pk) & (
        Q(status=ReportStatus.APPROVED) | (Q(status=ReportStatus.SUBMITTED) & direct)
    )
    return approves | owns


def review_cycles(*, user: AnyUser) -> list[ReportingCycle]:
    """The cycles whose unit reports the user's organization reviews (the queue's filter)."""
    if not user.is_authenticated:
        return []
    organization: Organization = user.organization  # type: ignore[union-attr]
    owners = [organization.pk, *_above(organization)]
    cycles = ReportingCycle.objects.filter(plan__owner_id__in=owners).select_related("plan")
    return list(cycles.order_by("-is_active", "plan__title", "pk"))


def review_periods(*, user: AnyUser, cycle: int | None = None) -> list[str]:
    """The periods with unit reports the user's organization reviews, newest first."""
    if not user.is_authenticated:
        return []
    organization: Organization = user.organization  # type: ignore[union-attr]
    rows = review_reports(user=user).filter(reviewed_by(organization))
    if cycle is not None:
        rows = rows.filter(cycle_id=cycle)
    keys = rows.order_by().values_list("period", flat=True).distinct()
    return sorted(set(keys), reverse=True)


@dataclass(frozen=True)
class QueueRow:
    """One unit report on a level's queue."""

    cycle_id: int
    cycle_name: str
    plan_title: str
    period: Period
    organization_id: int
    unit: str
    status: str
    tasks: int
    late: int
    lagging: int
    submitted_at: datetime.datetime | None
    acceptable: bool  # the user's level may accept it (bulk accept)

    @property
    def key(self) -> str:
        return f"{self.cycle_id}|{self.period.key}|{self.organization_id}"

    @property
    def status_label(self) -> str:
        return ReportStatus(self.status).label


def review_queue(
    *, user: AnyUser, cycle: int | None = None, period: str = "", status: str = ""
) -> QuerySet:
    """One row (a dict) per unit report the user's level reviews: those waiting for it, or
    those in `status`; newest period first. Turn a page of it into `QueueRow`s with
    `queue_rows`."""
    if not user.is_authenticated:
        return ProgressReport.objects.none().values()
    organization: Organization = user.organization  # type: ignore[union-attr]
    rows = review_reports(user=user)
    if status:
        rows = rows.filter(reviewed_by(organization), status=status)
    else:
        rows = rows.filter(waiting_at(organization))
    if cycle is not None:
        rows = rows.filter(cycle_id=cycle)
    if period:
        rows = rows.filter(period=period)
    return (
        rows.values(
            "cycle_id",
            "cycle__name",
            "cycle__plan__title",
            "cycle__plan__owner_id",
            "cycle__plan__owner__path",
            "period",
            "organization_id",
            "organization__name",
            "organization__path",
            "organization__parent_id",
            "organization__parent__path",
            "status",
        )
        .annotate(
            tasks=Count("pk"),
            late=Count("pk", filter=Q(on_time=False)),
            lagging=Count("pk", filter=Q(task_status=TaskStatus.LAGGING)),
            submitted_at=Max("submitted_at"),
        )
        .order_by("-period", "cycle_id", "organization__path")
    )


def _needs_approval(row: dict) -> bool:
    """Whether the unit report of a queue row has an approving level (services.review)."""
    parent, owner = row["organization__parent_id"], row["cycle__plan__owner_id"]
    if parent is None or parent == owner or row["organization_id"] == owner:
        return False
    return row["organization__parent__path"].startswith(row["cycle__plan__owner__path"])


def queue_rows(*, user: AnyUser, rows: Iterable[dict]) -> list[QueueRow]:
    mine = user.organization.pk if user.is_authenticated else None  # type: ignore[union-attr]
    found = []
    for row in rows:
        status = row["status"]
        acceptable = row["cycle__plan__owner_id"] == mine and (
            status == ReportStatus.APPROVED
            or (status == ReportStatus.SUBMITTED and not _needs_approval(row))
        )
        found.append(
            QueueRow(
                cycle_id=row["cycle_id"],
                cycle_name=row["cycle__name"],
                plan_title=row["cycle__plan__title"],
                period=Period.parse(row["period"]),
                organization_id=row["organization_id"],
                unit=row["organization__name"],
                status=status,
                tasks=row["tasks"],
                late=row["late"],
                lagging=row["lagging"],
                submitted_at=row["submitted_at"],
                acceptable=acceptable,
            )
        )
    return found


@dataclass
class UnitReport:
    """A unit's report for a cycle × period: its rows (one per task) and its review trail."""

    cycle: ReportingCycle
    organization: Organization
    period: Period
    reports: list[ProgressReport]
    steps: list[ReviewStep] = field(default_factory=list)

    @property
    def status(self) -> str:
        """The one state of its rows, or "mixed"."""
        statuses = {r.status for r in self.reports}
        return statuses.pop() if len(statuses) == 1 else "mixed"

    @property
    def status_label(self) -> str:
        if self.status == "mixed":
            return str(summarize(self.reports).label)
        return str(ReportStatus(self.status).label)

    @property
    def submitted_at(self) -> datetime.datetime | None:
        return max((r.submitted_at for r in self.reports if r.submitted_at), default=None)

    @property
    def late(self) -> int:
        return sum(1 for r in self.reports if r.on_time is False)


def unit_report_get(*, user: AnyUser, cycle: int, organization: int, period: str) -> UnitReport:
    """One unit × period for review (reports, their values and attachments, the trail: five
    queries); 404 when the user may not read it or it has no report."""
    lookup = {"cycle_id": cycle, "organization_id": organization, "period": period}
    reports = list(
        review_reports(user=user)
        .filter(**lookup)
        .select_related("task", "cycle__plan__owner", "organization__parent")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=TargetValue.objects.select_related("target__indicator").order_by("pk"),
            ),
            Prefetch("attachments", queryset=ReportAttachment.objects.order_by("pk")),
        )
        .order_by("task__order", "task_id")
    )
    if not reports:
        if user.is_authenticated and ProgressReport.objects.filter(**lookup).exists():
            audit.record(
                action="access.denied",
                actor=user,  # type: ignore[arg-type]
                summary={"model": "reporting.unitreport", "lookup": {**lookup}},
                success=False,
            )
        raise Http404("没有找到该单位的报告，或您无权访问。")
    first = reports[0]
    unit = UnitReport(first.cycle, first.organization, Period.parse(period), reports)
    unit.steps = review_trail(cycle=unit.cycle, organization=unit.organization, period=period)
    return unit


# --- the cycles of a plan (views.cycles) -----------------------------------------------------


def plan_cycles(*, plan: Plan) -> QuerySet[ReportingCycle]:
    """The plan's cycles with their number of chosen tasks and of opened periods (one query)."""
    opened = (
        ProgressReport.objects.filter(cycle=OuterRef("pk"))
        .order_by()
        .values("cycle")
        .annotate(n=Count("period", distinct=True))
        .values("n")
    )
    return (
        ReportingCycle.objects.filter(plan=plan)
        .annotate(
            task_count=Count("tasks", distinct=True),
            periods_opened=Coalesce(Subquery(opened), 0),
        )
        .select_related("plan__owner")
        .order_by("-is_active", "pk")
    )


def cycle_get(*, user: AnyUser, pk: int) -> ReportingCycle:
    """A cycle of a plan the user may read (its owner's tree)."""
    cycles = ReportingCycle.objects.select_related("plan__owner")
    return get_in_scope_or_404(cycles, user, via="plan__owner", pk=pk)
