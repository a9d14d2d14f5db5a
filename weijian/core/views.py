"""The home page, the audit trail and the working-day tables."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from weijian.accounts.decorators import role_required
from weijian.accounts.models import User
from weijian.accounts.roles import ROLE_DESCRIPTIONS, Role
from weijian.core import audit, selectors, services
from weijian.core.exports import csv_response
from weijian.core.forms import AuditFilterForm, WorkdayOverrideForm, WorkdayYearForm
from weijian.core.models import AuditEvent, WorkdayOverride
from weijian.core.modules import modules_for
from weijian.core.pagination import paginate
from weijian.core.workdays import WorkCalendar, WorkdayDataMissing


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    roles = [(name, ROLE_DESCRIPTIONS.get(Role(name), "")) for name in user.role_names()]
    return render(request, "core/home.html", {"roles": roles, "modules": modules_for(user)})


@role_required(Role.AUDIT_ADMIN)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_events(actor=request.user, filters=form.to_filter())  # type: ignore[arg-type]
    context = {**paginate(request, events), "form": form, "labels": audit.ACTION_LABELS}
    return render(request, "core/audit_list.html", context)


AUDIT_HEADER = [
    "时间",
    "用户名",
    "单位",
    "IP地址",
    "操作",
    "对象类型",
    "对象编号",
    "结果",
    "内容摘要",
    "浏览器",
]


def _audit_rows(events: QuerySet[AuditEvent]) -> Iterator[list[object]]:
    for event in events.iterator(chunk_size=2000):
        yield [
            timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor_username,
            event.organization.name if event.organization else "",
            event.ip or "",
            event.action_label,
            event.object_label,
            event.object_id,
            "成功" if event.success else "失败",
            event.summary_text,
            event.user_agent,
        ]


@role_required(Role.AUDIT_ADMIN)
def audit_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered audit trail as CSV; the export is itself audited."""
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_events(actor=request.user, filters=form.to_filter())  # type: ignore[arg-type]
    audit.record(
        action="data.export",
        actor=request.user,  # type: ignore[arg-type]
        summary={"what": "审计日志", "filters": request.GET.dict(), "rows": events.count()},
    )
    return csv_response(stem="audit", header=AUDIT_HEADER, rows=_audit_rows(events))


WORKDAY_EDITORS = (Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN)


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


@role_required(*WORKDAY_EDITORS, top_level=True)
def workday_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    try:
        special_days, missing = WorkCalendar.load().special_days(year), ""
    except WorkdayDataMissing as exc:
        special_days, missing = [], str(exc)
    context = {
        "year": year,
        "special_days": special_days,
        "missing": missing,
        "years": selectors.workday_years(),
        "overrides": selectors.workday_overrides(year=year),
        "override_form": WorkdayOverrideForm(),
        "year_form": WorkdayYearForm(initial={"year": year}),
    }
    return render(request, "core/workday_list.html", context)


@require_POST
@role_required(*WORKDAY_EDITORS, top_level=True)
def workday_year_create(request: HttpRequest) -> HttpResponse:
    form = WorkdayYearForm(request.POST)
    if form.is_valid():
        entry = services.workday_year_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(
            request, f"已录入{entry.year}年的节假日年度，请逐日录入放假和调休上班的日期。"
        )
        return redirect(f"{_list_url()}?year={entry.year}")
    messages.error(request, _form_errors(form))
    return redirect("core:workday_list")


@require_POST
@role_required(*WORKDAY_EDITORS, top_level=True)
def workday_override_save(request: HttpRequest) -> HttpResponse:
    form = WorkdayOverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("core:workday_list")
    try:
        entry = services.workday_override_save(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, "".join(exc.messages))
        return redirect("core:workday_list")
    messages.success(request, f"已保存 {entry}。")
    return redirect(f"{_list_url()}?year={entry.day.year}")


@require_POST
@role_required(*WORKDAY_EDITORS, top_level=True)
def workday_override_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(WorkdayOverride, pk=pk)
    services.workday_override_delete(actor=request.user, override=entry)  # type: ignore[arg-type]
    messages.success(request, f"已删除 {entry}。")
    return redirect(f"{_list_url()}?year={entry.day.year}")


def _list_url() -> str:
    return reverse("core:workday_list")


def _form_errors(form: BaseForm) -> str:
    """All of a form's errors on one line, each with its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else "表单"
        parts.append(f"{label}：{'、'.join(str(error) for error in errors)}")
    return "；".join(parts)
