"""Roles are Django groups named in Chinese. The three administrators (三员) exclude each other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User


class Role(models.TextChoices):
    SYSTEM_ADMIN = "系统管理员", "系统管理员"
    SECURITY_ADMIN = "安全管理员", "安全管理员"
    AUDIT_ADMIN = "审计管理员", "审计管理员"
    LEADER = "领导", "领导"
    STAFF = "科室人员", "科室人员"
    REPORTER = "填报员", "填报员"
    INSPECTOR = "执法人员", "执法人员"


# 三员: a user holds at most one of these (RULES.md, security baseline).
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

ROLE_DESCRIPTIONS = {
    Role.SYSTEM_ADMIN: "管理本单位及下级单位的用户、角色和组织机构",
    Role.SECURITY_ADMIN: "管理安全策略、动态口令要求和工作日调整",
    Role.AUDIT_ADMIN: "查阅审计日志",
    Role.LEADER: "查看分管领域的工作进展和统计",
    Role.STAFF: "办理本科室业务",
    Role.REPORTER: "填报本单位的工作进展",
    Role.INSPECTOR: "参加监督检查",
}


def user_roles(user: User | AnonymousUser) -> frozenset[str]:
    """The roles a user holds, read once per request and cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_weijian_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, "_weijian_roles", cached)  # noqa: B010 (a per-request cache)
    return cached


def has_role(user: User | AnonymousUser, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))
