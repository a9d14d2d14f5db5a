from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from weijian.core.modules import modules_for


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "site_name": settings.WEIJIAN_SITE_NAME,
        "nav_modules": modules_for(user) if user is not None else [],
        "unread_notifications": SimpleLazyObject(lambda: _unread(user)),
    }


def _unread(user: Any) -> int:
    """How many notifications the signed-in user has not read (counted only if shown)."""
    if user is None or not user.is_authenticated:
        return 0
    from weijian.notifications.models import Notification

    return Notification.objects.filter(user=user, read_at__isnull=True).count()
