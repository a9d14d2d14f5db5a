"""Reads for sampling plans and their draws, always scoped through the plan's owner.

A Draw's snapshot can hold a whole province's registry: list and detail pages never load it
(`defer`), and the groups are read from the draw's stored result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, QuerySet
from django.db.models.fields.json import KT

from weijian.core.scoping import get_in_scope_or_404, in_scope
from weijian.supervision.models import Draw, Inspector, SamplingPlan

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

    AnyUser = User | AnonymousUser


def plans(
    *, user: AnyUser, year: int | None = None, state: str = "", item: int | None = None
) -> QuerySet[SamplingPlan]:
    rows = in_scope(SamplingPlan.objects.all(), user, via="owner")
    if year:
        rows = rows.filter(year=year)
    if state:
        rows = rows.filter(state=state)
    if item:
        rows = rows.filter(item_id=item)
    return (
        rows.select_related("item", "owner")
        .annotate(draw_count=Count("draws", distinct=True), ratio_percent=F("object_ratio") * 100)
        .order_by("-year", "-id")
    )


def plan_get(*, user: AnyUser, pk: int) -> SamplingPlan:
    queryset = SamplingPlan.objects.select_related("item", "owner", "created_by")
    return get_in_scope_or_404(queryset, user, via="owner", pk=pk)


def plan_draws(plan: SamplingPlan) -> QuerySet[Draw]:
    """The plan's draws, oldest first, with their figures but without snapshot or result."""
    return (
        plan.draws.defer("snapshot", "result")
        .select_related("drawn_by")
        .annotate(
            pool_size=KT("result__pool_size"),
            inspector_pool_size=KT("result__inspector_pool_size"),
            conflicts_avoided=KT("result__conflicts_avoided"),
        )
        .order_by("number")
    )


def current_draw(plan: SamplingPlan) -> Draw | None:
    return plan.draws.defer("snapshot").filter(is_current=True).first()


def draw_get(*, user: AnyUser, pk: int) -> Draw:
    queryset = Draw.objects.defer("snapshot").select_related("plan", "plan__owner", "drawn_by")
    return get_in_scope_or_404(queryset, user, via="plan__owner", pk=pk)


def inspector_names(keys: list[str]) -> dict[str, str]:
    """{certificate number: name} for the given certificate numbers, in one query."""
    rows = Inspector.objects.filter(certificate_number__in=keys).values_list(
        "certificate_number", "name"
    )
    return dict(rows)


def groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A draw result's selected rows with the inspectors' names (one query for the rows given)."""
    keys = sorted({key for row in rows for key in row["inspectors"]})
    names = inspector_names(keys)
    return [
        {
            **row,
            "people": [{"key": key, "name": names.get(key, "")} for key in row["inspectors"]],
        }
        for row in rows
    ]
