"""Display helpers of the plan pages."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser

from weijian.accounts.access import PLAN_EDITORS
from weijian.accounts.models import User
from weijian.accounts.roles import has_role
from weijian.plans.models import Target
from weijian.plans.selectors import target_value as _target_value

register = template.Library()


@register.filter
def target_value(target: Target) -> str:
    """3.5 · 95 · 10–20: a target's value without trailing zeros."""
    return _target_value(target)


@register.filter
def may_edit_plans(user: User | AnonymousUser) -> bool:
    """Whether the user holds a role that edits plans (the services check the organization)."""
    return has_role(user, *PLAN_EDITORS)
