"""Template helpers of the reporting pages."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser

from weijian.accounts.models import User
from weijian.accounts.roles import Role, has_role

register = template.Library()


@register.filter
def reviews_reports(user: User | AnonymousUser) -> bool:
    """Whether the user holds a role that reviews reports, sees the dashboard and follows up
    (科室人员, 领导); the pages check the organization."""
    return has_role(user, Role.STAFF, Role.LEADER)
