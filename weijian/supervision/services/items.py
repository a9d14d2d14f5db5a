"""Writes to the inspection item list (抽查事项清单) and its checklists (检查要点).

No inspection without an item and its legal basis (RULES.md, "一单两库"). An item is kept by
the 科室人员 of its owning unit or of one above it; units below use it as it is. An item used
by a sampling plan is never deleted (it is deactivated instead), nor is a check point that an
inspection has recorded. Every write is one audit event in the owner's trail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from weijian.core import audit
from weijian.orgs.models import Organization
from weijian.supervision.access import require_editor
from weijian.supervision.models import CheckPoint, CheckResult, InspectionItem

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions(
    {
        "supervision.item_create": "新增抽查事项",
        "supervision.item_update": "修改抽查事项",
        "supervision.item_active": "启用或停用抽查事项",
        "supervision.item_delete": "删除抽查事项",
        "supervision.checkpoint_add": "新增检查要点",
        "supervision.checkpoint_update": "修改检查要点",
        "supervision.checkpoint_delete": "删除检查要点",
        "supervision.checkpoint_move": "调整检查要点顺序",
    }
)

# (field, label, longest, required)
ITEM_TEXTS: tuple[tuple[str, str, int, bool], ...] = (
    ("code", "事项编号", 30, False),
    ("name", "事项名称", 200, True),
    ("sub_item", "子项", 200, False),
    ("basis", "抽查依据", 5000, True),
    ("subject", "抽查主体", 200, True),
    ("object_scope", "抽查对象", 200, True),
    ("ratio", "抽查比例", 100, True),
    ("frequency", "抽查频次", 100, True),
    ("method", "抽查方式", 100, True),
    ("inspector_requirements", "检查人员要求", 200, True),
)
ITEM_FIELDS = [field for field, *_ in ITEM_TEXTS]
UP, DOWN = "up", "down"


def _text(value: str | None, *, field: str, label: str, length: int, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: f"请填写{label}"})
    if len(text) > length:
        raise ValidationError({field: f"{label}不能超过{length}个字"})
    return text


def _item_texts(values: dict[str, Any]) -> dict[str, str]:
    return {
        field: _text(values.get(field), field=field, label=label, length=length, required=required)
        for field, label, length, required in ITEM_TEXTS
    }


def _values(item: InspectionItem) -> dict[str, Any]:
    return {field: getattr(item, field) for field in ITEM_FIELDS}


def _record(action: str, actor: User, item: InspectionItem, **summary: Any) -> None:
    audit.record(
        action=action,
        actor=actor,
        obj=item,
        organization=item.owner,
        summary={"item": str(item), **summary},
    )


def require_item_editor(actor: User, item: InspectionItem) -> None:
    require_editor(actor=actor, organizations=[item.owner])


# --- items ------------------------------------------------------------------------------------


def item_create(*, actor: User, owner: Organization | None, **texts: str) -> InspectionItem:
    """A new item of a unit in the actor's subtree, active, last in the owner's list."""
    if owner is None:
        raise ValidationError({"owner": "请选择制定单位"})
    require_editor(actor=actor, organizations=[owner])
    fields = _item_texts(texts)
    with transaction.atomic():
        last = InspectionItem.objects.filter(owner=owner).aggregate(last=Max("order"))["last"]
        item = InspectionItem.objects.create(owner=owner, order=(last or 0) + 1, **fields)
        _record("supervision.item_create", actor, item, **_values(item))
    return item


def item_update(*, actor: User, item: InspectionItem, **texts: str) -> InspectionItem:
    require_item_editor(actor, item)
    fields = _item_texts(texts)
    with transaction.atomic():
        before = _values(item)
        for field, value in fields.items():
            setattr(item, field, value)
        item.save(update_fields=ITEM_FIELDS)
        changes = audit.changes(before, _values(item))
        if changes:
            _record("supervision.item_update", actor, item, changes=changes)
    return item


def item_set_active(*, actor: User, item: InspectionItem, active: bool) -> InspectionItem:
    """A deactivated item stays for the plans that used it but is offered to no new plan."""
    require_item_editor(actor, item)
    if item.is_active == active:
        state = "启用" if active else "停用"
        raise ValidationError(f"该抽查事项已是{state}状态")
    with transaction.atomic():
        item.is_active = active
        item.save(update_fields=["is_active"])
        _record("supervision.item_active", actor, item, is_active=active)
    return item


def item_delete(*, actor: User, item: InspectionItem) -> None:
    require_item_editor(actor, item)
    plans = item.plans.count()
    if plans:
        raise ValidationError(
            f"该抽查事项已被{plans}个抽查计划使用，不能删除；不再使用的，请停用。"
        )
    with transaction.atomic():
        _record(
            "supervision.item_delete",
            actor,
            item,
            **_values(item),
            checkpoints=item.checkpoints.count(),
        )
        item.delete()


# --- check points -----------------------------------------------------------------------------


def _point_texts(content: str, basis: str) -> dict[str, str]:
    return {
        "content": _text(content, field="content", label="检查内容", length=300, required=True),
        "basis": _text(basis, field="basis", label="法律依据", length=300, required=True),
    }


def checkpoint_add(*, actor: User, item: InspectionItem, content: str, basis: str) -> CheckPoint:
    """A new check point, last in the item's checklist."""
    require_item_editor(actor, item)
    fields = _point_texts(content, basis)
    with transaction.atomic():
        last = item.checkpoints.aggregate(last=Max("order"))["last"]
        point = CheckPoint.objects.create(item=item, order=(last or 0) + 1, **fields)
        _record("supervision.checkpoint_add", actor, item, checkpoint=point.pk, **fields)
    return point


def checkpoint_update(
    *, actor: User, checkpoint: CheckPoint, content: str, basis: str
) -> CheckPoint:
    item = checkpoint.item
    require_item_editor(actor, item)
    fields = _point_texts(content, basis)
    with transaction.atomic():
        before = {"content": checkpoint.content, "basis": checkpoint.basis}
        checkpoint.content, checkpoint.basis = fields["content"], fields["basis"]
        checkpoint.save(update_fields=["content", "basis"])
        changes = audit.changes(before, fields)
        if changes:
            _record(
                "supervision.checkpoint_update",
                actor,
                item,
                checkpoint=checkpoint.pk,
                changes=changes,
            )
    return checkpoint


def checkpoint_delete(*, actor: User, checkpoint: CheckPoint) -> None:
    item = checkpoint.item
    require_item_editor(actor, item)
    if CheckResult.objects.filter(check_point=checkpoint).exists():
        raise ValidationError("该检查要点已有检查记录，不能删除。")
    with transaction.atomic():
        _record(
            "supervision.checkpoint_delete",
            actor,
            item,
            checkpoint=checkpoint.pk,
            content=checkpoint.content,
            basis=checkpoint.basis,
        )
        checkpoint.delete()
        _renumber(list(item.checkpoints.order_by("order", "id")))


def _renumber(points: list[CheckPoint]) -> None:
    """Numbers 1..n in list order, saving only the points whose number changes."""
    for number, point in enumerate(points, start=1):
        if point.order != number:
            point.order = number
            point.save(update_fields=["order"])


def checkpoint_move(*, actor: User, checkpoint: CheckPoint, direction: str) -> CheckPoint:
    """One place up or down in the checklist; the first cannot go up nor the last down."""
    item = checkpoint.item
    require_item_editor(actor, item)
    if direction not in (UP, DOWN):
        raise ValidationError("请选择上移或下移")
    with transaction.atomic():
        points = list(item.checkpoints.select_for_update().order_by("order", "id"))
        index = next(i for i, point in enumerate(points) if point.pk == checkpoint.pk)
        target = index - 1 if direction == UP else index + 1
        if not 0 <= target < len(points):
            raise ValidationError("该检查要点已在最前" if direction == UP else "该检查要点已在最后")
        points[index], points[target] = points[target], points[index]
        _renumber(points)
        _record(
            "supervision.checkpoint_move",
            actor,
            item,
            checkpoint=checkpoint.pk,
            direction=direction,
            position=target + 1,
        )
    checkpoint.refresh_from_db(fields=["order"])
    return checkpoint
