"""Display helpers of the plan pages."""

from __future__ import annotations

from django import template

from weijian.plans.models import Target
from weijian.plans.selectors import target_value as _target_value

register = template.Library()


@register.filter
def target_value(target: Target) -> str:
    """3.5 · 95 · 10–20: a target's value without trailing zeros."""
    return _target_value(target)
