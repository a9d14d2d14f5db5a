"""The sampling plan's states, moved only here: 待抽取 → 已抽取 → 检查中 → 已完成 → 已公示.

A redraw keeps a plan in 已抽取; nothing moves backwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from weijian.core import audit
from weijian.supervision.models import PlanState, SamplingPlan

if TYPE_CHECKING:
    from weijian.accounts.models import User

NEXT_STATE = {
    PlanState.PENDING: PlanState.DRAWN,
    PlanState.DRAWN: PlanState.INSPECTING,
    PlanState.INSPECTING: PlanState.COMPLETED,
    PlanState.COMPLETED: PlanState.PUBLISHED,
}

audit.register_actions({"supervision.plan_state": "抽查计划状态变更"})


def move(*, plan: SamplingPlan, to: PlanState, actor: User | None) -> SamplingPlan:
    """Move `plan` one step forward to `to` and audit it; anything else is refused in Chinese.

    The caller holds the transaction and has checked the actor's rights."""
    current = PlanState(plan.state)
    if NEXT_STATE.get(current) != to:
        raise ValidationError(
            f"抽查计划“{plan.title}”当前为“{current.label}”，不能变更为“{PlanState(to).label}”。"
        )
    plan.state = to
    plan.save(update_fields=["state", "updated_at"])
    audit.record(
        action="supervision.plan_state",
        actor=actor,
        obj=plan,
        summary={"from": current.label, "to": PlanState(to).label},
    )
    return plan
