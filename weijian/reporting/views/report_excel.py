"""The unit's report as an Excel round trip: download the period's template, upload it, preview
per row what changes (and the rows in error), confirm or cancel.

The parsed rows wait in the session between the upload and the confirmation; nothing is
written before the confirmation, which writes every row as a draft in one transaction."""

from __future__ import annotations

import secrets
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from weijian.accounts.models import User
from weijian.core import audit
from weijian.core.xlsx import XLSX_CONTENT_TYPE, content_disposition
from weijian.orgs.models import Organization
from weijian.reporting import excel, selectors
from weijian.reporting.forms import ExcelUploadForm
from weijian.reporting.models import ReportingCycle
from weijian.reporting.periods import Period
from weijian.reporting.services import submission
from weijian.reporting.services.expected import open_period
from weijian.reporting.views.report import page_url, read_view, unit_period

SESSION_KEY = "weijian_report_imports"


@read_view
@require_GET
def report_template(request: HttpRequest, org: int, cycle: int, period: str) -> HttpResponse:
    organization, found, opened = unit_period(request, org, cycle, period)
    open_period(found, opened)
    data = excel.template_bytes(
        reports=selectors.unit_reports(cycle=found, organization=organization, period=opened.key),
        previous=selectors.previous_reports(cycle=found, organization=organization, period=opened),
        unit=organization.name,
        period_label=opened.label,
    )
    audit.record(
        action="data.export",
        actor=cast(User, request.user),
        obj=found,
        organization=organization,
        summary={
            "what": f"进展报告模板：{organization.name}{opened.label}",
            "format": "xlsx",
            "bytes": len(data),
        },
    )
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    filename = excel.template_filename(organization.name, opened.label)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def _filler_unit(
    request: HttpRequest, org: int, cycle: int, period: str
) -> tuple[Organization, ReportingCycle, Period]:
    organization, found, opened = unit_period(request, org, cycle, period)
    submission.require_filler(actor=cast(User, request.user), organization=organization, obj=found)
    return organization, found, opened


@read_view
def report_upload(request: HttpRequest, org: int, cycle: int, period: str) -> HttpResponse:
    organization, found, opened = _filler_unit(request, org, cycle, period)
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = excel.read_sheet(upload)
        except excel.ExcelError as exc:
            form.add_error("file", str(exc))
        else:
            reports = selectors.unit_reports(
                cycle=found, organization=organization, period=opened.key
            )
            result = excel.parse_rows(rows, {report.pk: report for report in reports})
            token = _stash(request, organization, found, opened, upload.name or "", result)
            return redirect(
                "reporting:report_upload_preview", found.pk, organization.pk, opened.key, token
            )
    context = {"organization": organization, "cycle": found, "period": opened, "form": form}
    return render(request, "reporting/report_upload.html", context)


def _stash(
    request: HttpRequest,
    organization: Organization,
    cycle: ReportingCycle,
    period: Period,
    filename: str,
    result: excel.ImportResult,
) -> str:
    token = secrets.token_urlsafe(8)
    rows = [
        {
            "line": row.line,
            "report": row.report.pk,
            "task": str(row.report.task),
            "draft": row.draft.to_json(),
            "changes": [[c.field, c.before, c.after] for c in row.changes],
        }
        for row in result.rows
    ]
    request.session[SESSION_KEY] = {
        token: {
            "organization": organization.pk,
            "cycle": cycle.pk,
            "period": period.key,
            "filename": filename,
            "rows": rows,
            "errors": result.errors,
        }
    }
    return token


def _stashed(
    request: HttpRequest, token: str, organization: Organization, cycle: ReportingCycle, key: str
) -> dict[str, Any]:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    same = entry is not None and (entry["organization"], entry["cycle"], entry["period"]) == (
        organization.pk,
        cycle.pk,
        key,
    )
    if not same:
        raise Http404("预览已过期，请重新上传文件。")
    return cast(dict[str, Any], entry)


@read_view
def report_upload_preview(
    request: HttpRequest, org: int, cycle: int, period: str, token: str
) -> HttpResponse:
    organization, found, opened = _filler_unit(request, org, cycle, period)
    entry = _stashed(request, token, organization, found, opened.key)
    errors: list[str] = []
    if request.method == "POST" and not entry["errors"]:
        drafts = {
            row["report"]: submission.Draft.from_json(row["draft"])
            for row in entry["rows"]
            if row["changes"]
        }
        if not drafts:
            request.session.pop(SESSION_KEY, None)
            messages.info(request, "文件内容与现有填报一致，没有需要保存的修改。")
            return redirect(page_url(organization.pk, found.pk, opened.key))
        try:
            written = submission.report_import_apply(
                actor=cast(User, request.user),
                cycle=found,
                organization=organization,
                period=opened.key,
                drafts=drafts,
                source=entry["filename"],
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, f"已导入 {written} 项任务的填报内容，保存为草稿，尚未报送。")
            return redirect(page_url(organization.pk, found.pk, opened.key))
    context = {
        "organization": organization,
        "cycle": found,
        "period": opened,
        "token": token,
        "entry": entry,
        "changed": sum(1 for row in entry["rows"] if row["changes"]),
        "errors": errors,
    }
    return render(request, "reporting/report_upload_preview.html", context)


@read_view
@require_POST
def report_upload_cancel(
    request: HttpRequest, org: int, cycle: int, period: str, token: str
) -> HttpResponse:
    organization, found, opened = _filler_unit(request, org, cycle, period)
    _stashed(request, token, organization, found, opened.key)
    request.session.pop(SESSION_KEY, None)
    messages.info(request, "已取消导入，未写入任何数据。")
    return redirect(page_url(organization.pk, found.pk, opened.key))
