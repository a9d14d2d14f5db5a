"""Sampling plan pages: the list, the form, the detail with its draws, the draw (a 试抽 preview
that writes nothing, then a confirmed, witnessed draw), the redraw with a reason, and a draw's
groups as an Excel download. Writes are for 科室人员, checked again by the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from weijian.accounts.decorators import role_required
from weijian.accounts.roles import has_role
from weijian.core import audit
from weijian.core.pagination import paginate
from weijian.core.xlsx import Sheet, xlsx_response
from weijian.orgs.registry_views.common import actor, add_service_error
from weijian.supervision import selectors_sampling as selectors
from weijian.supervision.access import EDITORS, READERS
from weijian.supervision.forms_sampling import DrawForm, PlanFilterForm, PlanForm, RedrawForm
from weijian.supervision.models import (
    HospitalLevel,
    InstitutionCategory,
    Ownership,
    PlanState,
    SamplingPlan,
)
from weijian.supervision.selectors_inspections import plan_progress
from weijian.supervision.services import sampling

read_view = role_required(*READERS)
edit_view = role_required(*EDITORS)
GROUPS_PER_PAGE = 50


def detail_url(plan: SamplingPlan) -> str:
    return reverse("supervision:plan_detail", args=[plan.pk])


def _may_edit(request: HttpRequest, plan: SamplingPlan) -> bool:
    user = request.user
    return has_role(user, *EDITORS) and plan.owner.is_within(
        user.organization  # type: ignore[union-attr]
    )


@read_view
def plan_list(request: HttpRequest) -> HttpResponse:
    form = PlanFilterForm(request.GET or None, user=actor(request))
    filters: dict[str, Any] = {}
    if form.is_valid():
        item = form.cleaned_data["item"]
        filters = {
            "year": form.cleaned_data["year"],
            "state": form.cleaned_data["state"],
            "item": item.pk if item else None,
        }
    rows = selectors.plans(user=request.user, **filters)
    context = {
        "form": form,
        "may_create": has_role(request.user, *EDITORS),
        **paginate(request, rows),
    }
    return render(request, "supervision/sampling/plan_list.html", context)


def _form_page(
    request: HttpRequest, form: PlanForm, *, title: str, plan: SamplingPlan | None = None
) -> HttpResponse:
    context = {"form": form, "title": title, "plan": plan}
    return render(request, "supervision/sampling/plan_form.html", context)


def _save(request: HttpRequest, form: PlanForm, save: Any) -> SamplingPlan | None:
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        plan: SamplingPlan = save(form.service_data())
    except (ValidationError, PermissionDenied) as error:
        add_service_error(form, error)
        return None
    return plan


@edit_view
def plan_create(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    initial = {"year": timezone.localdate().year}
    form = PlanForm(request.POST or None, user=user, initial=initial)
    plan = _save(
        request,
        form,
        lambda data: sampling.plan_create(actor=user, owner=user.organization, **data),
    )
    if plan is not None:
        messages.success(request, f"已新建抽查计划“{plan.title}”。")
        return redirect(detail_url(plan))
    return _form_page(request, form, title="新建抽查计划")


@edit_view
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    if plan.state != PlanState.PENDING:
        messages.error(request, "只有“待抽取”的计划可以修改。")
        return redirect(detail_url(plan))
    form = PlanForm(request.POST or None, user=actor(request), initial=PlanForm.initial_for(plan))
    saved = _save(
        request,
        form,
        lambda data: sampling.plan_update(actor=actor(request), plan=plan, **data),
    )
    if saved is not None:
        messages.success(request, f"已保存抽查计划“{plan.title}”。")
        return redirect(detail_url(plan))
    return _form_page(request, form, title=f"修改抽查计划 · {plan.title}", plan=plan)


def _scope_labels(plan: SamplingPlan) -> dict[str, Any]:
    def labels(values: list[str], choices: Any) -> str:
        return "、".join(str(choices(value).label) for value in values) or "全部"

    ratio = plan.object_ratio
    return {
        "categories": labels(plan.categories, InstitutionCategory),
        "levels": labels(plan.levels, HospitalLevel),
        "ownerships": labels(plan.ownerships, Ownership),
        "ratio_percent": ratio * 100 if ratio is not None else None,
    }


@read_view
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    current = selectors.current_draw(plan)
    context: dict[str, Any] = {
        "plan": plan,
        "regions": list(plan.regions.all()),
        "scope": _scope_labels(plan),
        "draws": list(selectors.plan_draws(plan)),
        "current": current,
        "may_edit": _may_edit(request, plan),
        "redraw_blocker": sampling.redraw_blocker(plan) if current else None,
        "progress": plan_progress(plan=plan, today=timezone.localdate()) if current else None,
    }
    if current is not None:
        pages = paginate(request, current.result.get("selected", []), per_page=GROUPS_PER_PAGE)
        context.update(pages)
        context["groups"] = selectors.groups(list(pages["page"].object_list))
    return render(request, "supervision/sampling/plan_detail.html", context)


def _result_context(outcome: sampling.Outcome, *, preview: bool) -> dict[str, Any]:
    result = outcome.result.to_json()
    return {
        "result": result,
        "groups": selectors.groups(result["selected"][:GROUPS_PER_PAGE]),
        "more": max(0, len(result["selected"]) - GROUPS_PER_PAGE),
        "preview": preview,
    }


def _draw_page(
    request: HttpRequest,
    plan: SamplingPlan,
    form: BaseForm,
    *,
    redraw: bool,
    step: str = "form",
    outcome: sampling.Outcome | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {"plan": plan, "form": form, "redraw": redraw, "step": step}
    if outcome is not None:
        context.update(_result_context(outcome, preview=outcome.draw is None and step == "preview"))
    return render(request, "supervision/sampling/plan_draw.html", context)


def _run(request: HttpRequest, plan: SamplingPlan, form: DrawForm, *, redraw: bool) -> HttpResponse:
    """The POST of a draw or redraw page: 试抽, the confirmation step, or the real draw."""
    step = request.POST.get("step", "")
    if step == "preview":
        outcome = sampling.preview_draw(plan)
        return _draw_page(request, plan, form, redraw=redraw, step="preview", outcome=outcome)
    if not form.is_valid():
        return _draw_page(request, plan, form, redraw=redraw)
    if step != "confirmed":
        return _draw_page(request, plan, form, redraw=redraw, step="confirm")
    data = form.cleaned_data
    try:
        if redraw:
            outcome = sampling.redraw_plan(
                plan=plan,
                actor=actor(request),
                reason=data["reason"],
                witness=data["witness"],
                seed=data["seed"],
            )
        else:
            outcome = sampling.draw_plan(
                plan=plan, actor=actor(request), witness=data["witness"], seed=data["seed"]
            )
    except (ValidationError, PermissionDenied) as error:
        add_service_error(form, error)
        return _draw_page(request, plan, form, redraw=redraw)
    if outcome.draw is None:
        return _draw_page(request, plan, form, redraw=redraw, step="infeasible", outcome=outcome)
    messages.success(
        request,
        f"第{outcome.draw.number}次抽取完成：抽中 {len(outcome.result.selected)} 家机构，"
        f"随机种子 {outcome.result.seed}。",
    )
    return redirect(detail_url(plan))


@edit_view
def plan_draw(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    if plan.state != PlanState.PENDING:
        messages.error(request, "该计划已抽取；如需重新抽取，请使用“重新抽取”并说明原因。")
        return redirect(detail_url(plan))
    form = DrawForm(request.POST or None, initial={"witness": plan.witness})
    if request.method == "POST":
        return _run(request, plan, form, redraw=False)
    return _draw_page(request, plan, form, redraw=False)


@edit_view
def plan_redraw(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    blocker = sampling.redraw_blocker(plan)
    if blocker:
        messages.error(request, blocker)
        return redirect(detail_url(plan))
    form = RedrawForm(request.POST or None, initial={"witness": plan.witness})
    if request.method == "POST":
        return _run(request, plan, form, redraw=True)
    return _draw_page(request, plan, form, redraw=True)


@read_view
def draw_export(request: HttpRequest, pk: int) -> HttpResponse:
    draw = selectors.draw_get(user=request.user, pk=pk)
    plan = draw.plan
    rows = selectors.groups(draw.result.get("selected", []))
    groups = [
        [
            index,
            row["name"],
            row["institution"],
            row["weight"],
            "、".join(f"{p['name']}（{p['key']}）" for p in row["people"]),
        ]
        for index, row in enumerate(rows, start=1)
    ]
    facts = [
        ["抽查计划", plan.title],
        ["抽取次序", f"第{draw.number}次" + ("（当前有效）" if draw.is_current else "（已作废）")],
        ["抽取时间", draw.drawn_at.strftime("%Y-%m-%d %H:%M")],
        ["抽取人", draw.drawn_by.full_name if draw.drawn_by else ""],
        ["见证人", draw.witness],
        ["随机种子", str(draw.seed)],
        ["快照摘要（SM3）", draw.snapshot_digest],
        ["机构名录数", draw.result.get("pool_size", 0)],
        ["执法人员数", draw.result.get("inspector_pool_size", 0)],
        ["回避人次", draw.result.get("conflicts_avoided", 0)],
        ["重新抽取原因", draw.reason],
    ]
    audit.record(
        action="data.export",
        actor=actor(request),
        obj=draw,
        organization=plan.owner,
        summary={"what": f"抽取结果：{plan.title} 第{draw.number}次", "format": "xlsx"},
    )
    return xlsx_response(
        stem=f"{plan.title}-第{draw.number}次抽取结果",
        sheets=[
            Sheet("抽取结果", ["序号", "机构名称", "统一社会信用代码", "权重", "检查组"], groups),
            Sheet("抽取信息", ["项目", "内容"], facts),
        ],
    )
