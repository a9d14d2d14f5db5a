"""What the oversight pages share: running a service on a submitted form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from weijian.orgs.registry_views.common import add_service_error


def submit(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    done: str,
    to: str | Callable[[Any], str],
) -> HttpResponse | None:
    """On a POST of a valid form, run the service: on success say `done` and redirect; a
    broken rule goes on the form (None: the view shows it again). A refusal is not caught: it
    is a 403 with its Chinese reason (the service has audited it)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error)
        return None
    messages.success(request, done)
    return redirect(to(result) if callable(to) else to)
