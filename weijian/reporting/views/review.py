"""The review pages: a level's queue of unit reports, one unit × period with its trail and the
buttons 审核通过 / 验收通过 / 退回 / 重新开放, and bulk accept from the queue.

Only 科室人员 and 领导 reach them (a 填报员 gets 403); a unit report outside both the user's tree
and his plans' tree is a 404. The services decide who acts at which level: a refusal is a 403
with its Chinese reason, a broken rule (an empty reason, a report moved meanwhile) comes back on
the page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from weijian.accounts.decorators import role_required
from weijian.core.dates import chinese_date
from weijian.core.pagination import paginate
from weijian.core.scoping import in_scope
from weijian.orgs.models import Organization
from weijian.orgs.registry_views.common import actor, add_service_error
from weijian.reporting import selectors
from weijian.reporting.locks import lock_reason
from weijian.reporting.models import ReportingCycle, ReviewAction
from weijian.reporting.periods import SHANGHAI
from weijian.reporting.review_forms import (
    BulkAcceptForm,
    QueueFilterForm,
    ReopenForm,
    ReturnForm,
)
from weijian.reporting.services import cycles, review

if TYPE_CHECKING:
    from collections.abc import Callable

    from weijian.reporting.selectors import UnitReport

review_view = role_required(*review.REVIEWERS)
DETAIL_TEMPLATE = "reporting/review_detail.html"


def detail_url(unit: UnitReport) -> str:
    args = [unit.cycle.pk, unit.organization.pk, unit.period.key]
    return reverse("reporting:review_detail", args=args)


def queue_url(query: str = "") -> str:
    url = reverse("reporting:review_queue")
    return f"{url}?{query}" if query else url


@review_view
def review_queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = QueueFilterForm(
        request.GET,
        cycles=selectors.review_cycles(user=user),
        periods=selectors.review_periods(user=user),
    )
    filters = form.filters()
    context = paginate(request, selectors.review_queue(user=user, **filters))
    rows = selectors.queue_rows(user=user, rows=context["page"].object_list)
    context.update(
        form=form, rows=rows, waiting=not filters["status"], bulk=any(r.acceptable for r in rows)
    )
    return render(request, "reporting/review_queue.html", context)


def _unit(request: HttpRequest, cycle: int, organization: int, period: str) -> UnitReport:
    return selectors.unit_report_get(
        user=request.user, cycle=cycle, organization=organization, period=period
    )


def _detail_page(
    request: HttpRequest,
    unit: UnitReport,
    *,
    return_form: ReturnForm | None = None,
    reopen_form: ReopenForm | None = None,
) -> HttpResponse:
    user, cycle, organization = request.user, unit.cycle, unit.organization
    status = unit.status

    def may(action: str) -> bool:
        return review.refusal(user, cycle, organization, status, action) is None

    context = {
        "unit": unit,
        "level": review.approving_level(cycle, organization),
        "owner": cycle.plan.owner,
        "can_approve": may(ReviewAction.APPROVE),
        "can_accept": may(ReviewAction.ACCEPT),
        "can_return": may(ReviewAction.RETURN),
        "can_reopen": cycles.may_reopen(user, cycle, organization),
        "lock": lock_reason(cycle, organization, unit.period.key),
        "due_at": cycle.due_at(unit.period),
        "return_form": return_form or ReturnForm(),
        "reopen_form": reopen_form or ReopenForm(initial=ReopenForm.default_initial()),
    }
    return render(request, DETAIL_TEMPLATE, context)


@review_view
def review_detail(request: HttpRequest, cycle: int, organization: int, period: str) -> HttpResponse:
    return _detail_page(request, _unit(request, cycle, organization, period))


def _step(
    request: HttpRequest, unit: UnitReport, move: Callable[[], object], *, done: str
) -> HttpResponse:
    """Run a review service: on success say `done` and return to the queue; a broken rule is
    said on the unit's page; a refusal is a 403."""
    try:
        move()
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(detail_url(unit))
    messages.success(request, done)
    return redirect(queue_url())


@require_POST
@review_view
def review_approve(
    request: HttpRequest, cycle: int, organization: int, period: str
) -> HttpResponse:
    unit = _unit(request, cycle, organization, period)
    owner = unit.cycle.plan.owner.name
    return _step(
        request,
        unit,
        lambda: review.approve(
            actor=actor(request),
            cycle=unit.cycle,
            organization=unit.organization,
            period=unit.period.key,
        ),
        done=f"已审核通过{unit.organization.name}{unit.period.label}的报告，待{owner}验收。",
    )


@require_POST
@review_view
def review_accept(request: HttpRequest, cycle: int, organization: int, period: str) -> HttpResponse:
    unit = _unit(request, cycle, organization, period)
    return _step(
        request,
        unit,
        lambda: review.accept(
            actor=actor(request),
            cycle=unit.cycle,
            organization=unit.organization,
            period=unit.period.key,
        ),
        done=f"已验收通过{unit.organization.name}{unit.period.label}的报告。",
    )


@require_POST
@review_view
def review_return(request: HttpRequest, cycle: int, organization: int, period: str) -> HttpResponse:
    unit = _unit(request, cycle, organization, period)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            review.return_report(
                actor=actor(request),
                cycle=unit.cycle,
                organization=unit.organization,
                period=unit.period.key,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            name = f"{unit.organization.name}{unit.period.label}"
            messages.success(request, f"已将{name}的报告退回，请其修改后重新报送。")
            return redirect(queue_url())
    return _detail_page(request, unit, return_form=form)


@require_POST
@review_view
def review_reopen(request: HttpRequest, cycle: int, organization: int, period: str) -> HttpResponse:
    unit = _unit(request, cycle, organization, period)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            reopening = cycles.reopen(
                actor=actor(request),
                cycle=unit.cycle,
                organization=unit.organization,
                period=unit.period.key,
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            until = reopening.until.astimezone(SHANGHAI).date()
            messages.success(
                request,
                f"已为{unit.organization.name}重新开放{unit.period.label}的填报，"
                f"至{chinese_date(until)}。",
            )
            return redirect(detail_url(unit))
    return _detail_page(request, unit, reopen_form=form)


@require_POST
@review_view
def review_bulk_accept(request: HttpRequest) -> HttpResponse:
    """Accept the checked unit reports of the queue; say which were skipped and why."""
    groups = BulkAcceptForm(request.POST).groups()
    query = QueryDict(request.POST.get("query", "")).urlencode()
    if not groups:
        messages.warning(request, "请先勾选要验收的报告。")
        return redirect(queue_url(query))
    accepted = 0
    for (cycle_pk, period), organization_pks in sorted(groups.items()):
        cycle = in_scope(ReportingCycle.objects.all(), request.user, via="plan__owner")
        found = cycle.select_related("plan__owner").filter(pk=cycle_pk).first()
        if found is None:
            messages.error(request, "部分勾选的报告不存在或您无权访问，已跳过。")
            continue
        accepted += _bulk_one(request, found, period, organization_pks)
    if accepted:
        messages.success(request, f"已验收通过 {accepted} 个单位的报告。")
    return redirect(queue_url(query))


def _bulk_one(
    request: HttpRequest, cycle: ReportingCycle, period: str, organization_pks: list[int]
) -> int:
    units = Organization.objects.filter(
        pk__in=organization_pks, progress_reports__cycle=cycle, progress_reports__period=period
    ).distinct()
    try:
        result = review.bulk_accept(
            actor=actor(request), cycle=cycle, period=period, organizations=list(units)
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
        return 0
    for unit, reason in result.skipped:
        messages.warning(request, f"未验收{unit.name}：{reason}")
    return len(result.accepted)
