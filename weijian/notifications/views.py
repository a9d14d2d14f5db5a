"""The signed-in user's notifications: the list (newest first) and marking them read."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from weijian.accounts.models import User
from weijian.core.pagination import paginate
from weijian.notifications.models import Notification
from weijian.notifications.services import mark_read


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(user=cast(User, request.user))
    return render(request, "notifications/list.html", paginate(request, notifications))


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, user=cast(User, request.user))
    mark_read(user=cast(User, request.user), notification=notification)
    return redirect(notification.url or "notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(user=cast(User, request.user), read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notifications:list")
