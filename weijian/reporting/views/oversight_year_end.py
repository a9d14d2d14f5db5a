"""The year-end pages: the cycles of the user's plans with their years, one cycle × year with
the proposed commendation and sanction list, the button that (re)computes it, and the forms
people use to change a row or add a unit.

Reading is for every user of the reporting module within the plan owner's tree; the writes are
for the 科室人员 and 领导 of the owner or above it, checked again by the services: a refusal is a
403 with its Chinese reason, a broken rule is said on the form (or, for the proposal run, in a
message)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from weijian.accounts.decorators import role_required
from weijian.accounts.roles import has_role
from weijian.core.modules import module_roles
from weijian.orgs.registry_views.common import actor
from weijian.reporting import oversight_selectors as selectors
from weijian.reporting.models import ProposalKind, ReportingCycle
from weijian.reporting.oversight_forms import ProposalAddForm, ProposalForm, ProposeForm
from weijian.reporting.services import year_end as service
from weijian.reporting.views.oversight_common import submit

read_view = role_required(*module_roles("reporting"))
write_view = role_required(*service.EDITORS)


def year_url(cycle: ReportingCycle | int, year: int) -> str:
    pk = cycle if isinstance(cycle, int) else cycle.pk
    return reverse("reporting:year_end", args=[pk, year])


def cycle_years(cycle: ReportingCycle, this_year: int) -> list[int]:
    """The cycle's years up to this one, newest first."""
    last = min(this_year, cycle.ends_on.year) if cycle.ends_on else this_year
    return list(range(last, cycle.starts_on.year - 1, -1))


def may_edit(request: HttpRequest, cycle: ReportingCycle) -> bool:
    user = request.user
    return has_role(user, *service.EDITORS) and cycle.plan.owner.is_within(
        user.organization  # type: ignore[union-attr]
    )


@read_view
def year_end_index(request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    rows = [
        {"cycle": cycle, "years": cycle_years(cycle, this_year)}
        for cycle in selectors.year_end_cycles(user=request.user)
    ]
    return render(request, "reporting/year_end_index.html", {"rows": rows})


def _page(
    request: HttpRequest,
    cycle: ReportingCycle,
    year: int,
    *,
    add_form: ProposalAddForm | None = None,
    propose_form: ProposeForm | None = None,
) -> HttpResponse:
    editable = may_edit(request, cycle)
    rows = list(selectors.proposals(cycle=cycle, year=year))
    units = selectors.year_units(cycle=cycle)
    context = {
        "cycle": cycle,
        "year": year,
        "commend": [r for r in rows if r.kind == ProposalKind.COMMEND],
        "sanction": [r for r in rows if r.kind == ProposalKind.SANCTION],
        "can_edit": editable,
        "propose_form": propose_form or ProposeForm(),
        "add_form": add_form or (ProposalAddForm(units=units) if editable else None),
    }
    return render(request, "reporting/year_end.html", context)


@read_view
def year_end(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    return _page(request, selectors.cycle_get(user=request.user, pk=pk), year)


@require_POST
@write_view
def year_end_propose(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        return _page(request, cycle, year, propose_form=form)
    try:
        result = service.propose(actor=actor(request), cycle=cycle, year=year, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        text = (
            f"已按{year}年的填报记录生成建议名单：新增 {result.created} 个、"
            f"更新 {result.updated} 个、移除 {result.removed} 个单位"
        )
        if result.kept:
            text += f"；{result.kept} 个经人工修改的单位保持不变"
        messages.success(request, text + "。")
    return redirect(year_url(cycle, year))


@require_POST
@write_view
def proposal_add(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    form = ProposalAddForm(request.POST, units=selectors.year_units(cycle=cycle))
    response = submit(
        request,
        form,
        lambda data: service.proposal_add(actor=actor(request), cycle=cycle, year=year, **data),
        done="已增列该单位。",
        to=year_url(cycle, year),
    )
    return response or _page(request, cycle, year, add_form=form)


@write_view
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    back = year_url(proposal.cycle_id, proposal.year)
    form = ProposalForm(request.POST or None, initial=ProposalForm.initial_for(proposal))
    response = submit(
        request,
        form,
        lambda data: service.proposal_update(actor=actor(request), proposal=proposal, **data),
        done=f"已保存{proposal.organization.name}的建议。",
        to=back,
    )
    context: dict[str, Any] = {"form": form, "proposal": proposal, "back_url": back}
    return response or render(request, "reporting/year_end_form.html", context)
