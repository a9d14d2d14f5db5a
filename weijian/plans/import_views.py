"""The plan upload page: upload, preview and correct, confirm (or cancel).

The parsed plan and the unit resolutions are kept in the session between the steps; nothing is
written before the confirmation, which writes everything in one transaction."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from weijian.accounts.access import PLAN_EDITORS, require_plan_editor
from weijian.accounts.decorators import role_required
from weijian.accounts.models import User
from weijian.orgs import selectors as org_selectors
from weijian.orgs.models import Organization
from weijian.plans import preview
from weijian.plans.import_forms import PlanPreviewForm, PlanUploadForm
from weijian.plans.importers.files import read_plan
from weijian.plans.resolve import tree_of
from weijian.plans.services import plan_import_apply, plan_resolver

SESSION_KEY = "weijian_plan_imports"
edit_view = role_required(*PLAN_EDITORS)


@edit_view
def plan_import(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = PlanUploadForm(
        request.POST or None,
        request.FILES or None,
        organizations=org_selectors.organization_list(user=user),
    )
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data["owner"]
        try:
            require_plan_editor(actor=user, organizations=[owner])
        except PermissionDenied as exc:
            form.add_error("owner", str(exc))
        else:
            token = _upload(request, form)
            if token:
                return redirect("plans:plan_import_preview", token=token)
    return render(request, "plans/plan_import.html", {"form": form})


def _upload(request: HttpRequest, form: PlanUploadForm) -> str | None:
    """Read the file, resolve its units and stash both; None (with the form's error) on failure."""
    document = form.cleaned_data["document"]
    owner: Organization = form.cleaned_data["owner"]
    try:
        parsed = _read_upload(document, form.cleaned_data["title"], form.cleaned_data["year"])
    except (OSError, ValueError) as exc:
        form.add_error("document", f"无法读取“{document.name}”：{exc}")
        return None
    organizations = tree_of(owner)
    resolver = plan_resolver(owner=owner, year=parsed["plan"].get("year"))
    units = preview.unit_rows(parsed, resolver, organizations)
    token = secrets.token_urlsafe(8)
    request.session[SESSION_KEY] = {
        token: {"owner": owner.pk, "filename": document.name, "parsed": parsed, "units": units}
    }
    return token


def _read_upload(document: UploadedFile, title: str, year: int | None) -> dict[str, Any]:
    suffix = Path(document.name or "").suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in document.chunks():
            handle.write(chunk)
        handle.flush()
        return read_plan(Path(handle.name), title=title or None, year=year).to_json()


def _stashed(request: HttpRequest, token: str) -> dict[str, Any]:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None:
        raise Http404("预览已过期，请重新上传文件。")
    return cast(dict[str, Any], entry)


@edit_view
def plan_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    user = cast(User, request.user)
    entry = _stashed(request, token)
    owner = org_selectors.organization_get(user=user, pk=entry["owner"])
    form = PlanPreviewForm(
        request.POST or None,
        parsed=entry["parsed"],
        units=entry["units"],
        organizations=tree_of(owner),
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_import_apply(
                parsed=form.corrected(),
                owner=owner,
                actor=user,
                source=entry["filename"],
                title=form.cleaned_data["title"],
                links=form.links(),
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "导入失败，未写入任何数据：" + "；".join(_messages(exc)))
        else:
            request.session.pop(SESSION_KEY, None)
            count = plan.tasks.count()
            messages.success(request, f"已导入方案“{plan.title}”，共 {count} 项任务。")
            return redirect("plans:plan_detail", pk=plan.pk)
    context = {
        "form": form,
        "entry": entry,
        "token": token,
        "owner": owner,
        "parsed": entry["parsed"],
        "counts": _counts(form),
    }
    return render(request, "plans/plan_preview.html", context)


@edit_view
@require_POST
def plan_import_cancel(request: HttpRequest, token: str) -> HttpResponse:
    _stashed(request, token)
    request.session.pop(SESSION_KEY, None)
    messages.info(request, "已取消导入，未写入任何数据。")
    return redirect("plans:plan_list")


def _counts(form: PlanPreviewForm) -> dict[str, int]:
    units = form.units
    return {
        "tasks": len(form.tasks),
        "targets": len(form.target_items()),
        "units": len(units),
        "unlinked": sum(1 for u in units if u["via"] != "collective" and not u["suggested"]),
        "review": len(form.reviewed),
        "warnings": len(form.parsed.get("warnings") or []),
    }


def _messages(exc: ValidationError | PermissionDenied) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]
