"""Text messages through a pluggable backend named by the WEIJIAN_SMS_BACKEND setting (a dotted
path to a class with `send(phone, text)`). The default only logs: a deployment plugs in its
provider's gateway."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from weijian.core.masking import mask_phone

logger = logging.getLogger("weijian.sms")


class SMSBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LoggingSMSBackend:
    """Writes each message to the log (phone masked) instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        logger.info("短信（未发送，日志后端）%s：%s", mask_phone(phone), text)


def backend() -> SMSBackend:
    path = getattr(settings, "WEIJIAN_SMS_BACKEND", "weijian.notifications.sms.LoggingSMSBackend")
    return import_string(path)()  # type: ignore[no-any-return]
