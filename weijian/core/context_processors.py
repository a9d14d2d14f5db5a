from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from weijian.core.modules import modules_for


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "site_name": settings.WEIJIAN_SITE_NAME,
        "nav_modules": modules_for(user) if user is not None else [],
    }
