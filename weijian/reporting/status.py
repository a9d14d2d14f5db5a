"""Completeness, timeliness, target achievement, score and rank of each unit for one period.

RULES.md: completeness = submitted / expected; timeliness = submitted by the due moment /
expected; a late report counts as submitted, not on time; only units open and assigned for the
period are expected (the expected rows exist only for them, see services.expected). Each figure
comes from one aggregate query: one over the period's reports, one over its target values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, Sum, When

from weijian.plans.models import Comparator
from weijian.reporting.models import ProgressReport, ReportingCycle, ReportStatus, TargetValue
from weijian.reporting.models.reports import SUBMITTED_STATES

# ≈ counts as met within this share of the target value.
ABOUT = 0.05


@dataclass
class UnitStatus:
    organization_id: int
    unit: str
    expected: int
    submitted: int
    on_time: int
    accepted: int
    targets: int = 0
    targets_met: int = 0
    score: float = 0.0
    rank: int = 0
    weights: tuple[float, float, float] = field(default=(0.4, 0.3, 0.3), repr=False)

    @property
    def completeness(self) -> float:
        return self.submitted / self.expected if self.expected else 0.0

    @property
    def timeliness(self) -> float:
        return self.on_time / self.expected if self.expected else 0.0

    @property
    def achievement(self) -> float | None:
        """Share of the targets reported as met; None when the unit has no target to report."""
        return self.targets_met / self.targets if self.targets else None

    @property
    def late(self) -> int:
        return self.submitted - self.on_time

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    def to_json(self) -> dict[str, object]:
        return {
            "unit": self.unit,
            "organization_id": self.organization_id,
            "expected": self.expected,
            "submitted": self.submitted,
            "on_time": self.on_time,
            "accepted": self.accepted,
            "completeness": round(self.completeness, 4),
            "timeliness": round(self.timeliness, 4),
            "achievement": round(self.achievement, 4) if self.achievement is not None else None,
            "score": round(self.score, 4),
            "rank": self.rank,
        }


def unit_status(cycle: ReportingCycle, period: str) -> list[UnitStatus]:
    """One row per unit expected to report for the period, ranked by score (best first)."""
    reports = ProgressReport.objects.filter(cycle=cycle, period=period)
    rows = (
        reports.values("organization_id", "organization__name")
        .annotate(
            expected=Count("pk"),
            submitted=Count("pk", filter=Q(status__in=SUBMITTED_STATES)),
            on_time=Count("pk", filter=Q(status__in=SUBMITTED_STATES, on_time=True)),
            accepted=Count("pk", filter=Q(status=ReportStatus.ACCEPTED)),
        )
        .order_by("organization__name")
    )
    weights = (cycle.weight_achievement, cycle.weight_completeness, cycle.weight_timeliness)
    units = {
        row["organization_id"]: UnitStatus(
            organization_id=row["organization_id"],
            unit=row["organization__name"],
            expected=row["expected"],
            submitted=row["submitted"],
            on_time=row["on_time"],
            accepted=row["accepted"],
            weights=weights,
        )
        for row in rows
    }
    for row in _target_counts(cycle, period):
        unit = units.get(row["report__organization_id"])
        if unit is not None:
            unit.targets, unit.targets_met = row["targets"], row["met"]
    ranked = sorted(units.values(), key=lambda u: (-weighted_score(u), u.unit))
    for position, unit in enumerate(ranked, start=1):
        unit.score = weighted_score(unit)
        previous = ranked[position - 2] if position > 1 else None
        tie = previous is not None and round(previous.score, 9) == round(unit.score, 9)
        unit.rank = previous.rank if tie and previous else position
    return ranked


def _target_counts(cycle: ReportingCycle, period: str) -> list[dict[str, int]]:
    """Per unit: the targets of its submitted reports, and how many the reported value meets
    (= means reaching the value in the indicator's good direction; ≈ within 5 %)."""
    values = TargetValue.objects.filter(
        report__cycle=cycle, report__period=period, report__status__in=SUBMITTED_STATES
    )
    return list(
        values.values("report__organization_id")
        .annotate(targets=Count("pk"), met=Sum(met_case()))
        .order_by()
    )


def met_case() -> Case:
    """1 when a reported value (a TargetValue row) meets its target, else 0: ≥ and ≤ as written,
    = reaching the value in the indicator's good direction, ≈ within ABOUT of it."""
    target = F("target__value")
    return Case(
        When(value__isnull=True, then=0),
        When(Q(target__comparator=Comparator.AT_LEAST, value__gte=target), then=1),
        When(Q(target__comparator=Comparator.AT_MOST, value__lte=target), then=1),
        When(
            Q(target__comparator=Comparator.EQUAL, target__indicator__higher_is_better=True)
            & Q(value__gte=target),
            then=1,
        ),
        When(
            Q(target__comparator=Comparator.EQUAL, target__indicator__higher_is_better=False)
            & Q(value__lte=target),
            then=1,
        ),
        When(
            Q(target__comparator=Comparator.ABOUT)
            & Q(value__gte=target * (1 - ABOUT))
            & Q(value__lte=target * (1 + ABOUT)),
            then=1,
        ),
        default=0,
        output_field=IntegerField(),
    )


def weighted_score(unit: UnitStatus) -> float:
    """The weighted mean of achievement, completeness and timeliness; a unit without targets is
    scored on the other two (their weights scaled up)."""
    w_achievement, w_completeness, w_timeliness = unit.weights
    parts = [(w_completeness, unit.completeness), (w_timeliness, unit.timeliness)]
    if unit.achievement is not None:
        parts.append((w_achievement, unit.achievement))
    total = sum(weight for weight, _ in parts)
    return sum(weight * value for weight, value in parts) / total if total else 0.0


# --- the same figures by task, by region and by period ----------------------------------


@dataclass
class Figures:
    """Expected, submitted, on-time and accepted reports of one group (a task, a region, a
    period), with completeness and timeliness."""

    key: str
    label: str
    expected: int
    submitted: int
    on_time: int
    accepted: int

    @property
    def completeness(self) -> float:
        return self.submitted / self.expected if self.expected else 0.0

    @property
    def timeliness(self) -> float:
        return self.on_time / self.expected if self.expected else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "label": self.label,
            "expected": self.expected,
            "submitted": self.submitted,
            "on_time": self.on_time,
            "accepted": self.accepted,
            "completeness": round(self.completeness, 4),
            "timeliness": round(self.timeliness, 4),
        }


COUNTS = {
    "expected": Count("pk"),
    "submitted": Count("pk", filter=Q(status__in=SUBMITTED_STATES)),
    "on_time": Count("pk", filter=Q(status__in=SUBMITTED_STATES, on_time=True)),
    "accepted": Count("pk", filter=Q(status=ReportStatus.ACCEPTED)),
}


def _figures(rows: Any, key: str, label: str) -> list[Figures]:
    return [
        Figures(
            key=str(row[key]),
            label=str(row[label] or row[key] or "未设区划"),
            expected=row["expected"],
            submitted=row["submitted"],
            on_time=row["on_time"],
            accepted=row["accepted"],
        )
        for row in rows
    ]


def task_figures(cycle: ReportingCycle, period: str) -> list[Figures]:
    """Per task of the period, in the plan's order (one aggregate query)."""
    rows = (
        ProgressReport.objects.filter(cycle=cycle, period=period)
        .values("task__path", "task__title", "task__order")
        .annotate(**COUNTS)
        .order_by("task__order")
    )
    return _figures(rows, "task__path", "task__title")


def region_figures(cycle: ReportingCycle, period: str) -> list[Figures]:
    """Per region of the reporting units (one aggregate query)."""
    rows = (
        ProgressReport.objects.filter(cycle=cycle, period=period)
        .values("organization__region__code", "organization__region__name")
        .annotate(**COUNTS)
        .order_by("organization__region__code")
    )
    return _figures(rows, "organization__region__code", "organization__region__name")


def period_figures(cycle: ReportingCycle) -> list[Figures]:
    """Per period of the cycle opened so far (one aggregate query)."""
    rows = (
        ProgressReport.objects.filter(cycle=cycle)
        .values("period")
        .annotate(**COUNTS)
        .order_by("period")
    )
    return _figures(rows, "period", "period")
