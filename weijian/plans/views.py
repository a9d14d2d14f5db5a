"""The plan pages (read only): plans, a plan's task tree, my organization's tasks, documents."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from weijian.accounts.decorators import role_required
from weijian.core.modules import module_roles
from weijian.core.pagination import paginate
from weijian.plans import selectors
from weijian.plans.models import AssignmentRole

read_view = role_required(*module_roles("plans"))


@read_view
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plan_list(user=request.user)
    return render(request, "plans/plan_list.html", paginate(request, plans))


@read_view
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    units = selectors.plan_units(plan=plan)
    unit = request.GET.get("unit", "")
    if unit not in {u.key for u in units}:
        unit = ""
    role = request.GET.get("role", "")
    if role not in AssignmentRole.values:
        role = ""
    tree = selectors.plan_tree(plan=plan, unit=unit, role=role)
    context = {
        "plan": plan,
        "units": units,
        "roles": AssignmentRole.choices,
        "unit": unit,
        "role": role,
        "filtered": bool(unit or role),
        "tree": tree,
        "rows": tree.rows(),
    }
    return render(request, "plans/plan_detail.html", context)


@read_view
def my_tasks(request: HttpRequest) -> HttpResponse:
    assignments = selectors.my_assignments(user=request.user)
    return render(request, "plans/my_tasks.html", paginate(request, assignments))


@read_view
def document_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    documents = selectors.document_list(user=request.user, query=query)
    context = {**paginate(request, documents), "q": query}
    return render(request, "plans/document_list.html", context)
