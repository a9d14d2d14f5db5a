"""Sending notifications: in the application always, by e-mail when the user has an address,
by text message when asked for and the user has a phone number.

Marking one's own notification as read changes no business data and is not audited; the
senders (e.g. send_reminders) record one audit event per run with what they sent."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from weijian.accounts.models import User
from weijian.notifications import sms
from weijian.notifications.models import Notification

logger = logging.getLogger("weijian.notifications")


def notify(
    *,
    users: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    key: str = "",
    by_sms: bool = False,
) -> list[Notification]:
    """One notification per user; a user who already has one with `key` gets nothing again."""
    sent = []
    for user in users:
        notification = _create(user, kind=kind, title=title, body=body, url=url, key=key)
        if notification is None:
            continue
        notification.channels = ["app", *_deliver(user, title, body, url, by_sms=by_sms)]
        notification.save(update_fields=["channels"])
        sent.append(notification)
    return sent


def _create(user: User, **fields: str) -> Notification | None:
    if fields["key"] and Notification.objects.filter(user=user, key=fields["key"]).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(user=user, **fields)
    except IntegrityError:  # sent by a concurrent run a moment ago
        return None


def _deliver(user: User, title: str, body: str, url: str, *, by_sms: bool) -> list[str]:
    channels = []
    if user.email:
        text = f"{body}\n\n{url}" if url else body
        try:
            send_mail(f"【{settings.WEIJIAN_SITE_NAME}】{title}", text, None, [user.email])
            channels.append("email")
        except OSError:
            logger.exception("向 %s 发送邮件失败", user.username)
    if by_sms and user.phone:
        sms.backend().send(user.phone, f"【{settings.WEIJIAN_SITE_NAME}】{title}")
        channels.append("sms")
    return channels


def mark_read(*, user: User, notification: Notification) -> None:
    if notification.user_id != user.pk:
        raise PermissionError("只能标记自己的消息")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
