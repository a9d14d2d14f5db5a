"""View guards. Anonymous users are sent to log in; a signed-in user without the role gets 403,
and the refusal is written to the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from weijian.accounts.roles import has_role
from weijian.core import audit

View = Callable[..., HttpResponseBase]


def role_required(*roles: str, top_level: bool = False) -> Callable[[View], View]:
    """Allow only users holding one of `roles` (and, with `top_level`, only at a root
    organization: for settings that apply to the whole deployment)."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            allowed = has_role(request.user, *roles)
            if allowed and top_level:
                allowed = request.user.organization.parent_id is None  # type: ignore[union-attr]
            if not allowed:
                audit.record(
                    action="access.denied",
                    actor=request.user,  # type: ignore[arg-type]
                    summary={
                        "path": request.path,
                        "required_roles": list(roles),
                        "top_level": top_level,
                    },
                    success=False,
                )
                raise PermissionDenied("您没有使用此功能的权限。")
            return view(request, *args, **kwargs)

        return guarded

    return decorator
