"""The accountability pages: the list of records the user may read (his units' and his plans'),
one record with the unit's explanation form and the owner's closing form.

Any user of the reporting module reads them within his scope; the unit's 填报员 and 科室人员
explain, the 科室人员 and 领导 of the plan's owner (or above) close. The services check again:
a refusal is a 403 with its Chinese reason, a broken rule is said on the form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from weijian.accounts.decorators import role_required
from weijian.core.modules import module_roles
from weijian.core.pagination import paginate
from weijian.orgs.registry_views.common import actor
from weijian.reporting import oversight_selectors as selectors
from weijian.reporting.models import Accountability
from weijian.reporting.oversight_forms import AccountabilityFilterForm, CloseForm, ExplainForm
from weijian.reporting.services import accountability as service
from weijian.reporting.views.oversight_common import submit

read_view = role_required(*module_roles("reporting"))
explain_view = role_required(*service.EXPLAINERS)
close_view = role_required(*service.DECIDERS)


@read_view
def accountability_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AccountabilityFilterForm(request.GET, plans=selectors.accountability_plans(user=user))
    context = paginate(request, selectors.accountabilities(user=user, **form.filters()))
    context["form"] = form
    return render(request, "reporting/accountability_list.html", context)


def _page(
    request: HttpRequest,
    record: Accountability,
    *,
    explain_form: ExplainForm | None = None,
    close_form: CloseForm | None = None,
) -> HttpResponse:
    user = request.user
    context = {
        "record": record,
        "can_explain": service.may_explain(user, record),
        "can_close": service.may_close(user, record),
        "explain_form": explain_form
        or ExplainForm(
            initial={"explanation": record.explanation, "new_due_on": record.new_due_on}
        ),
        "close_form": close_form or CloseForm(),
    }
    return render(request, "reporting/accountability_detail.html", context)


@read_view
def accountability_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.accountability_get(user=request.user, pk=pk))


@require_POST
@explain_view
def accountability_explain(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.accountability_get(user=request.user, pk=pk)
    form = ExplainForm(request.POST)
    response = submit(
        request,
        form,
        lambda data: service.explain(actor=actor(request), accountability=record, **data),
        done="已提交逾期原因及延期完成时限。",
        to=service.detail_url(record),
    )
    return response or _page(request, record, explain_form=form)


@require_POST
@close_view
def accountability_close(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.accountability_get(user=request.user, pk=pk)
    form = CloseForm(request.POST)
    response = submit(
        request,
        form,
        lambda data: service.close(actor=actor(request), accountability=record, **data),
        done="已办结该问责事项。",
        to=service.detail_url(record),
    )
    return response or _page(request, record, close_form=form)
