"""What every registry view shares: the guards, the submit and delete steps, the URLs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from weijian.accounts.access import REGISTRY_EDITORS
from weijian.accounts.decorators import role_required
from weijian.accounts.roles import has_role
from weijian.core.modules import module_roles

if TYPE_CHECKING:
    from weijian.accounts.models import User
    from weijian.orgs.models import Organization

read_view = role_required(*module_roles("orgs"))
write_view = role_required(*REGISTRY_EDITORS)

DUPLICATE = "与已有记录重复（名称或序号已被使用），未保存。"


def actor(request: HttpRequest) -> User:
    """The signed-in user of a guarded view."""
    return cast("User", request.user)


def can_edit(request: HttpRequest) -> bool:
    return has_role(request.user, *REGISTRY_EDITORS)


def profile_url(organization: Organization | int, section: str = "") -> str:
    pk = organization if isinstance(organization, int) else organization.pk
    url = reverse("orgs:organization_profile", args=[pk])
    return f"{url}#{section}" if section else url


def add_service_error(form: BaseForm, error: Exception) -> None:
    """A service's refusal or broken rule, in Chinese, on the form: on the field it names when
    the form has that field, above the form otherwise."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or "您无权进行此操作。")
    elif isinstance(error, IntegrityError):
        form.add_error(None, DUPLICATE)
    elif isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)


def submit(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    done: str,
    to: str | Callable[[Any], str],
) -> HttpResponse | None:
    """On a POST of a valid form, run the service: on success say `done` and redirect; on a
    refusal leave the errors on the form and return None, so the view shows it again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except (ValidationError, PermissionDenied, IntegrityError) as error:
        add_service_error(form, error)
        return None
    messages.success(request, done)
    return redirect(to(result) if callable(to) else to)


def remove(request: HttpRequest, delete: Callable[[], None], *, done: str, to: str) -> HttpResponse:
    """Run a delete service; a refusal becomes an error message on the page we return to."""
    try:
        delete()
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, done)
    return redirect(to)
