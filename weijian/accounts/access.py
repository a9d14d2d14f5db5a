"""Write checks shared by the services of every app."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from weijian.accounts.roles import Role, has_role
from weijian.core import audit

if TYPE_CHECKING:
    from weijian.accounts.models import User
    from weijian.orgs.models import Organization


def require_admin_over(*, actor: User, organizations: Sequence[Organization]) -> None:
    """The actor must be a system administrator whose subtree holds every one of
    `organizations`; otherwise the refusal is audited and PermissionDenied raised.

    Services call it before opening their transaction, so the refusal's event is kept."""
    if has_role(actor, Role.SYSTEM_ADMIN) and all(
        organization.is_within(actor.organization) for organization in organizations
    ):
        return
    audit.record(
        action="access.denied",
        actor=actor,
        obj=organizations[0] if organizations else None,
        summary={"reason": "不是该单位的系统管理员"},
        success=False,
    )
    raise PermissionDenied("您不是该单位的系统管理员，无权管理该单位。")
