"""The three registry imports (institutions, practitioners, inspectors): template download,
upload, preview with every row error, confirm in one transaction, cancel.

The uploaded rows wait in a private temp file (`importers.stash`) between the upload and the
confirmation; the confirmation parses them again against the current registry, so that
nothing is written if any row is wrong at that moment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from weijian.accounts.decorators import role_required
from weijian.core.xlsx import XLSX_CONTENT_TYPE, content_disposition
from weijian.supervision.access import EDITORS
from weijian.supervision.forms_registry import ImportUploadForm
from weijian.supervision.importers import ImportKind, kind_or_404, sheet, stash
from weijian.supervision.views.registry import actor

import_view = role_required(*EDITORS)
PREVIEW_ROWS = 200


def back_url(kind: ImportKind) -> str:
    try:
        return reverse(kind.back)
    except NoReverseMatch:
        return reverse("supervision:institution_list")


@import_view
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    found = kind_or_404(kind)
    data = sheet.template_bytes(sheet=found.sheet, columns=found.columns, notes=found.notes)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"{found.label}导入模板.xlsx")
    return response


@import_view
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    found = kind_or_404(kind)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = sheet.read_rows(upload, sheet=found.sheet, columns=found.columns)
        except sheet.SheetError as error:
            form.add_error("file", str(error))
        else:
            token = stash.save(rows, kind=kind, user=actor(request).pk, filename=upload.name)
            return redirect("supervision:registry_import_preview", kind=kind, token=token)
    context = {"kind": found, "form": form, "back": back_url(found)}
    return render(request, "supervision/registry/import_upload.html", context)


def _apply(
    request: HttpRequest, found: ImportKind, plan: sheet.ImportPlan, entry: stash.Stash
) -> str:
    """Write the plan; the error message when nothing was written, "" on success."""
    if plan.errors:
        return "文件中有错误，未写入任何数据。请改正后重新上传。"
    try:
        counts = found.apply(plan, actor=actor(request), filename=entry.filename)
    except (PermissionDenied, ValidationError, IntegrityError) as error:
        detail = "；".join(getattr(error, "messages", [])) or str(error)
        return f"导入失败，未写入任何数据：{detail}"
    stash.drop(entry.token)
    messages.success(
        request,
        f"已导入“{entry.filename}”：新增{found.label}{counts['created']}条，"
        f"更新{counts['updated']}条。",
    )
    return ""


@import_view
def import_preview(request: HttpRequest, kind: str, token: str) -> HttpResponse:
    found = kind_or_404(kind)
    entry = stash.load(token, kind=kind, user=actor(request).pk)
    plan = found.parse(entry.rows, actor=actor(request))
    failure = ""
    if request.method == "POST":
        failure = _apply(request, found, plan, entry)
        if not failure:
            return redirect(back_url(found))
    context = {
        "kind": found,
        "entry": entry,
        "plan": plan,
        "preview": plan.preview[:PREVIEW_ROWS],
        "failure": failure,
        "back": back_url(found),
    }
    status = 400 if failure else 200
    return render(request, "supervision/registry/import_preview.html", context, status=status)


@import_view
@require_POST
def import_cancel(request: HttpRequest, kind: str, token: str) -> HttpResponse:
    found = kind_or_404(kind)
    stash.load(token, kind=kind, user=actor(request).pk)
    stash.drop(token)
    messages.info(request, "已取消导入，未写入任何数据。")
    return redirect("supervision:registry_import", kind=found.code)
