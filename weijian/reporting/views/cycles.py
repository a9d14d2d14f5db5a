"""The reporting cycles of a plan: the list, the form (with a preview of the next periods' due
and lock dates, refreshed by htmx as the user changes the rule), stopping and starting a cycle,
and opening a period's expected reports now.

The list is read by every user of the reporting module who may read the plan; the writes are
for the plan editors (科室人员 of the plan's owner or above it), checked again by the services."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from weijian.accounts.access import PLAN_EDITORS
from weijian.accounts.decorators import role_required
from weijian.accounts.roles import has_role
from weijian.core.modules import module_roles
from weijian.core.workdays import WorkCalendar
from weijian.orgs.registry_views.common import actor, submit
from weijian.plans import selectors as plan_selectors
from weijian.plans.models import Plan
from weijian.reporting import selectors
from weijian.reporting.models import ReportingCycle
from weijian.reporting.periods import Period
from weijian.reporting.review_forms import CycleForm, OpenPeriodForm
from weijian.reporting.services import cycles
from weijian.reporting.services.expected import due_periods

read_view = role_required(*module_roles("reporting"))
edit_view = role_required(*PLAN_EDITORS)
PREVIEW_PERIODS = 6
OPENABLE_PERIODS = 12  # the recent periods offered by the list's 开放填报期间


def list_url(plan: Plan | int) -> str:
    return reverse("reporting:cycle_list", args=[plan if isinstance(plan, int) else plan.pk])


def _may_edit(request: HttpRequest, plan: Plan) -> bool:
    user = request.user
    return has_role(user, *PLAN_EDITORS) and plan.owner.is_within(
        user.organization  # type: ignore[union-attr]
    )


def _openable(cycle: ReportingCycle, today: datetime.date) -> list[Period]:
    """The cycle's periods up to the next one, newest first (at most OPENABLE_PERIODS)."""
    upcoming = Period.containing(cycle.frequency, today).next()
    return list(reversed(due_periods(cycle, until=upcoming)))[:OPENABLE_PERIODS]


@read_view
def cycle_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_selectors.plan_get(user=request.user, pk=pk)
    found = list(selectors.plan_cycles(plan=plan))
    calendar = WorkCalendar.load()
    today = timezone.localdate()
    rows = [
        {
            "cycle": cycle,
            "rule": cycles.rule_text(cycle),
            "next": next(iter(cycles.cycle_schedule(cycle, count=1, calendar=calendar)), None),
            "openable": _openable(cycle, today),
            "current": Period.containing(cycle.frequency, today).key,
        }
        for cycle in found
    ]
    context = {"plan": plan, "rows": rows, "may_edit": _may_edit(request, plan)}
    return render(request, "reporting/cycle_list.html", context)


def _schedule(plan: Plan, data: dict[str, Any]) -> tuple[list[cycles.Scheduled], str]:
    """The preview of a cycle's form data: the next periods, or why there is none yet."""
    try:
        clean = cycles.clean_cycle(plan, data)
    except ValidationError as error:
        return [], "；".join(error.messages)
    draft = ReportingCycle(plan=plan, **{name: clean[name] for name in cycles.CYCLE_FIELDS})
    return cycles.cycle_schedule(draft, count=PREVIEW_PERIODS), ""


def _form_schedule(plan: Plan, form: CycleForm) -> tuple[list[cycles.Scheduled], str]:
    if form.is_bound:
        if not form.is_valid():
            return [], "表单中有填写错误，更正后显示。"
        return _schedule(plan, dict(form.cleaned_data))
    return _schedule(plan, {**form.initial, "tasks": []})


def _form_page(
    request: HttpRequest, plan: Plan, form: CycleForm, *, title: str, cycle: Any = None
) -> HttpResponse:
    schedule, problem = _form_schedule(plan, form)
    context = {
        "plan": plan,
        "form": form,
        "title": title,
        "cycle": cycle,
        "schedule": schedule,
        "problem": problem,
        "back_url": list_url(plan),
    }
    return render(request, "reporting/cycle_form.html", context)


@edit_view
def cycle_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_selectors.plan_get(user=request.user, pk=pk)
    form = CycleForm(request.POST or None, plan=plan, initial=CycleForm.initial_new())
    response = submit(
        request,
        form,
        lambda data: cycles.cycle_create(actor=actor(request), plan=plan, **data),
        done="已新建填报周期。",
        to=list_url(plan),
    )
    return response or _form_page(request, plan, form, title="新建填报周期")


@edit_view
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    plan = cycle.plan
    form = CycleForm(request.POST or None, plan=plan, initial=CycleForm.initial_for(cycle))
    response = submit(
        request,
        form,
        lambda data: cycles.cycle_update(actor=actor(request), cycle=cycle, **data),
        done=f"已保存填报周期“{cycle.name}”。",
        to=list_url(plan),
    )
    title = f"修改填报周期 · {cycle.name}"
    return response or _form_page(request, plan, form, title=title, cycle=cycle)


@edit_view
def cycle_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The form's preview alone (htmx, on every change of the form)."""
    plan = plan_selectors.plan_get(user=request.user, pk=pk)
    schedule, problem = _form_schedule(plan, CycleForm(request.GET, plan=plan))
    context = {"schedule": schedule, "problem": problem}
    return render(request, "reporting/cycle_preview.html", context)


@edit_view
def cycle_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what stopping means. POST: stop the cycle."""
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    if request.method != "POST":
        context = {"cycle": cycle, "plan": cycle.plan, "back_url": list_url(cycle.plan_id)}
        return render(request, "reporting/cycle_confirm.html", context)
    return _change(
        request,
        cycle,
        lambda: cycles.cycle_deactivate(actor=actor(request), cycle=cycle),
        done=f"已停用填报周期“{cycle.name}”。",
    )


@require_POST
@edit_view
def cycle_activate(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    return _change(
        request,
        cycle,
        lambda: cycles.cycle_activate(actor=actor(request), cycle=cycle),
        done=f"已启用填报周期“{cycle.name}”。",
    )


@require_POST
@edit_view
def cycle_open_period(request: HttpRequest, pk: int) -> HttpResponse:
    """Create a period's expected reports now (the daily job does it too)."""
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    form = OpenPeriodForm(request.POST)
    key = form.cleaned_data["period"] if form.is_valid() else ""

    def run() -> str:
        opened = cycles.cycle_open_period(actor=actor(request), cycle=cycle, period=key)
        text = (
            f"已开放{opened.period.label}的填报：应填报 {opened.expected} 份，"
            f"本次新增 {opened.created} 份、移除 {opened.removed} 份。"
        )
        if opened.unlinked:
            text += f"另有 {opened.unlinked} 处责任单位尚未匹配到单位，无法填报，请在方案中匹配。"
        return text

    return _change(request, cycle, run)


def _change(
    request: HttpRequest, cycle: ReportingCycle, run: Callable[[], object], *, done: str = ""
) -> HttpResponse:
    """Run a cycle service; say what happened (or why not) on the cycle list."""
    try:
        said = run()
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, done or str(said))
    return redirect(list_url(cycle.plan_id))
