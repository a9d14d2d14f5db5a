"""Reads of accountability records, supervision visits, meetings and year-end proposals,
scoped (`weijian.core.scoping`):

- an accountability record is read by the unit's tree and by the tree of the task's plan owner;
- a visit (and its findings) by the visiting organization's tree and the visited unit's tree;
- a committee's agenda and meetings by the tree of the committee's host;
- a year-end proposal by the tree of the cycle's plan owner.

Every list is one query per page (rows with what they show selected along), whatever its
length; a single object outside the user's scope is a 404, and the attempt is audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from weijian.core import audit
from weijian.core.scoping import get_in_scope_or_404, in_scope
from weijian.orgs.models import Committee, Organization
from weijian.plans.models import Plan, Task
from weijian.reporting.models import (
    Accountability,
    AgendaItem,
    FollowUp,
    Meeting,
    ReportingCycle,
    SupervisionVisit,
    VisitFinding,
    YearEndProposal,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

    AnyUser = User | AnonymousUser

M = TypeVar("M", bound=models.Model)


def _either(queryset: QuerySet[M], user: AnyUser, *vias: str) -> QuerySet[M]:
    """The rows in the user's scope through any of `vias` (forward relations: no repeats)."""
    scoped = [in_scope(queryset, user, via=via) for via in vias]
    combined = scoped[0]
    for other in scoped[1:]:
        combined = combined | other
    return combined


def _get(queryset: QuerySet[M], scoped: QuerySet[M], user: AnyUser, pk: int) -> M:
    """One row of `scoped`; 404 (audited when it exists) otherwise."""
    found = scoped.filter(pk=pk).first()
    if found is not None:
        return found
    if user.is_authenticated and queryset.filter(pk=pk).exists():
        audit.record(
            action="access.denied",
            actor=user,  # type: ignore[arg-type]
            summary={"model": queryset.model._meta.label_lower, "lookup": {"pk": str(pk)}},
            success=False,
        )
    raise Http404("没有找到该记录，或您无权访问。")


# --- accountability ---------------------------------------------------------------------------


def _accountabilities_in_scope(user: AnyUser) -> QuerySet[Accountability]:
    return _either(Accountability.objects.all(), user, "organization", "task__plan__owner")


def accountabilities(
    *, user: AnyUser, status: str = "", plan: int | None = None
) -> QuerySet[Accountability]:
    """The records the user may read, newest first, with their task, plan and unit."""
    rows = _accountabilities_in_scope(user)
    if status:
        rows = rows.filter(status=status)
    if plan is not None:
        rows = rows.filter(task__plan_id=plan)
    return rows.select_related("task__plan", "organization", "agenda_item__committee").order_by(
        "-opened_at", "-pk"
    )


def accountability_get(*, user: AnyUser, pk: int) -> Accountability:
    related = [
        "task__plan__owner",
        "organization",
        "cycle",
        "agenda_item__committee",
        "agenda_item__meeting",
    ]
    scoped = _accountabilities_in_scope(user).select_related(*related)
    return _get(Accountability.objects.all(), scoped, user, pk)


def accountability_plans(*, user: AnyUser) -> list[Plan]:
    """The plans with records the user may read (the list's filter)."""
    records = _accountabilities_in_scope(user).values("task__plan_id")
    return list(Plan.objects.filter(pk__in=records).order_by("title", "pk"))


# --- visits -----------------------------------------------------------------------------------


def _visits_in_scope(user: AnyUser) -> QuerySet[SupervisionVisit]:
    return _either(SupervisionVisit.objects.all(), user, "by", "organization")


def visits(*, user: AnyUser) -> QuerySet[SupervisionVisit]:
    return (
        _visits_in_scope(user)
        .select_related("organization", "by", "plan")
        .annotate(
            finding_count=Count("findings"),
            open_count=Count("findings", filter=Q(findings__rectified=False)),
        )
        .order_by("-visited_on", "-pk")
    )


def visit_get(*, user: AnyUser, pk: int) -> SupervisionVisit:
    scoped = _visits_in_scope(user).select_related("organization", "by", "plan__owner")
    return _get(SupervisionVisit.objects.all(), scoped, user, pk)


def visit_findings(*, visit: SupervisionVisit) -> list[VisitFinding]:
    rows = visit.findings.select_related("task", "agenda_item__committee", "agenda_item__meeting")
    return list(rows.order_by("pk"))


def finding_get(*, user: AnyUser, pk: int) -> VisitFinding:
    scoped = VisitFinding.objects.filter(visit__in=_visits_in_scope(user)).select_related(
        "visit__organization", "visit__by", "visit__plan", "task__plan__owner", "agenda_item"
    )
    return _get(VisitFinding.objects.all(), scoped, user, pk)


def visit_units(*, user: AnyUser) -> QuerySet[Organization]:
    """The units the user's organization may visit: those below it, active."""
    if not user.is_authenticated:
        return Organization.objects.none()
    mine: Organization = user.organization  # type: ignore[union-attr]
    units = in_scope(Organization.objects.filter(is_active=True), user, via="")
    return units.exclude(pk=mine.pk).order_by("path")


def visit_plans(*, user: AnyUser) -> QuerySet[Plan]:
    return in_scope(Plan.objects.all(), user, via="owner").select_related("owner").order_by("-pk")


def plan_tasks(*, plan: Plan | None) -> QuerySet[Task]:
    if plan is None:
        return Task.objects.none()
    return Task.objects.filter(plan=plan).order_by("order")


# --- committees and meetings ------------------------------------------------------------------


def committees(*, user: AnyUser) -> QuerySet[Committee]:
    """The committees hosted in the user's tree, with their waiting items and meetings counted."""
    rows = in_scope(Committee.objects.all(), user, via="host")
    return (
        rows.select_related("host")
        .annotate(
            waiting=Count("agenda", filter=Q(agenda__meeting__isnull=True), distinct=True),
            meeting_count=Count("meetings", distinct=True),
        )
        .order_by("host__path", "order", "pk")
    )


def committee_get(*, user: AnyUser, pk: int) -> Committee:
    return get_in_scope_or_404(Committee.objects.select_related("host"), user, via="host", pk=pk)


def waiting_items(*, committee: Committee) -> list[AgendaItem]:
    """The committee's items waiting for its next meeting, in order."""
    rows = AgendaItem.objects.filter(committee=committee, meeting__isnull=True)
    return list(rows.order_by("order", "pk"))


def meetings(*, user: AnyUser, committee: int | None = None) -> QuerySet[Meeting]:
    rows = in_scope(Meeting.objects.all(), user, via="committee__host")
    if committee is not None:
        rows = rows.filter(committee_id=committee)
    return (
        rows.select_related("committee__host")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-held_on", "-pk")
    )


def meeting_get(*, user: AnyUser, pk: int) -> Meeting:
    return get_in_scope_or_404(
        Meeting.objects.select_related("committee__host", "plan"),
        user,
        via="committee__host",
        pk=pk,
    )


def meeting_items(*, meeting: Meeting) -> list[AgendaItem]:
    """The meeting's items in order, each with its follow-ups (task, lead unit) prefetched."""
    follow_ups = FollowUp.objects.select_related("task").prefetch_related(
        "task__assignments__organization"
    )
    rows = AgendaItem.objects.filter(meeting=meeting).prefetch_related(
        models.Prefetch("follow_ups", queryset=follow_ups.order_by("pk"))
    )
    return list(rows.order_by("order", "pk"))


def item_get(*, user: AnyUser, pk: int) -> AgendaItem:
    return get_in_scope_or_404(
        AgendaItem.objects.select_related("committee__host", "meeting"),
        user,
        via="committee__host",
        pk=pk,
    )


def follow_up_units(*, committee: Committee) -> QuerySet[Organization]:
    """The organizations a decided action may be given to: the host's whole tree (the plan's
    units), the committee's member organizations first."""
    root = committee.host.path.split("/")[0] + "/"
    members = Q(pk__in=committee.members.filter(organization__isnull=False).values("organization"))
    units = Organization.objects.filter(path__startswith=root, is_active=True)
    return units.annotate(member=Count("pk", filter=members)).order_by("-member", "path")


# --- year end ---------------------------------------------------------------------------------


def year_end_cycles(*, user: AnyUser) -> QuerySet[ReportingCycle]:
    rows = in_scope(ReportingCycle.objects.all(), user, via="plan__owner")
    return rows.select_related("plan__owner").order_by("-is_active", "plan__title", "pk")


def cycle_get(*, user: AnyUser, pk: int) -> ReportingCycle:
    return get_in_scope_or_404(
        ReportingCycle.objects.select_related("plan__owner"), user, via="plan__owner", pk=pk
    )


def proposals(*, cycle: ReportingCycle, year: int) -> QuerySet[YearEndProposal]:
    rows = YearEndProposal.objects.filter(cycle=cycle, year=year)
    return rows.select_related("organization", "updated_by").order_by(
        "kind", models.F("score").desc(nulls_last=True), "organization__name"
    )


def proposal_get(*, user: AnyUser, pk: int) -> YearEndProposal:
    return get_in_scope_or_404(
        YearEndProposal.objects.select_related("cycle__plan__owner", "organization"),
        user,
        via="cycle__plan__owner",
        pk=pk,
    )


def year_units(*, cycle: ReportingCycle) -> QuerySet[Organization]:
    """The units a person may add to the year's list: the plan owner's tree."""
    owner = cycle.plan.owner
    return Organization.objects.filter(path__startswith=owner.path, is_active=True).order_by("path")
