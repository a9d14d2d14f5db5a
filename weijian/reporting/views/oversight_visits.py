"""The supervision pages: the visits the user may read (made by his tree or to it), one visit
with its findings, the forms to record and change them, and raising a finding to a
committee's next meeting.

Reading is for every user of the reporting module within his scope; the writes are for the
科室人员 and 领导 of the visiting organization or above it, checked again by the services: a
refusal is a 403 with its Chinese reason, a broken rule is said on the form (or, for a delete,
in a message)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from weijian.accounts.decorators import role_required
from weijian.accounts.roles import has_role
from weijian.core.modules import module_roles
from weijian.core.pagination import paginate
from weijian.orgs.registry_views.common import actor
from weijian.reporting import oversight_selectors as selectors
from weijian.reporting.models import SupervisionVisit, VisitFinding
from weijian.reporting.oversight_forms import FindingForm, RaiseForm, VisitForm
from weijian.reporting.services import visits as service
from weijian.reporting.views.oversight_common import submit

read_view = role_required(*module_roles("reporting"))
write_view = role_required(*service.VISITORS)


def visit_url(visit: SupervisionVisit | int) -> str:
    pk = visit if isinstance(visit, int) else visit.pk
    return reverse("reporting:visit_detail", args=[pk])


def may_edit(request: HttpRequest, visit: SupervisionVisit) -> bool:
    user = request.user
    return has_role(user, *service.VISITORS) and visit.by.is_within(
        user.organization  # type: ignore[union-attr]
    )


def _visit_form(request: HttpRequest, **kwargs: Any) -> VisitForm:
    user = request.user
    return VisitForm(
        request.POST or None,
        units=selectors.visit_units(user=user),
        plans=selectors.visit_plans(user=user),
        **kwargs,
    )


def _finding_form(request: HttpRequest, visit: SupervisionVisit, **kwargs: Any) -> FindingForm:
    tasks = selectors.plan_tasks(plan=visit.plan)
    return FindingForm(request.POST or None, tasks=tasks, **kwargs)


@read_view
def visit_list(request: HttpRequest) -> HttpResponse:
    context = paginate(request, selectors.visits(user=request.user))
    context["can_create"] = has_role(request.user, *service.VISITORS)
    return render(request, "reporting/visit_list.html", context)


def _form_page(request: HttpRequest, form: Any, *, title: str, back: str) -> HttpResponse:
    context = {"form": form, "title": title, "back_url": back}
    return render(request, "reporting/visit_form.html", context)


@write_view
def visit_create(request: HttpRequest) -> HttpResponse:
    form = _visit_form(request, initial={"visited_on": None})
    response = submit(
        request,
        form,
        lambda data: service.visit_create(actor=actor(request), **data),
        done="已录入督导记录，可继续登记发现的问题。",
        to=visit_url,
    )
    back = reverse("reporting:visit_list")
    return response or _form_page(request, form, title="录入督导记录", back=back)


def _detail(
    request: HttpRequest, visit: SupervisionVisit, finding_form: Any = None
) -> HttpResponse:
    editable = may_edit(request, visit)
    context = {
        "visit": visit,
        "findings": selectors.visit_findings(visit=visit),
        "can_edit": editable,
        "finding_form": finding_form or (_finding_form(request, visit) if editable else None),
    }
    return render(request, "reporting/visit_detail.html", context)


@read_view
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.visit_get(user=request.user, pk=pk))


@write_view
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get(user=request.user, pk=pk)
    form = _visit_form(request, initial=VisitForm.initial_for(visit))
    response = submit(
        request,
        form,
        lambda data: service.visit_update(actor=actor(request), visit=visit, **data),
        done="已保存督导记录。",
        to=visit_url(visit),
    )
    title = f"修改督导记录 · {visit.organization.name}"
    return response or _form_page(request, form, title=title, back=visit_url(visit))


@write_view
def visit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what deleting means. POST: delete the visit with its findings."""
    visit = selectors.visit_get(user=request.user, pk=pk)
    if request.method != "POST":
        context = {"visit": visit, "findings": visit.findings.count()}
        return render(request, "reporting/visit_confirm_delete.html", context)
    try:
        service.visit_delete(actor=actor(request), visit=visit)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(visit_url(visit))
    messages.success(request, f"已删除对{visit.organization.name}的督导记录。")
    return redirect("reporting:visit_list")


@require_POST
@write_view
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get(user=request.user, pk=pk)
    form = _finding_form(request, visit)
    response = submit(
        request,
        form,
        lambda data: service.finding_add(actor=actor(request), visit=visit, **data),
        done="已登记发现的问题。",
        to=visit_url(visit) + "#findings",
    )
    return response or _detail(request, visit, finding_form=form)


@write_view
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get(user=request.user, pk=pk)
    visit = finding.visit
    form = _finding_form(request, visit, initial=FindingForm.initial_for(finding))
    response = submit(
        request,
        form,
        lambda data: service.finding_update(actor=actor(request), finding=finding, **data),
        done="已保存发现的问题。",
        to=visit_url(visit) + "#findings",
    )
    title = f"修改发现的问题 · {visit.organization.name}"
    return response or _form_page(request, form, title=title, back=visit_url(visit))


@require_POST
@write_view
def finding_remove(request: HttpRequest, pk: int) -> HttpResponse:
    finding: VisitFinding = selectors.finding_get(user=request.user, pk=pk)
    back = visit_url(finding.visit_id) + "#findings"
    try:
        service.finding_remove(actor=actor(request), finding=finding)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已删除该问题。")
    return redirect(back)


@write_view
def finding_raise(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: choose the committee. POST: the finding becomes an item for its next meeting."""
    finding = selectors.finding_get(user=request.user, pk=pk)
    form = RaiseForm(request.POST or None, committees=selectors.committees(user=request.user))
    response = submit(
        request,
        form,
        lambda data: service.raise_finding(actor=actor(request), finding=finding, **data),
        done="已将该问题列入会议议题，待下次会议研究。",
        to=visit_url(finding.visit_id) + "#findings",
    )
    context = {"form": form, "finding": finding, "back_url": visit_url(finding.visit_id)}
    return response or render(request, "reporting/visit_raise.html", context)
