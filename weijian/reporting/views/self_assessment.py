"""自评: a unit's completeness, timeliness, target achievement and score in each period of a
cycle against the average of the units of its level (`reporting.assessment`), as a table and a
line chart, and its rank in the cycle's ranking for the latest period (`status.unit_status`).

Every business role reaches its own unit's page. 科室人员 and 领导 may choose a unit of their
tree (`?unit=`; outside it is a 404); a 填报员 sees only his own unit (any other is a 404)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from weijian.accounts.decorators import role_required
from weijian.accounts.roles import Role, has_role
from weijian.core import audit
from weijian.core.modules import module_roles
from weijian.core.scoping import get_in_scope_or_404, in_scope
from weijian.orgs.models import Organization
from weijian.reporting import dashboard as figures
from weijian.reporting.assessment import Standing, standings
from weijian.reporting.models import ProgressReport
from weijian.reporting.periods import SHANGHAI, Period
from weijian.reporting.status import unit_status
from weijian.reporting.views.dashboard import chart_json, percent, pick_cycle

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from weijian.accounts.models import User

CHOOSERS = (Role.STAFF, Role.LEADER)  # may look at a unit below their own


@role_required(*module_roles("reporting"))
def self_assessment(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    unit = _unit(user, request.GET.get("unit", ""))
    cycles = figures.cycles_in(ProgressReport.objects.filter(organization=unit))
    cycle = pick_cycle(cycles, request.GET.get("cycle"))
    context: dict[str, Any] = {
        "unit": unit,
        "cycles": cycles,
        "cycle": cycle,
        "units": _units(user) if has_role(user, *CHOOSERS) else [],
    }
    if cycle is not None:
        today = timezone.now().astimezone(SHANGHAI).date()
        until = Period.containing(cycle.frequency, today)
        found = standings(cycle=cycle, organization=unit, until=until)
        context.update(standings=found, chart=chart_json(assessment_chart(found)))
        if found:
            ranking = unit_status(cycle, found[-1].period.key)
            context["overall"] = next((r for r in ranking if r.organization_id == unit.pk), None)
            context["ranked"] = len(ranking)
    return render(request, "reporting/self_assessment.html", context)


def _unit(user: User, raw: str) -> Organization:
    """The unit asked for: the user's own, or (for 科室人员 and 领导) one of his tree."""
    own: Organization = user.organization
    if not raw or raw == str(own.pk):
        return own
    if not raw.isdigit():
        raise Http404("无法识别的单位。")
    if not has_role(user, *CHOOSERS):
        audit.record(
            action="access.denied",
            actor=user,
            summary={"model": "reporting.self_assessment", "unit": raw},
            success=False,
        )
        raise Http404("只能查看本单位的自评。")
    return get_in_scope_or_404(Organization.objects.all(), user, via="", pk=int(raw))


def _units(user: User) -> list[Organization]:
    """The units of the user's tree that have reports, to choose from (one query)."""
    reporting = ProgressReport.objects.filter(organization=OuterRef("pk"))
    units = in_scope(Organization.objects.all(), user, via="").filter(Exists(reporting))
    return list(units.order_by("path"))


def assessment_chart(found: list[Standing]) -> dict[str, Any]:
    """The unit's rates (solid) and its peers' averages (dashed), one colour per figure; the
    averages other than the score's start hidden (a click on the legend shows them)."""
    shown = [
        ("得分", "score", "average_score", "#0b4a8b"),
        ("报送率", "completeness", "average_completeness", "#2f9e44"),
        ("及时率", "timeliness", "average_timeliness", "#e8590c"),
        ("目标完成率", "achievement", "average_achievement", "#7048e8"),
    ]
    series: list[dict[str, Any]] = []
    for name, own, average, color in shown:
        mine = [percent(getattr(s.unit, own)) for s in found]
        theirs = [percent(getattr(s, average)) for s in found]
        series.append({"name": f"本单位{name}", "data": mine, "color": color})
        series.append(
            {
                "name": f"同级平均{name}",
                "data": theirs,
                "color": color,
                "dashed": True,
                "hidden": own != "score",
            }
        )
    return {"categories": [s.period.label for s in found], "percent": True, "series": series}
