"""Sampling plans and their draws: create and edit a plan (while 待抽取), draw it (witnessed,
stored with its snapshot, rules and seed), redraw it with a reason (a new Draw, never an
overwrite). Each write checks the actor first, then runs in one transaction, then is audited.

An infeasible draw (some institution cannot get a conflict-free group) stores nothing but a
failed audit event, and returns the uncovered institutions for the page or the command.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from weijian.core import audit
from weijian.orgs.models import Organization, Region
from weijian.supervision import snapshot
from weijian.supervision.access import ancestor_paths, require_editor
from weijian.supervision.draw import DrawResult
from weijian.supervision.models import (
    Draw,
    HospitalLevel,
    Inspection,
    InspectionItem,
    InspectionState,
    InstitutionCategory,
    Ownership,
    PlanState,
    RiskGrade,
    SamplingPlan,
)
from weijian.supervision.services.plan_states import move

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions(
    {
        "supervision.plan_create": "新建抽查计划",
        "supervision.plan_update": "修改抽查计划",
        "supervision.draw": "双随机抽取",
        "supervision.redraw": "重新抽取",
    }
)

SEED_LIMIT = 2**63  # Draw.seed is a signed 64-bit integer
BATCH = 5000
WITNESS_REQUIRED = "抽取须有见证人在场：请填写见证人姓名（及单位）。"
REASON_REQUIRED = "重新抽取须填写原因。"
PLAN_FIELDS = (
    "year",
    "title",
    "item",
    "categories",
    "levels",
    "ownerships",
    "object_count",
    "object_ratio",
    "group_size",
    "weighted",
    "risk_weights",
    "exclude_months",
    "avoid_previous_round",
    "witness",
    "planned_start",
    "planned_end",
)


# -- plans ----------------------------------------------------------------------------------


def _item_usable(item: InspectionItem, owner: Organization) -> bool:
    return item.is_active and item.owner.path in ancestor_paths(owner)


def _regions_outside(owner: Organization, regions: Iterable[Region]) -> list[Region]:
    if owner.region_id is None:
        return []
    prefix = snapshot.region_prefix(owner.region_id)
    return [region for region in regions if not region.code.startswith(prefix)]


def _choice_errors(values: Any, allowed: Iterable[str], label: str) -> str | None:
    wrong = [str(v) for v in values or [] if str(v) not in set(allowed)]
    return f"{label}不正确：{'、'.join(wrong)}。" if wrong else None


def clean_plan(owner: Organization, data: Mapping[str, Any], regions: Iterable[Region]) -> None:
    """Check a plan's fields; every broken rule is reported in Chinese on its field."""
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not str(data.get("title") or "").strip():
        fail("title", "请填写计划名称。")
    count, ratio = data.get("object_count"), data.get("object_ratio")
    if (count is None) == (ratio is None):
        fail("object_count", "抽取数量和抽取比例须且只能填写一项。")
    elif count is not None and count < 1:
        fail("object_count", "抽取数量至少为1。")
    elif ratio is not None and not Decimal(0) < Decimal(ratio) <= Decimal(1):
        fail("object_ratio", "抽取比例须大于0且不超过100%。")
    if (data.get("group_size") or 0) < 2:
        fail("group_size", "每组执法人员不得少于2名。")
    item = data.get("item")
    if item is None:
        fail("item", "请选择抽查事项。")
    elif not _item_usable(item, owner):
        fail("item", "只能选用本单位或上级单位制定的、已启用的抽查事项。")
    outside = _regions_outside(owner, regions)
    if outside:
        names = "、".join(region.name for region in outside)
        fail("regions", f"抽查区域须在本单位所辖区域内：{names}不在其中。")
    for name, allowed, label in (
        ("categories", InstitutionCategory.values, "机构类别"),
        ("levels", HospitalLevel.values, "级别"),
        ("ownerships", Ownership.values, "举办性质"),
    ):
        message = _choice_errors(data.get(name), allowed, label)
        if message:
            fail(name, message)
    weights = data.get("risk_weights") or {}
    for grade in RiskGrade:
        value = weights.get(grade.value)
        if value is None or not float(value) > 0:
            fail("risk_weights", f"{grade.label}的权重须为正数。")
    start, end = data.get("planned_start"), data.get("planned_end")
    if start and end and end < start:
        fail("planned_end", "检查结束日期不能早于开始日期。")
    if errors:
        raise ValidationError(errors)


def _plain(plan: SamplingPlan) -> dict[str, Any]:
    values = {name: getattr(plan, name) for name in PLAN_FIELDS if name != "item"}
    values["item"] = str(plan.item)
    values["object_ratio"] = str(plan.object_ratio) if plan.object_ratio is not None else None
    for day in ("planned_start", "planned_end"):
        values[day] = values[day].isoformat() if values[day] else None
    values["regions"] = sorted(plan.regions.values_list("code", flat=True)) if plan.pk else []
    return values


def _fields(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: data[name] for name in PLAN_FIELDS if name in data}
    values["risk_weights"] = {k: float(v) for k, v in (values.get("risk_weights") or {}).items()}
    return values


def plan_create(
    *, actor: User, owner: Organization, regions: Iterable[Region] = (), **data: Any
) -> SamplingPlan:
    require_editor(actor=actor, organizations=[owner])
    regions = list(regions)
    clean_plan(owner, data, regions)
    with transaction.atomic():
        plan = SamplingPlan.objects.create(owner=owner, created_by=actor, **_fields(data))
        plan.regions.set(regions)
        audit.record(action="supervision.plan_create", actor=actor, obj=plan, summary=_plain(plan))
    return plan


def plan_update(
    *, actor: User, plan: SamplingPlan, regions: Iterable[Region] = (), **data: Any
) -> SamplingPlan:
    require_editor(actor=actor, organizations=[plan.owner])
    if plan.state != PlanState.PENDING:
        raise ValidationError("只有“待抽取”的计划可以修改。")
    regions = list(regions)
    clean_plan(plan.owner, data, regions)
    with transaction.atomic():
        before = _plain(plan)
        for name, value in _fields(data).items():
            setattr(plan, name, value)
        plan.save()
        plan.regions.set(regions)
        changes = audit.changes(before, _plain(plan))
        if changes:
            audit.record(
                action="supervision.plan_update",
                actor=actor,
                obj=plan,
                summary={"changes": changes},
            )
    return plan


# -- draws ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """A draw's result; `draw` is None for a preview or an infeasible draw (nothing stored)."""

    result: DrawResult
    pool: snapshot.Pool
    scope: snapshot.Scope
    draw: Draw | None = None

    @property
    def feasible(self) -> bool:
        return not self.result.uncovered


def fresh_seed() -> int:
    return secrets.randbits(63)


def _check_seed(seed: int | None) -> int:
    if seed is None:
        return fresh_seed()
    if not 0 <= seed < SEED_LIMIT:
        raise ValidationError({"seed": f"随机种子须为0至{SEED_LIMIT - 1}之间的整数。"})
    return seed


def preview_draw(
    plan: SamplingPlan, *, seed: int | None = None, as_of: datetime.date | None = None
) -> Outcome:
    """Run the plan's draw without writing anything (试抽, `draw --dry-run`)."""
    scope = snapshot.plan_scope(plan, as_of=as_of or timezone.localdate())
    pool = snapshot.build_pool(scope)
    result = snapshot.run(pool, snapshot.plan_rules(plan), _check_seed(seed))
    return Outcome(result, pool, scope)


def _require_witness(witness: str) -> str:
    witness = (witness or "").strip()
    if not witness:
        raise ValidationError({"witness": WITNESS_REQUIRED})
    return witness


def _summary(outcome: Outcome, **extra: Any) -> dict[str, Any]:
    result = outcome.result
    summary: dict[str, Any] = {
        "seed": result.seed,
        "pool_size": result.pool_size,
        "inspector_pool_size": result.inspector_pool_size,
        "selected": len(result.selected),
        "conflicts_avoided": result.conflicts_avoided,
    }
    if result.uncovered:
        summary["uncovered"] = [u.institution for u in result.uncovered[:20]]
        summary["uncovered_count"] = len(result.uncovered)
    summary.update(extra)
    return summary


def _store(
    plan: SamplingPlan, outcome: Outcome, *, number: int, witness: str, reason: str, actor: User
) -> Draw:
    pool, result = outcome.pool, outcome.result
    stored_snapshot = pool.snapshot()
    draw = Draw.objects.create(
        plan=plan,
        number=number,
        seed=result.seed,
        rules=snapshot.rules_json(snapshot.plan_rules(plan), outcome.scope),
        snapshot=stored_snapshot,
        snapshot_digest=snapshot.snapshot_digest(stored_snapshot),
        result=result.to_json(),
        witness=witness,
        reason=reason,
        is_current=True,
        drawn_by=actor,
        drawn_at=timezone.now(),
    )
    Inspection.objects.bulk_create(
        [
            Inspection(plan=plan, draw=draw, institution_id=pool.institution_ids[s.institution.key])
            for s in result.selected
        ],
        batch_size=BATCH,
    )
    ids = dict(
        Inspection.objects.filter(draw=draw).values_list("institution__uscc", "pk").order_by()
    )
    through = Inspection.inspectors.through
    through.objects.bulk_create(
        [
            through(inspection_id=ids[s.institution.key], inspector_id=pool.inspector_ids[key])
            for s in result.selected
            for key in s.inspectors
        ],
        batch_size=BATCH,
    )
    return draw


def _locked(plan: SamplingPlan, state: str, message: str) -> SamplingPlan:
    locked = SamplingPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.state != state:
        raise ValidationError(message)
    return locked


NOT_PENDING = "只有“待抽取”的计划可以抽取；已抽取的计划请使用“重新抽取”。"


def draw_plan(
    *,
    plan: SamplingPlan,
    actor: User,
    witness: str,
    seed: int | None = None,
    as_of: datetime.date | None = None,
) -> Outcome:
    """The real draw: stored with its snapshot, and one pending inspection per institution."""
    require_editor(actor=actor, organizations=[plan.owner])
    witness = _require_witness(witness)
    if plan.state != PlanState.PENDING:
        raise ValidationError(NOT_PENDING)
    outcome = preview_draw(plan, seed=seed, as_of=as_of)
    if not outcome.feasible:
        audit.record(
            action="supervision.draw",
            actor=actor,
            obj=plan,
            summary=_summary(outcome, witness=witness),
            success=False,
        )
        return outcome
    with transaction.atomic():
        locked = _locked(plan, PlanState.PENDING, NOT_PENDING)
        stored = _store(locked, outcome, number=1, witness=witness, reason="", actor=actor)
        move(plan=locked, to=PlanState.DRAWN, actor=actor)
        audit.record(
            action="supervision.draw",
            actor=actor,
            obj=plan,
            summary=_summary(outcome, number=1, witness=witness, digest=stored.snapshot_digest),
        )
    plan.state = locked.state
    return Outcome(outcome.result, outcome.pool, outcome.scope, stored)


NOT_DRAWN = "只有“已抽取”且尚未开始检查的计划可以重新抽取。"
STARTED = "已有检查开始或完成，不能重新抽取。"


def redraw_blocker(plan: SamplingPlan) -> str | None:
    """Why the plan cannot be redrawn now, or None."""
    if plan.state != PlanState.DRAWN:
        return NOT_DRAWN
    started = Inspection.objects.filter(plan=plan, draw__is_current=True).exclude(
        state=InspectionState.PENDING
    )
    return STARTED if started.exists() else None


def redraw_plan(
    *,
    plan: SamplingPlan,
    actor: User,
    reason: str,
    witness: str,
    seed: int | None = None,
    as_of: datetime.date | None = None,
) -> Outcome:
    """A new draw with a reason; the old one is kept (not current) and its inspections go."""
    require_editor(actor=actor, organizations=[plan.owner])
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    witness = _require_witness(witness)
    blocker = redraw_blocker(plan)
    if blocker:
        raise ValidationError(blocker)
    outcome = preview_draw(plan, seed=seed, as_of=as_of)
    if not outcome.feasible:
        audit.record(
            action="supervision.redraw",
            actor=actor,
            obj=plan,
            summary=_summary(outcome, witness=witness, reason=reason),
            success=False,
        )
        return outcome
    with transaction.atomic():
        locked = _locked(plan, PlanState.DRAWN, NOT_DRAWN)
        if redraw_blocker(locked):
            raise ValidationError(STARTED)
        old = Draw.objects.select_for_update().get(plan=locked, is_current=True)
        old.is_current = False
        old.save(update_fields=["is_current"])
        Inspection.objects.filter(draw=old).delete()
        number = old.number + 1
        stored = _store(locked, outcome, number=number, witness=witness, reason=reason, actor=actor)
        audit.record(
            action="supervision.redraw",
            actor=actor,
            obj=plan,
            summary=_summary(
                outcome,
                previous_number=old.number,
                number=number,
                reason=reason,
                witness=witness,
                digest=stored.snapshot_digest,
            ),
        )
    return Outcome(outcome.result, outcome.pool, outcome.scope, stored)
