"""The plan page's edit links: `{% plan_editing plan as editing %}` is None for a user who may
not edit the plan, and for an editor carries the unit names left to match and the
organizations to match them to (a constant number of queries)."""

from __future__ import annotations

from typing import Any

from django import template

from weijian.plans.edit_views import PlanEditing
from weijian.plans.edit_views import plan_editing as _plan_editing
from weijian.plans.models import Plan

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_editing(context: dict[str, Any], plan: Plan) -> PlanEditing | None:
    request = context.get("request")
    if request is None:
        return None
    return _plan_editing(user=request.user, plan=plan)
