"""The monthly notice (通报) of a cycle × period: the figures, the form for its editable parts
(title, 文号, narrative, 抄送) and the .docx and .pdf downloads.

科室人员 and 领导 of the plan's owner or above it read it (another role gets 403, a cycle outside
their tree 404); saving is for the plan editors (科室人员 there: others get an audited 403, and
services.bulletin checks again). Each download is audited as an export."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from weijian.accounts.access import PLAN_EDITORS, require_plan_editor
from weijian.accounts.decorators import role_required
from weijian.accounts.models import User
from weijian.accounts.roles import Role, has_role
from weijian.core import audit
from weijian.core.documents import Document, FontError, docx_bytes, pdf_bytes
from weijian.core.scoping import get_in_scope_or_404
from weijian.core.xlsx import content_disposition
from weijian.orgs.registry_views.common import submit
from weijian.reporting import selectors
from weijian.reporting.bulletin import (
    BulletinData,
    bulletin_data,
    bulletin_document,
    percent,
    ranking_rows,
    share,
    unit_counts,
)
from weijian.reporting.bulletin_forms import BulletinForm
from weijian.reporting.models import ReportingCycle
from weijian.reporting.periods import Period
from weijian.reporting.services import bulletin as service
from weijian.reporting.services.expected import due_periods, open_period

bulletin_view = role_required(Role.STAFF, Role.LEADER)
RECENT_PERIODS = 24  # offered by the page's period switcher
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS: dict[str, tuple[Callable[[Document], bytes], str]] = {
    "docx": (docx_bytes, DOCX),
    "pdf": (pdf_bytes, "application/pdf"),
}


def page_url(cycle: ReportingCycle | int, period: str) -> str:
    pk = cycle if isinstance(cycle, int) else cycle.pk
    return reverse("reporting:bulletin", args=[pk, period])


def _cycle(request: HttpRequest, pk: int) -> ReportingCycle:
    cycles = ReportingCycle.objects.select_related("plan__owner")
    return get_in_scope_or_404(cycles, request.user, via="plan__owner", pk=pk)


def _period(request: HttpRequest, cycle: int, period: str) -> tuple[ReportingCycle, Period]:
    """The cycle in the user's tree and a begun period of it, its reports opened; or 404."""
    found = _cycle(request, cycle)
    opened = selectors.period_get(cycle=found, key=period)
    open_period(found, opened, source="通报页面")
    return found, opened


def _may_edit(request: HttpRequest, cycle: ReportingCycle) -> bool:
    user = request.user
    return has_role(user, *PLAN_EDITORS) and cycle.plan.owner.is_within(
        user.organization  # type: ignore[union-attr]
    )


def _recent(cycle: ReportingCycle) -> list[Period]:
    current = Period.containing(cycle.frequency, selectors.today())
    return list(reversed(due_periods(cycle, until=current)))[:RECENT_PERIODS]


def _choices(cycle: ReportingCycle, shown: Period) -> list[Period]:
    """The switcher's periods, newest first, the one shown among them."""
    recent = _recent(cycle)
    if shown in recent:
        return recent
    return sorted([*recent, shown], key=lambda period: period.start, reverse=True)


@bulletin_view
@require_GET
def bulletin_latest(request: HttpRequest, cycle: int) -> HttpResponse:
    """The notice of the period chosen (?period=2024-05), else of the last period that has
    ended (the current one early in a cycle)."""
    found = _cycle(request, cycle)
    recent = _recent(found)
    chosen = request.GET.get("period", "")
    if any(period.key == chosen for period in recent):
        return redirect(page_url(found, chosen))
    ended = [period for period in recent if period.end < selectors.today()]
    if not (ended or recent):
        messages.info(request, "该填报周期尚未开始，暂无通报。")
        return redirect("reporting:cycle_list", found.plan_id)
    return redirect(page_url(found, (ended or recent)[0].key))


@bulletin_view
def bulletin_page(request: HttpRequest, cycle: int, period: str) -> HttpResponse:
    found, opened = _period(request, cycle, period)
    if request.method == "POST" and not _may_edit(request, found):
        # Readers have no form; the refusal is audited.
        require_plan_editor(actor=cast(User, request.user), organizations=[found.plan.owner])
    data = bulletin_data(found, opened)
    form = BulletinForm(request.POST or None, initial=BulletinForm.initial_from(data.bulletin))
    response = submit(
        request,
        form,
        lambda values: service.bulletin_save(
            cycle=found, period=opened, actor=cast(User, request.user), **values
        ),
        done="通报已保存。",
        to=page_url(found, opened.key),
    )
    if response is not None:
        return response
    context = {
        "data": data,
        "cycle": found,
        "period": opened,
        "periods": _choices(found, opened),
        "form": form,
        "may_edit": _may_edit(request, found),
        "completeness": percent(data.completeness),
        "timeliness": percent(data.timeliness),
        "weights": [share(weight) for weight in data.weights],
        "ranking": ranking_rows(data.units),
        "late": unit_counts(data.late, "late"),
        "missing": unit_counts(data.missing, "missing"),
    }
    return render(request, "reporting/bulletin.html", context)


def _download(request: HttpRequest, cycle: int, period: str, kind: str) -> HttpResponse:
    found, opened = _period(request, cycle, period)
    data = bulletin_data(found, opened)
    write, content_type = FORMATS[kind]
    try:
        content = write(bulletin_document(data, today=timezone.localdate()))
    except FontError as error:
        messages.error(request, str(error))
        return redirect(page_url(found, opened.key))
    _audit_export(request, data, kind, len(content))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename(data, kind))
    return response


def _audit_export(request: HttpRequest, data: BulletinData, kind: str, size: int) -> None:
    audit.record(
        action="data.export",
        actor=cast(User, request.user),
        obj=data.cycle,
        organization=data.cycle.plan.owner,
        summary={
            "what": f"通报：{data.title}",
            "period": data.period.key,
            "format": kind,
            "bytes": size,
        },
    )


def filename(data: BulletinData, kind: str) -> str:
    """通报-2024年5月-健康萍乡行动方案.docx (characters a file name cannot hold → _)."""
    stem = f"通报-{data.period.label}-{data.cycle.plan.title}"
    safe = "".join("_" if ch in '\\/:*?"<>|' or ch.isspace() else ch for ch in stem)
    return f"{safe[:100]}.{kind}"


@bulletin_view
@require_GET
def bulletin_docx(request: HttpRequest, cycle: int, period: str) -> HttpResponse:
    return _download(request, cycle, period, "docx")


@bulletin_view
@require_GET
def bulletin_pdf(request: HttpRequest, cycle: int, period: str) -> HttpResponse:
    return _download(request, cycle, period, "pdf")
