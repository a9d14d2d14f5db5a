"""The practitioner pages: the filtered list and its export (ID numbers masked), the person's
page with his practice sites, the forms, and the audited reveal of an ID number."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from weijian.accounts.decorators import role_required
from weijian.accounts.roles import has_role
from weijian.core import audit
from weijian.core.masking import mask_resident_id
from weijian.core.pagination import paginate
from weijian.core.xlsx import Sheet, xlsx_response
from weijian.orgs.registry_views.common import add_service_error
from weijian.supervision import selectors_registry as selectors
from weijian.supervision.access import EDITORS, require_editor
from weijian.supervision.forms_registry import (
    PracticeSiteEndForm,
    PracticeSiteForm,
    PractitionerFilterForm,
    PractitionerForm,
)
from weijian.supervision.models import Practitioner
from weijian.supervision.services import practitioners as services
from weijian.supervision.views.registry import PEOPLE_READERS, actor, can_edit, filter_query

if TYPE_CHECKING:
    from weijian.accounts.models import User

read_view = role_required(*PEOPLE_READERS)
edit_view = role_required(*EDITORS)


def _filtered(
    request: HttpRequest, user: User
) -> tuple[PractitionerFilterForm, QuerySet[Practitioner]]:
    """The practitioners the filter asks for; a search by 身份证号 (科室人员 only) is audited
    with the number masked, so that finding who holds a number leaves a trace."""
    form = PractitionerFilterForm(request.GET or None, may_search_id=has_role(user, *EDITORS))
    filters = form.to_filter()
    rows = selectors.practitioner_list(user=user, filters=filters)
    if filters.id_number:
        audit.record(
            action="data.lookup",
            actor=user,
            summary={
                "field": "身份证号",
                "value": mask_resident_id(filters.id_number),
                "results": rows.count(),
            },
        )
    return form, rows


@read_view
@require_GET
def practitioner_list(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    form, rows = _filtered(request, user)
    context = {
        "form": form,
        "can_edit": can_edit(user),
        "filter_query": filter_query(request),
        **paginate(request, rows),
    }
    return render(request, "supervision/registry/practitioner_list.html", context)


EXPORT_HEADER = [
    "类别",
    "姓名",
    "身份证号（部分隐藏）",
    "执业证书编码",
    "执业类别",
    "执业范围",
    "主要执业机构",
    "主要执业机构统一社会信用代码",
    "状态",
]


def _export_rows(rows: Any) -> Iterator[list[Any]]:
    for person in rows.iterator(chunk_size=2000):
        yield [
            person.get_kind_display(),
            person.name,
            mask_resident_id(person.id_number),
            person.license_number,
            person.practice_category,
            person.practice_scope,
            person.institution.name,
            person.institution.uscc,
            person.get_status_display(),
        ]


@read_view
@require_GET
def practitioner_export(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    _, rows = _filtered(request, user)
    filters = {
        key: ("（已隐藏）" if key == "id_number" else value)
        for key, value in request.GET.items()
        if value and key != "page"
    }
    audit.record(
        action="data.export",
        actor=user,
        summary={
            "what": "医务人员名录",
            "format": "xlsx",
            "rows": rows.count(),
            "filters": filters,
        },
    )
    return xlsx_response(
        stem="医务人员名录", sheets=[Sheet("医务人员", EXPORT_HEADER, _export_rows(rows))]
    )


def _detail(
    request: HttpRequest,
    practitioner: Practitioner,
    site_form: PracticeSiteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = actor(request)
    editable = can_edit(user, practitioner.institution)
    context = {
        "practitioner": practitioner,
        "masked_id": mask_resident_id(practitioner.id_number),
        "sites": selectors.practitioner_sites(practitioner=practitioner),
        "can_edit": editable,
        "site_form": site_form or (PracticeSiteForm(user=user) if editable else None),
    }
    return render(request, "supervision/registry/practitioner_detail.html", context, status=status)


@read_view
@require_GET
def practitioner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practitioner = selectors.practitioner_get(user=actor(request), pk=pk)
    return _detail(request, practitioner)


@edit_view
@require_POST
def practitioner_reveal_id(request: HttpRequest, pk: int) -> HttpResponse:
    """The ID number in clear, as an htmx fragment; the reveal is audited."""
    user = actor(request)
    practitioner = selectors.practitioner_get(user=user, pk=pk)
    value = services.practitioner_id_reveal(actor=user, practitioner=practitioner)
    return render(request, "supervision/registry/_revealed.html", {"value": value})


def _save(
    request: HttpRequest, form: PractitionerForm, practitioner: Practitioner | None
) -> HttpResponse | None:
    if request.method != "POST" or not form.is_valid():
        return None
    user = actor(request)
    try:
        if practitioner is None:
            saved = services.practitioner_create(actor=user, values=form.cleaned_data)
        else:
            saved = services.practitioner_update(
                actor=user, practitioner=practitioner, values=form.cleaned_data
            )
    except (ValidationError, PermissionDenied, IntegrityError) as error:
        add_service_error(form, error)
        return None
    messages.success(request, f"已保存“{saved.name}”。")
    return redirect("supervision:practitioner_detail", pk=saved.pk)


@edit_view
def practitioner_create(request: HttpRequest) -> HttpResponse:
    form = PractitionerForm(request.POST or None, user=actor(request))
    done = _save(request, form, None)
    if done is not None:
        return done
    context = {"form": form, "practitioner": None}
    return render(request, "supervision/registry/practitioner_form.html", context)


@edit_view
def practitioner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    practitioner = selectors.practitioner_get(user=user, pk=pk)
    require_editor(actor=user, organizations=[practitioner.institution.supervisor])
    form = PractitionerForm(request.POST or None, instance=practitioner, user=user)
    done = _save(request, form, practitioner)
    if done is not None:
        return done
    context = {"form": form, "practitioner": practitioner}
    return render(request, "supervision/registry/practitioner_form.html", context)


@edit_view
@require_POST
def practice_site_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    practitioner = selectors.practitioner_get(user=user, pk=pk)
    form = PracticeSiteForm(request.POST, user=user)
    if form.is_valid():
        try:
            services.practice_site_add(actor=user, practitioner=practitioner, **form.cleaned_data)
        except (ValidationError, PermissionDenied, IntegrityError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, "已登记多机构执业备案。")
            return redirect("supervision:practitioner_detail", pk=practitioner.pk)
    return _detail(request, practitioner, site_form=form, status=400)


@edit_view
@require_POST
def practice_site_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    site = selectors.practice_site_get(user=user, pk=pk)
    form = PracticeSiteEndForm(request.POST, site=site)
    if not form.is_valid():
        messages.error(
            request, "；".join(str(e) for errors in form.errors.values() for e in errors)
        )
    else:
        try:
            ended_on = form.cleaned_data["ended_on"]
            services.practice_site_end(actor=user, site=site, ended_on=ended_on)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, f"已终止在“{site.institution.name}”的多机构执业备案。")
    return redirect("supervision:practitioner_detail", pk=site.practitioner_id)
