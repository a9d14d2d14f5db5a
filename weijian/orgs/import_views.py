"""The profile upload page: upload, preview and correct, confirm."""

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

from weijian.accounts.access import REGISTRY_EDITORS
from weijian.accounts.decorators import role_required
from weijian.accounts.models import User
from weijian.orgs import selectors
from weijian.orgs.import_forms import ProfilePreviewForm, ProfileUploadForm
from weijian.orgs.importers.profile import parse_profile, read_document
from weijian.orgs.importers.profile_apply import apply_profile, plan_profile

SESSION_KEY = "weijian_profile_imports"


def _stash(
    request: HttpRequest, organization_id: int, filename: str, profile: dict[str, Any]
) -> str:
    """Keep the extracted profile in the session until it is confirmed (one pending import)."""
    token = secrets.token_urlsafe(8)
    entry = {"organization": organization_id, "filename": filename, "profile": profile}
    request.session[SESSION_KEY] = {token: entry}
    return token


def _stashed(request: HttpRequest, token: str) -> dict[str, Any]:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None:
        raise Http404("预览已过期，请重新上传文件。")
    return cast(dict[str, Any], entry)


@role_required(*REGISTRY_EDITORS)
def profile_import(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = ProfileUploadForm(
        request.POST or None,
        request.FILES or None,
        organizations=selectors.organization_list(user=user),
    )
    if request.method == "POST" and form.is_valid():
        document = form.cleaned_data["document"]
        try:
            parsed = parse_profile(_read_upload(document))
        except (OSError, ValueError) as exc:
            form.add_error("document", str(exc))
        else:
            token = _stash(
                request, form.cleaned_data["organization"].pk, document.name, parsed.to_json()
            )
            return redirect("orgs:profile_import_preview", token=token)
    return render(request, "orgs/profile_import.html", {"form": form})


@role_required(*REGISTRY_EDITORS)
def profile_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    user = cast(User, request.user)
    entry = _stashed(request, token)
    organization = selectors.organization_get(user=user, pk=entry["organization"])
    form = ProfilePreviewForm(request.POST or None, profile=entry["profile"])
    if request.method == "POST" and form.is_valid():
        profile = form.corrected()
        try:
            result = apply_profile(
                profile,
                plan_profile(profile, organization=organization, user=user),
                actor=user,
                filename=entry["filename"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "导入失败，未写入任何数据：" + "；".join(_messages(exc)))
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, f"已导入“{entry['filename']}”到“{organization.name}”。")
            return redirect("orgs:organization_detail", pk=result.organization.pk)
    plan = plan_profile(entry["profile"], organization=organization, user=user)
    context = {
        "form": form,
        "entry": entry,
        "profile": entry["profile"],
        "organization": organization,
        "notes": plan.notes(),
    }
    return render(request, "orgs/profile_preview.html", context)


def _read_upload(document: UploadedFile) -> str:
    suffix = Path(document.name or "").suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in document.chunks():
            handle.write(chunk)
        handle.flush()
        return read_document(Path(handle.name))


def _messages(exc: ValidationError | PermissionDenied) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]
