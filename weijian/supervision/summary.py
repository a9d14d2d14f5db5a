"""The annual summary of double-random inspections, one row per item: plans, objects drawn,
inspected, results by kind, non-conforming check points (of completed inspections only: a
draft's answers may still change), rectified, and publication on time,
late or overdue. Scoped to the plans owned in the user's subtree; four aggregate queries
whatever the number of plans or inspections."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet

from weijian.core.scoping import in_scope
from weijian.supervision.models import (
    CheckOutcome,
    CheckResult,
    Inspection,
    InspectionItem,
    InspectionResult,
    InspectionState,
    RectificationStatus,
    SamplingPlan,
)
from weijian.supervision.services.publication import overdue_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

# (column header, key) in the order of the page and of the export.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("计划数", "plans"),
    ("抽取对象数", "drawn"),
    ("已检查", "inspected"),
    *((label, f"result_{value}") for value, label in InspectionResult.choices),
    ("不符合检查要点", "nonconforming"),
    ("责令整改", "rectify_ordered"),
    ("已整改", "rectified"),
    ("逾期未整改", "rectification_overdue"),
    ("按期公示", "on_time"),
    ("逾期公示", "late"),
    ("逾期未公示", "overdue"),
    ("待公示", "unpublished"),
)


@dataclass
class SummaryRow:
    item_id: int | None
    item: str
    counts: dict[str, int] = field(default_factory=dict)

    def values(self) -> list[int]:
        return [self.counts.get(key, 0) for _, key in COLUMNS]


@dataclass
class AnnualSummary:
    year: int
    rows: list[SummaryRow]
    total: SummaryRow

    @property
    def headers(self) -> list[str]:
        return [label for label, _ in COLUMNS]


def plans_in_scope(user: User | AnonymousUser, year: int) -> QuerySet[SamplingPlan]:
    return in_scope(SamplingPlan.objects.filter(year=year), user, via="owner")


def _inspection_counts(inspections: QuerySet[Inspection], today: datetime.date) -> Iterator[Any]:
    completed = Q(state=InspectionState.COMPLETED)
    published = Q(published_at__isnull=False)
    results = {
        f"result_{value}": Count("pk", filter=completed & Q(result=value))
        for value in InspectionResult.values
    }
    return iter(
        inspections.values("plan__item_id").annotate(
            drawn=Count("pk"),
            inspected=Count("pk", filter=completed),
            rectify_ordered=Count("pk", filter=completed & Q(result=InspectionResult.RECTIFY)),
            rectified=Count("pk", filter=Q(rectification_status=RectificationStatus.DONE)),
            rectification_overdue=Count(
                "pk",
                filter=Q(rectification_status=RectificationStatus.OVERDUE)
                | Q(
                    rectification_status=RectificationStatus.ONGOING,
                    rectification_deadline__lt=today,
                ),
            ),
            on_time=Count("pk", filter=published & Q(published_at__date__lte=F("publication_due"))),
            late=Count("pk", filter=published & Q(published_at__date__gt=F("publication_due"))),
            overdue=Count("pk", filter=overdue_q(today)),
            unpublished=Count("pk", filter=completed & Q(published_at__isnull=True)),
            **results,
        )
    )


def annual_summary(*, user: User | AnonymousUser, year: int, today: datetime.date) -> AnnualSummary:
    plans = plans_in_scope(user, year)
    rows: dict[int, SummaryRow] = {}

    def row(item_id: int) -> SummaryRow:
        return rows.setdefault(item_id, SummaryRow(item_id, ""))

    for line in plans.values("item_id").annotate(n=Count("pk")).order_by():
        row(line["item_id"]).counts["plans"] = line["n"]
    inspections = Inspection.objects.filter(plan__in=plans, draw__is_current=True).order_by()
    for line in _inspection_counts(inspections, today):
        row(line.pop("plan__item_id")).counts.update(line)
    nonconforming = (
        CheckResult.objects.filter(
            inspection__in=inspections.filter(state=InspectionState.COMPLETED),
            outcome=CheckOutcome.NONCONFORMS,
        )
        .values("inspection__plan__item_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for line in nonconforming:
        row(line["inspection__plan__item_id"]).counts["nonconforming"] = line["n"]
    names = InspectionItem.objects.filter(pk__in=list(rows)).order_by("order", "pk")
    ordered = []
    for item in names:
        rows[item.pk].item = str(item)
        ordered.append(rows[item.pk])
    return AnnualSummary(year=year, rows=ordered, total=_total(ordered))


def _total(rows: list[SummaryRow]) -> SummaryRow:
    total = SummaryRow(None, "合计")
    for _, key in COLUMNS:
        total.counts[key] = sum(r.counts.get(key, 0) for r in rows)
    return total
