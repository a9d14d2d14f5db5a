"""Self-assessment (自评): a unit's completeness, timeliness, target achievement and score, period
by period, against the average of its peers and its rank among them.

Peers are the units of the same level of the region: the units with the same parent
organization (the counties of a city, the hospitals of a county) that report in the cycle for
that period, the unit itself included. The average is the plain mean of the peers' rates (each
unit counts once, whatever its number of tasks); target achievement is averaged over the peers
that had targets to report. Scores and ranks follow `status.unit_status` (the cycle's weights,
ties share a rank).

Two aggregate queries whatever the number of units and periods: one GROUP BY (organization,
period) over the reports, one over the target values; Python only ranks the aggregated rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean

from django.db.models import Count, Q, QuerySet, Sum

from weijian.orgs.models import Organization
from weijian.reporting.models import ProgressReport, ReportingCycle, ReportStatus, TargetValue
from weijian.reporting.models.reports import SUBMITTED_STATES
from weijian.reporting.periods import Period
from weijian.reporting.status import UnitStatus, met_case, weighted_score


@dataclass(frozen=True)
class Standing:
    """The unit in one period, and its peers' averages."""

    period: Period
    unit: UnitStatus
    peers: int
    average_completeness: float
    average_timeliness: float
    average_achievement: float | None
    average_score: float

    @property
    def rank(self) -> int:
        return self.unit.rank


def peers_of(organization: Organization) -> Q:
    """Reports of the units at the organization's level of its region (same parent)."""
    if organization.parent_id is None:
        return Q(organization__parent__isnull=True)
    return Q(organization__parent_id=organization.parent_id)


def standings(
    *, cycle: ReportingCycle, organization: Organization, until: Period
) -> list[Standing]:
    """The unit's standing in each period of the cycle up to `until` in which it was expected
    to report, oldest first."""
    reports = ProgressReport.objects.filter(
        peers_of(organization), cycle=cycle, period_start__lte=until.start
    )
    by_period = _unit_rows(cycle, reports)
    found = []
    for key in sorted(by_period, key=Period.parse):
        units = by_period[key]
        if organization.pk not in units:
            continue
        _rank(list(units.values()))
        found.append(_standing(Period.parse(key), units[organization.pk], list(units.values())))
    return found


def _unit_rows(
    cycle: ReportingCycle, reports: QuerySet[ProgressReport]
) -> dict[str, dict[int, UnitStatus]]:
    weights = (cycle.weight_achievement, cycle.weight_completeness, cycle.weight_timeliness)
    rows = (
        reports.values("organization_id", "organization__name", "period")
        .annotate(
            expected=Count("pk"),
            submitted=Count("pk", filter=Q(status__in=SUBMITTED_STATES)),
            on_time=Count("pk", filter=Q(status__in=SUBMITTED_STATES, on_time=True)),
            accepted=Count("pk", filter=Q(status=ReportStatus.ACCEPTED)),
        )
        .order_by()
    )
    by_period: dict[str, dict[int, UnitStatus]] = defaultdict(dict)
    for row in rows:
        by_period[row["period"]][row["organization_id"]] = UnitStatus(
            organization_id=row["organization_id"],
            unit=row["organization__name"],
            expected=row["expected"],
            submitted=row["submitted"],
            on_time=row["on_time"],
            accepted=row["accepted"],
            weights=weights,
        )
    values = (
        TargetValue.objects.filter(report__in=reports.filter(status__in=SUBMITTED_STATES))
        .values("report__organization_id", "report__period")
        .annotate(targets=Count("pk"), met=Sum(met_case()))
        .order_by()
    )
    for row in values:
        unit = by_period[row["report__period"]].get(row["report__organization_id"])
        if unit is not None:
            unit.targets, unit.targets_met = row["targets"], row["met"] or 0
    return by_period


def _rank(units: list[UnitStatus]) -> None:
    """Score and rank the units of one period (best first; ties share a rank)."""
    for unit in units:
        unit.score = weighted_score(unit)
    ranked = sorted(units, key=lambda u: (-u.score, u.unit))
    for position, unit in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        tie = previous is not None and round(previous.score, 9) == round(unit.score, 9)
        unit.rank = previous.rank if previous is not None and tie else position


def _standing(period: Period, unit: UnitStatus, peers: list[UnitStatus]) -> Standing:
    achieved = [p.achievement for p in peers if p.achievement is not None]
    return Standing(
        period=period,
        unit=unit,
        peers=len(peers),
        average_completeness=fmean(p.completeness for p in peers),
        average_timeliness=fmean(p.timeliness for p in peers),
        average_achievement=fmean(achieved) if achieved else None,
        average_score=fmean(p.score for p in peers),
    )
