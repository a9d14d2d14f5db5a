"""Reads of inspections, their checklists and photos, and a plan's inspections with their
publication status. Every read is scoped by `access.inspections_visible`: the plan owner's
subtree, or the group itself. A list page runs a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from weijian.accounts.roles import Role, has_role
from weijian.core import audit
from weijian.core.scoping import get_in_scope_or_404
from weijian.supervision.access import inspections_visible
from weijian.supervision.models import (
    CheckPoint,
    CheckResult,
    Inspection,
    InspectionPhoto,
    InspectionState,
    Inspector,
    SamplingPlan,
)
from weijian.supervision.services.publication import overdue_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

    AnyUser = User | AnonymousUser

# Who sees every inspection of his subtree's plans; anyone else only his own group's.
OVERSEERS = (Role.STAFF, Role.LEADER)

LIST_RELATED = ("plan__item", "plan__owner", "institution", "institution__region")


def _visible_ids(user: AnyUser) -> QuerySet[Inspection, int]:
    if has_role(user, *OVERSEERS):
        condition = inspections_visible(user)
    elif user.is_authenticated:
        condition = Q(inspectors__user=user)
    else:
        condition = Q(pk__in=[])
    return Inspection.objects.filter(condition).values_list("pk", flat=True)


def _with_group(queryset: QuerySet[Inspection]) -> QuerySet[Inspection]:
    inspectors = Inspector.objects.only("pk", "name", "certificate_number", "user_id")
    inspectors = inspectors.order_by("name", "pk")
    return queryset.select_related(*LIST_RELATED).prefetch_related(
        Prefetch("inspectors", queryset=inspectors)
    )


@dataclass(frozen=True)
class InspectionFilter:
    state: str = ""
    overdue: bool = False
    plan: int | None = None


def inspection_list(
    *, user: AnyUser, filters: InspectionFilter, today: datetime.date
) -> QuerySet[Inspection]:
    """The user's inspections (his group's; a staff member's or leader's subtree), newest
    plan first."""
    rows = Inspection.objects.filter(pk__in=_visible_ids(user))
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.overdue:
        rows = rows.filter(overdue_q(today))
    if filters.plan:
        rows = rows.filter(plan_id=filters.plan)
    return _with_group(rows).order_by("-plan__year", "-plan_id", "institution__name", "pk")


def inspection_get(*, user: AnyUser, pk: int) -> Inspection:
    """An inspection the user may see, or 404 (an attempt on another's is audited)."""
    found = (
        _with_group(Inspection.objects.filter(pk__in=_visible_ids(user)))
        .select_related("draw")
        .filter(pk=pk)
        .first()
    )
    if found is not None:
        return found
    if user.is_authenticated and Inspection.objects.filter(pk=pk).exists():
        audit.record(
            action="access.denied",
            actor=user,  # type: ignore[arg-type]
            summary={"model": "supervision.inspection", "lookup": {"pk": str(pk)}},
            success=False,
        )
    raise Http404("没有找到该检查记录，或您无权访问。")


@dataclass
class ChecklistLine:
    check_point: CheckPoint
    result: CheckResult | None
    photos: list[InspectionPhoto]

    @property
    def outcome(self) -> str:
        return self.result.outcome if self.result else ""

    @property
    def note(self) -> str:
        return self.result.note if self.result else ""


def checklist(inspection: Inspection) -> list[ChecklistLine]:
    """Each check point of the plan's item with the group's outcome and its photos."""
    results = {r.check_point_id: r for r in inspection.checks.all()}
    photos: dict[int | None, list[InspectionPhoto]] = {}
    for photo in inspection.photos.all():
        photos.setdefault(photo.check_point_id, []).append(photo)
    return [
        ChecklistLine(cp, results.get(cp.pk), photos.get(cp.pk, []))
        for cp in inspection.plan.item.checkpoints.all()
    ]


def general_photos(inspection: Inspection) -> list[InspectionPhoto]:
    return [p for p in inspection.photos.all() if p.check_point_id is None]


def photo_get(*, user: AnyUser, pk: int) -> InspectionPhoto:
    photo = InspectionPhoto.objects.select_related("inspection").filter(pk=pk).first()
    if photo is None:
        raise Http404("照片不存在。")
    inspection_get(user=user, pk=photo.inspection_id)
    return photo


# --- a plan's inspections -----------------------------------------------------------------


def plan_get(*, user: AnyUser, pk: int) -> SamplingPlan:
    return get_in_scope_or_404(
        SamplingPlan.objects.select_related("item", "owner"), user, via="owner", pk=pk
    )


@dataclass(frozen=True)
class PlanProgress:
    total: int
    completed: int
    published: int
    overdue: int

    @property
    def publishable(self) -> int:
        return self.completed - self.published


def plan_progress(*, plan: SamplingPlan, today: datetime.date) -> PlanProgress:
    """Counts of the current draw's inspections, in one query."""
    counts = plan.inspections.filter(draw__is_current=True).aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=Q(state=InspectionState.COMPLETED)),
        published=Count("pk", filter=Q(published_at__isnull=False)),
        overdue=Count("pk", filter=overdue_q(today)),
    )
    return PlanProgress(**counts)


def plan_inspections(*, plan: SamplingPlan, user: AnyUser) -> QuerySet[Inspection]:
    """The current draw's inspections of the plan that the user may open (an inspector who is
    not staff or a leader sees only his own group's, as in 我的检查)."""
    rows = plan.inspections.filter(draw__is_current=True, pk__in=_visible_ids(user))
    return _with_group(rows).order_by("institution__name", "pk")


def detail_queryset_prefetch(inspection: Inspection) -> None:
    """Fill the caches the inspection page reads (checks, photos, check points)."""
    prefetch_related_objects(
        [inspection],
        Prefetch("checks", queryset=CheckResult.objects.order_by("pk")),
        Prefetch("photos", queryset=InspectionPhoto.objects.order_by("pk")),
        Prefetch("plan__item__checkpoints", queryset=CheckPoint.objects.order_by("order", "pk")),
    )
