"""领导驾驶舱: one cycle × period of the reports in the user's tree, in four charts (completion
by unit, the on-time trend by month, one target against the units' latest values with its
target line) and two tables (lagging tasks, targets).

Open to 领导 and 科室人员. A leader sees by default what his division of work in the registry
names (see `reporting.dashboard`), and widens it to everything in his tree with 查看全部
(`?all=1`); 科室人员 see everything in their tree. The chart data travels in `data-chart`
attributes read by static/js/reporting-charts.js: the pages carry no inline script (CSP)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from weijian.accounts.decorators import role_required
from weijian.accounts.roles import Role, has_role
from weijian.reporting import dashboard as figures
from weijian.reporting.periods import SHANGHAI, Period

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse

    from weijian.accounts.models import User
    from weijian.reporting.models import ProgressReport, ReportingCycle

TEMPLATE = "reporting/dashboard.html"
CHART_UNITS = 30  # the completion chart shows the least complete units


@dataclass(frozen=True)
class Choice:
    """The cycle, period and reach the page shows."""

    cycle: ReportingCycle
    period: Period
    periods: list[Period]
    widened: bool
    focus: figures.Focus | None  # None for a user who is not a leader

    @property
    def narrowed(self) -> bool:
        return self.focus is not None and self.focus.found and not self.widened

    def url(self, **changes: Any) -> str:
        params = {"cycle": self.cycle.pk, "period": self.period.key, "all": self.widened or None}
        params.update(changes)
        query = urlencode({k: int(v) if v is True else v for k, v in params.items() if v})
        return f"{reverse('reporting:dashboard')}?{query}"

    @property
    def widen_url(self) -> str:
        return self.url(all=True)

    @property
    def narrow_url(self) -> str:
        return self.url(all=None)


@role_required(Role.LEADER, Role.STAFF)
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    scope = figures.reports_in_scope(user=user)
    cycles = figures.cycles_in(scope)
    cycle = pick_cycle(cycles, request.GET.get("cycle"))
    if cycle is None:
        return render(request, TEMPLATE, {"cycles": cycles})
    choice = _choice(request, user, scope.filter(cycle=cycle), cycle)
    reports = scope.filter(cycle=cycle)
    if choice.narrowed and choice.focus is not None:
        reports = reports.filter(choice.focus.condition)
    context = {"cycles": cycles, "choice": choice, **_figures(request, reports, choice)}
    return render(request, TEMPLATE, context)


def pick_cycle(cycles: list[ReportingCycle], raw: str | None) -> ReportingCycle | None:
    chosen = next((c for c in cycles if str(c.pk) == raw), None)
    return chosen or (cycles[0] if cycles else None)


def _choice(
    request: HttpRequest, user: User, reports: QuerySet[ProgressReport], cycle: ReportingCycle
) -> Choice:
    today = timezone.now().astimezone(SHANGHAI).date()
    periods = figures.periods_in(reports, today=today)
    periods = periods or [Period.containing(cycle.frequency, today)]
    raw = request.GET.get("period", "")
    period = next((p for p in periods if p.key == raw), periods[0])
    focus = figures.leader_focus(user=user) if has_role(user, Role.LEADER) else None
    return Choice(cycle, period, periods, request.GET.get("all") == "1", focus)


def _figures(
    request: HttpRequest, reports: QuerySet[ProgressReport], choice: Choice
) -> dict[str, Any]:
    current = reports.filter(period=choice.period.key)
    units = figures.completion_by_unit(current)
    lagging, lagging_total = figures.lagging_tasks(current)
    targets = figures.target_rows(reports, until=choice.period)
    target = next((t for t in targets if str(t.target_id) == request.GET.get("target")), None)
    target = target or (targets[0] if targets else None)
    values = (
        figures.target_values(reports, until=choice.period, target_id=target.target_id)
        if target
        else []
    )
    points = figures.trend(reports, until=choice.period)
    return {
        "totals": figures.totals(current),
        "units": units[:CHART_UNITS],
        "unit_total": len(units),
        "lagging": lagging,
        "lagging_total": lagging_total,
        "targets": targets,
        "target": target,
        "target_values": values,
        "trend": points,
        "completion_chart": chart_json(completion_chart(units[:CHART_UNITS])),
        "trend_chart": chart_json(trend_chart(points)),
        "target_chart": chart_json(target_chart(target, values)) if target else "",
    }


# --- chart data (read by static/js/reporting-charts.js) ---------------------------------------


def chart_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def completion_chart(units: list[figures.UnitCounts]) -> dict[str, Any]:
    """Stacked bars per unit: shares of its expected reports accepted, submitted and waiting
    for review (or returned), and missing."""

    def share(part: str) -> list[float | None]:
        return [percent(figures.rate(getattr(u.counts, part), u.counts.expected)) for u in units]

    return {
        "categories": [u.unit for u in units],
        "series": [
            {"name": "已通过", "data": share("accepted"), "color": "#2f9e44"},
            {"name": "已报送待审核", "data": share("waiting"), "color": "#0b4a8b"},
            {"name": "未报送", "data": share("missing"), "color": "#c8161d"},
        ],
    }


def trend_chart(points: list[figures.PeriodCounts]) -> dict[str, Any]:
    def line(part: str, name: str, color: str) -> dict[str, Any]:
        data = [percent(getattr(p.counts, part)) for p in points]
        return {"name": name, "data": data, "color": color}

    return {
        "categories": [p.period.label for p in points],
        "percent": True,
        "series": [
            line("completeness", "报送率", "#0b4a8b"),
            line("timeliness", "及时率", "#e8590c"),
            line("acceptance", "验收通过率", "#2f9e44"),
        ],
    }


def target_chart(target: figures.TargetRow, values: list[figures.UnitValue]) -> dict[str, Any]:
    """The units' latest values as bars (met or not), the target as a line (two for a range)."""
    lines = [target.value] if target.value_max is None else [target.value, target.value_max]
    return {
        "title": target.label,
        "unit": target.unit,
        "categories": [v.unit for v in values],
        "values": [v.value for v in values],
        "met": [v.met for v in values],
        "lines": lines,
    }
