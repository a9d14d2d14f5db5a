"""The inspection pages: 我的检查, an inspection with its checklist, photos, completion,
rectification follow-up and publication; a plan's inspections with "publish all"; the annual
summary and its export.

Every page is for the readers of the 综合监管 module and reads through `selectors_inspections`
(an inspection outside the user's plans and group is a 404); every write goes through the
services, which refuse (403, audited) an actor without the right."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from weijian.accounts.decorators import role_required
from weijian.accounts.models import User
from weijian.accounts.roles import Role, has_role
from weijian.core import audit
from weijian.core.pagination import paginate
from weijian.core.xlsx import Sheet, xlsx_response
from weijian.supervision import selectors_inspections as selectors
from weijian.supervision.access import READERS, require_group_member
from weijian.supervision.forms_inspections import (
    InspectionFilterForm,
    PhotoForm,
    RecordForm,
    RectificationForm,
    YearForm,
)
from weijian.supervision.models import Inspection, InspectionState, RectificationStatus
from weijian.supervision.services import inspections as recording
from weijian.supervision.services import publication
from weijian.supervision.summary import annual_summary as build_summary

read_view = role_required(*READERS)
# Served inline only as the picture types the upload accepts; anything else is a download.
PHOTO_CONTENT_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
summary_view = role_required(Role.STAFF, Role.LEADER)


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _detail_url(inspection: Inspection) -> str:
    return reverse("supervision:inspection_detail", args=[inspection.pk])


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


# --- 我的检查 --------------------------------------------------------------------------------


@read_view
@require_GET
def my_inspections(request: HttpRequest) -> HttpResponse:
    form = InspectionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    plan = request.GET.get("plan", "")
    filters = selectors.InspectionFilter(
        state=data.get("state") or "",
        overdue=bool(data.get("overdue")),
        plan=int(plan) if plan.isdigit() else None,
    )
    rows = selectors.inspection_list(user=request.user, filters=filters, today=today)
    context = paginate(request, rows)
    context.update(
        form=form,
        today=today,
        overseer=has_role(request.user, *selectors.OVERSEERS),
        lines=[_list_line(i, today) for i in context["page"]],
    )
    return render(request, "supervision/inspections/my_inspections.html", context)


def _list_line(inspection: Inspection, today: Any) -> dict[str, Any]:
    status = recording.rectification_status(inspection, today)
    return {
        "inspection": inspection,
        "group": "、".join(i.name for i in inspection.inspectors.all()),
        "overdue": publication.is_overdue(inspection, today),
        "rectification": RectificationStatus(status).label if status else "",
        "rectification_overdue": status == RectificationStatus.OVERDUE,
    }


# --- the inspection page --------------------------------------------------------------------


def _is_member(user: User, inspection: Inspection) -> bool:
    return any(i.user_id == user.pk for i in inspection.inspectors.all())


def _may_publish(user: User, inspection: Inspection) -> bool:
    return has_role(user, Role.STAFF) and inspection.plan.owner.is_within(user.organization)


def _detail(
    request: HttpRequest, pk: int, *, form: RecordForm | None = None, errors: Any = None
) -> HttpResponse:
    user = _actor(request)
    inspection = selectors.inspection_get(user=user, pk=pk)
    selectors.detail_queryset_prefetch(inspection)
    today = timezone.localdate()
    checkpoints = list(inspection.plan.item.checkpoints.all())
    editable = _is_member(user, inspection) and inspection.state != InspectionState.COMPLETED
    if editable and form is None:
        form = RecordForm(inspection=inspection, checkpoints=checkpoints)
    status = recording.rectification_status(inspection, today)
    context = {
        "inspection": inspection,
        "plan": inspection.plan,
        "institution": inspection.institution,
        "group": list(inspection.inspectors.all()),
        "checklist": selectors.checklist(inspection),
        "general_photos": selectors.general_photos(inspection),
        "editable": editable,
        "form": form if editable else None,
        "errors": errors or [],
        "photo_form": PhotoForm(checkpoints=checkpoints) if editable else None,
        "rectification": RectificationStatus(status).label if status else "",
        "rectification_overdue": status == RectificationStatus.OVERDUE,
        "rectification_form": _rectification_form(user, inspection),
        "may_publish": _may_publish(user, inspection)
        and inspection.state == InspectionState.COMPLETED
        and inspection.published_at is None,
        "publication_overdue": publication.is_overdue(inspection, today),
        "published_late": publication.published_late(inspection),
        "today": today,
    }
    return render(request, "supervision/inspections/detail.html", context)


def _rectification_form(user: User, inspection: Inspection) -> RectificationForm | None:
    waiting = inspection.rectification_status in (
        RectificationStatus.ONGOING,
        RectificationStatus.OVERDUE,
    )
    if waiting and recording.may_follow_up(user, inspection):
        return RectificationForm()
    return None


@read_view
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@read_view
@require_POST
def inspection_record(request: HttpRequest, pk: int) -> HttpResponse:
    """保存 (a draft), or 完成检查 when the button named `complete` was pressed."""
    user = _actor(request)
    inspection = selectors.inspection_get(user=user, pk=pk)
    require_group_member(actor=user, inspection=inspection)
    checkpoints = list(inspection.plan.item.checkpoints.order_by("order", "pk"))
    form = RecordForm(request.POST, inspection=inspection, checkpoints=checkpoints)
    if not form.is_valid():
        return _detail(request, pk, form=form, errors=form.messages())
    try:
        recording.inspection_record(actor=user, inspection=inspection, record=form.record())
    except ValidationError as exc:
        return _detail(request, pk, form=form, errors=exc.messages)
    if "complete" not in request.POST:
        messages.success(request, "检查记录已保存。")
        return redirect(_detail_url(inspection))
    try:
        recording.inspection_complete(actor=user, inspection=inspection)
    except ValidationError as exc:
        messages.error(request, "检查记录已保存，但还不能完成检查：" + _errors(exc))
        return redirect(_detail_url(inspection))
    messages.success(request, "检查已完成，请提醒计划实施单位按期公示检查结果。")
    return redirect(_detail_url(inspection))


# --- photos ---------------------------------------------------------------------------------


@read_view
@require_POST
def inspection_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    inspection = selectors.inspection_get(user=user, pk=pk)
    require_group_member(actor=user, inspection=inspection)
    checkpoints = list(inspection.plan.item.checkpoints.all())
    form = PhotoForm(request.POST, request.FILES, checkpoints=checkpoints)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for e in form.errors.get("file", ["请选择照片"])))
        return redirect(_detail_url(inspection) + "#photos")
    try:
        recording.photo_add(
            actor=user,
            inspection=inspection,
            upload=form.cleaned_data["file"],
            check_point=form.selected_check_point(),
            caption=form.cleaned_data.get("caption") or "",
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "照片已上传。")
    return redirect(_detail_url(inspection) + "#photos")


@read_view
@require_GET
def inspection_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo, only to those who may see its inspection (never a public media URL)."""
    photo = selectors.photo_get(user=request.user, pk=pk)
    try:
        handle = photo.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("照片文件不存在。") from None
    name = photo.file.name.rsplit("/", 1)[-1]
    content_type = PHOTO_CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower())
    response = FileResponse(
        handle,
        filename=name,
        as_attachment=content_type is None,
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@read_view
@require_POST
def inspection_photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.photo_get(user=request.user, pk=pk)
    inspection = photo.inspection
    try:
        recording.photo_delete(actor=_actor(request), photo=photo)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "照片已删除。")
    return redirect(_detail_url(inspection) + "#photos")


# --- rectification and publication ----------------------------------------------------------


@read_view
@require_POST
def inspection_rectification(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    form = RectificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(_detail_url(inspection) + "#rectification")
    try:
        recording.rectification_record(
            actor=_actor(request),
            inspection=inspection,
            rectified_on=form.cleaned_data["rectified_on"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "已记录整改复查情况。")
    return redirect(_detail_url(inspection) + "#rectification")


@read_view
@require_POST
def inspection_publish(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    try:
        publication.publish_inspection(actor=_actor(request), inspection=inspection)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "检查结果已公示，门户网站“双随机抽查”栏目可见。")
    return redirect(_detail_url(inspection))


@read_view
@require_GET
def plan_inspections(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan's inspections with their publication status, and 公示全部."""
    user = _actor(request)
    plan = selectors.plan_get(user=user, pk=pk)
    today = timezone.localdate()
    progress = selectors.plan_progress(plan=plan, today=today)
    context = paginate(request, selectors.plan_inspections(plan=plan, user=user))
    context.update(
        plan=plan,
        progress=progress,
        lines=[_list_line(i, today) for i in context["page"]],
        may_publish=has_role(user, Role.STAFF)
        and plan.owner.is_within(user.organization)
        and progress.publishable > 0,
    )
    return render(request, "supervision/inspections/plan_inspections.html", context)


@read_view
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    try:
        count = publication.publish_plan(actor=_actor(request), plan=plan)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"已公示{count}项检查结果。")
    return redirect("supervision:plan_inspections", pk=plan.pk)


# --- the annual summary ---------------------------------------------------------------------


def _summary_year(request: HttpRequest) -> tuple[YearForm, int]:
    form = YearForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return form, year or timezone.localdate().year


@summary_view
@require_GET
def annual_summary(request: HttpRequest) -> HttpResponse:
    form, year = _summary_year(request)
    summary = build_summary(user=request.user, year=year, today=timezone.localdate())
    context = {"form": form, "summary": summary, "year": year}
    return render(request, "supervision/inspections/annual_summary.html", context)


@summary_view
@require_GET
def annual_summary_export(request: HttpRequest) -> HttpResponse:
    _, year = _summary_year(request)
    summary = build_summary(user=request.user, year=year, today=timezone.localdate())
    rows = [[row.item, *row.values()] for row in [*summary.rows, summary.total]]
    audit.record(
        action="data.export",
        actor=_actor(request),
        summary={
            "what": f"双随机抽查年度汇总：{year}年",
            "format": "xlsx",
            "rows": len(summary.rows),
        },
    )
    sheet = Sheet(title=f"{year}年度汇总", header=["抽查事项", *summary.headers], rows=rows)
    return xlsx_response(stem=f"双随机抽查年度汇总-{year}", sheets=[sheet])
