"""Write checks shared by the services of every app. Each refusal is audited; services run
these checks before opening their transaction, so the refusal's event survives."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from weijian.accounts.roles import Role, has_role, user_roles
from weijian.core import audit

if TYPE_CHECKING:
    from django.db import models

    from weijian.accounts.models import User
    from weijian.orgs.models import Organization

# The security and audit administrators watch the system administrator: he may neither make
# nor touch them. Their accounts are kept on the command line (bootstrap_admin, reset_password).
PROTECTED_ROLES = frozenset({Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


def refuse(*, actor: User, reason: str, obj: models.Model | None = None) -> PermissionDenied:
    """Audit a refused write and return the exception to raise."""
    audit.record(
        action="access.denied", actor=actor, obj=obj, summary={"reason": reason}, success=False
    )
    return PermissionDenied(reason)


def require_role_over(
    *, actor: User, roles: Iterable[str], organizations: Sequence[Organization], reason: str
) -> None:
    """The actor must hold one of `roles` and his subtree must hold every one of
    `organizations`."""
    if has_role(actor, *roles) and all(
        organization.is_within(actor.organization) for organization in organizations
    ):
        return
    raise refuse(actor=actor, obj=organizations[0] if organizations else None, reason=reason)


def require_admin_over(*, actor: User, organizations: Sequence[Organization]) -> None:
    """The actor must be a system administrator whose subtree holds every one of
    `organizations`."""
    require_role_over(
        actor=actor,
        roles=[Role.SYSTEM_ADMIN],
        organizations=organizations,
        reason="您不是该单位的系统管理员，无权管理该单位。",
    )


# Who keeps the organisation registry (departments, duties, people, committees …) of the
# organizations in his subtree.
REGISTRY_EDITORS = (Role.SYSTEM_ADMIN, Role.STAFF)


def require_registry_editor(*, actor: User, organizations: Sequence[Organization]) -> None:
    require_role_over(
        actor=actor,
        roles=REGISTRY_EDITORS,
        organizations=organizations,
        reason="只有本单位或上级单位的系统管理员、科室人员可以维护该单位的机构信息。",
    )


# Plans and their tasks are business data: department staff keep them, not the 三员.
PLAN_EDITORS = (Role.STAFF,)


def require_plan_editor(*, actor: User, organizations: Sequence[Organization]) -> None:
    require_role_over(
        actor=actor,
        roles=PLAN_EDITORS,
        organizations=organizations,
        reason="只有方案责任单位或其上级单位的科室人员可以导入和修改方案。",
    )


def require_manageable(*, actor: User, user: User) -> None:
    """The system administrator may manage `user` unless he holds a protected role."""
    require_admin_over(actor=actor, organizations=[user.organization])
    if user_roles(user) & PROTECTED_ROLES:
        raise refuse(
            actor=actor,
            obj=user,
            reason="安全管理员、审计管理员的账户不由系统管理员维护，请在服务器上用命令办理。",
        )


def require_grantable(*, actor: User, roles: Iterable[str]) -> None:
    """The system administrator grants every role but the protected ones."""
    protected = sorted(set(roles) & PROTECTED_ROLES)
    if protected:
        raise refuse(
            actor=actor,
            reason=f"系统管理员不能授予{'、'.join(protected)}角色，"
            "请在服务器上用 bootstrap_admin 命令设立。",
        )


def is_top_level(user: User) -> bool:
    """A user of a root organization: one whose settings apply to the whole deployment."""
    return user.organization.parent_id is None


def require_top_level_role(*, actor: User, roles: Iterable[str], what: str) -> None:
    """Deployment-wide settings belong to the given roles at a root organization."""
    roles = tuple(roles)
    if has_role(actor, *roles) and is_top_level(actor):
        return
    names = "或".join(roles)
    raise refuse(actor=actor, reason=f"只有最上级单位的{names}可以{what}。")
