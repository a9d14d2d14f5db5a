"""Writing audit events. Services call `record`; the request context (IP, browser) comes from
`AuditContextMiddleware`, so services need not carry the request around."""

from __future__ import annotations

import contextvars
import ipaddress
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from weijian.core.models import AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest

    from weijian.accounts.models import User
    from weijian.orgs.models import Organization

# Action codes and their Chinese labels. Each app registers its own with `register_actions`.
ACTION_LABELS: dict[str, str] = {}


def register_actions(labels: Mapping[str, str]) -> None:
    ACTION_LABELS.update(labels)


register_actions(
    {
        "auth.login": "登录",
        "auth.login_failed": "登录失败",
        "auth.locked": "账户锁定",
        "auth.login_refused_locked": "锁定期间尝试登录",
        "auth.logout": "退出",
        "auth.idle_logout": "空闲超时退出",
        "auth.otp_failed": "动态口令错误",
        "auth.otp_verified": "动态口令验证",
        "access.denied": "拒绝访问",
        "data.export": "导出数据",
        "data.reveal": "查看个人信息明文",
        "data.lookup": "按个人信息查询",
        "audit.prune": "清理过期审计日志",
        "workday.year_create": "录入节假日年度",
        "workday.override_save": "保存工作日调整",
        "workday.override_delete": "删除工作日调整",
    }
)


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    user_agent: str = ""


_context: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "weijian_audit_context", default=None
)
NO_REQUEST = RequestContext()


def _valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client address: X-Real-IP when settings say a proxy in front sets it (and it is a
    valid address), REMOTE_ADDR otherwise. A client cannot choose what the trail records."""
    if settings.WEIJIAN_TRUST_X_REAL_IP:
        forwarded = _valid_ip(request.META.get("HTTP_X_REAL_IP"))
        if forwarded:
            return forwarded
    return _valid_ip(request.META.get("REMOTE_ADDR"))


@contextmanager
def request_context(request: HttpRequest) -> Iterator[None]:
    token = _context.set(
        RequestContext(
            ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300]
        )
    )
    try:
        yield
    finally:
        _context.reset(token)


def describe(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def record(
    *,
    action: str,
    actor: User | None = None,
    obj: models.Model | None = None,
    summary: Mapping[str, Any] | None = None,
    success: bool = True,
    username: str = "",
    organization: Organization | None = None,
) -> AuditEvent:
    """Append one event. `organization` defaults to the actor's; `username` names the account
    tried when there is no actor (a failed login)."""
    ctx = _context.get() or NO_REQUEST
    object_type, object_id = describe(obj)
    if organization is None and actor is not None:
        organization = actor.organization
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor.username if actor is not None else username[:150],
        organization=organization,
        ip=ctx.ip,
        user_agent=ctx.user_agent,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=dict(summary or {}),
        success=success,
    )


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The fields that differ, as {field: [before, after]}, for an event summary."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
