"""The institution registry pages: the filtered list and its export, the archive page
(一户一档), and the create / edit forms of 科室人员."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from weijian.accounts.decorators import role_required
from weijian.accounts.models import User
from weijian.accounts.roles import Role, has_role
from weijian.core import audit
from weijian.core.pagination import paginate
from weijian.core.xlsx import Sheet, xlsx_response
from weijian.orgs.registry_views.common import add_service_error
from weijian.supervision import selectors_registry as selectors
from weijian.supervision.access import EDITORS, READERS, require_editor
from weijian.supervision.forms_registry import InstitutionFilterForm, InstitutionForm
from weijian.supervision.importers import institutions as columns
from weijian.supervision.models import Inspection, Institution
from weijian.supervision.services import institutions as services

# Practitioners carry personal data: their pages are for staff and leaders (as the tab bar).
PEOPLE_READERS = (Role.STAFF, Role.LEADER)
read_view = role_required(*READERS)
edit_view = role_required(*EDITORS)


def actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def can_edit(user: User, institution: Institution | None = None) -> bool:
    """科室人员 over the institution's supervisor (or over anything, without one)."""
    if not has_role(user, *EDITORS):
        return False
    return institution is None or institution.supervisor.is_within(user.organization)


def filter_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- the list and its export ------------------------------------------------------------------


@read_view
@require_GET
def institution_list(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    form = InstitutionFilterForm(request.GET or None, user=user)
    rows = selectors.institution_list(user=user, filters=form.to_filter())
    context = {
        "form": form,
        "can_edit": can_edit(user),
        "filter_query": filter_query(request),
        **paginate(request, rows),
    }
    return render(request, "supervision/registry/institution_list.html", context)


EXPORT_HEADER = [column.name for column in columns.COLUMNS] + ["所在区划", "级别等次", "校验周期"]


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


def _export_row(institution: Institution) -> list[Any]:
    """The import template's columns first, so that an export can be edited and re-imported."""
    return [
        institution.name,
        institution.uscc,
        institution.license_number,
        institution.get_category_display(),
        institution.subcategory,
        institution.get_ownership_display(),
        "是" if institution.for_profit else "否",
        institution.get_level_display(),
        institution.get_grade_display() if institution.grade else "",
        institution.beds,
        institution.region_id,
        institution.address,
        _day(institution.license_valid_from),
        _day(institution.license_valid_until),
        institution.get_status_display(),
        institution.get_risk_grade_display(),
        institution.supervisor.name,
        institution.region.name,
        institution.level_grade,
        f"{institution.license_check_years}年",
    ]


def _export_rows(rows: Any) -> Iterator[list[Any]]:
    for institution in rows.iterator(chunk_size=2000):
        yield _export_row(institution)


@read_view
@require_GET
def institution_export(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    form = InstitutionFilterForm(request.GET or None, user=user)
    rows = selectors.institution_list(user=user, filters=form.to_filter())
    filters = {key: value for key, value in request.GET.items() if value and key != "page"}
    audit.record(
        action="data.export",
        actor=user,
        summary={
            "what": "医疗卫生机构名录",
            "format": "xlsx",
            "rows": rows.count(),
            "filters": filters,
        },
    )
    sheet = Sheet(columns.SHEET, EXPORT_HEADER, _export_rows(rows))
    return xlsx_response(stem="医疗卫生机构名录", sheets=[sheet])


# --- the archive (一户一档) ---------------------------------------------------------------------


def publication_state(inspection: Inspection) -> str:
    """已公示（日期） / 逾期未公示 / 待公示（截止日期） / 未完成."""
    if inspection.published_at:
        return f"已公示（{timezone.localtime(inspection.published_at):%Y-%m-%d}）"
    if inspection.publication_due is None:
        return "未完成检查" if inspection.completed_at is None else "待公示"
    if inspection.publication_due < timezone.localdate():
        return f"逾期未公示（应于{inspection.publication_due:%Y-%m-%d}前公示）"
    return f"待公示（应于{inspection.publication_due:%Y-%m-%d}前公示）"


@read_view
@require_GET
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    institution = selectors.institution_get(user=user, pk=pk)
    archive = selectors.institution_archive(institution=institution)
    inspections = [(row, publication_state(row)) for row in archive.inspections]
    context = {
        "institution": institution,
        "archive": archive,
        "inspections": inspections,
        "can_edit": can_edit(user, institution),
        "can_see_people": has_role(user, *PEOPLE_READERS),
    }
    return render(request, "supervision/registry/institution_detail.html", context)


# --- create and edit --------------------------------------------------------------------------


def _save(
    request: HttpRequest, form: InstitutionForm, institution: Institution | None
) -> HttpResponse | None:
    if request.method != "POST" or not form.is_valid():
        return None
    user = actor(request)
    try:
        if institution is None:
            saved = services.institution_create(actor=user, values=form.cleaned_data)
        else:
            saved = services.institution_update(
                actor=user, institution=institution, values=form.cleaned_data
            )
    except (ValidationError, PermissionDenied, IntegrityError) as error:
        add_service_error(form, error)
        return None
    messages.success(request, f"已保存“{saved.name}”。")
    return redirect("supervision:institution_detail", pk=saved.pk)


@edit_view
def institution_create(request: HttpRequest) -> HttpResponse:
    form = InstitutionForm(request.POST or None, user=actor(request))
    done = _save(request, form, None)
    if done is not None:
        return done
    context = {"form": form, "institution": None}
    return render(request, "supervision/registry/institution_form.html", context)


@edit_view
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    institution = selectors.institution_get(user=user, pk=pk)
    require_editor(actor=user, organizations=[institution.supervisor])
    # The form works on its own copy: the service compares with the stored row.
    form = InstitutionForm(
        request.POST or None, instance=selectors.institution_get(user=user, pk=pk), user=user
    )
    done = _save(request, form, institution)
    if done is not None:
        return done
    context = {"form": form, "institution": institution}
    return render(request, "supervision/registry/institution_form.html", context)
