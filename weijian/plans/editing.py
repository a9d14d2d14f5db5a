"""Editing a plan by hand: its header, its tasks, the units that carry them and their targets.

Every function checks that the actor may edit the plans of the plan's owner (科室人员 of the
owner or above it, as for the import) before it opens its transaction (so a refusal's audit
event survives), validates its input with Chinese messages naming the field, and writes one
audit event per change in the owner's trail: what was created or deleted, or the fields that
changed as [before, after]."""

from __future__ import annotations

import datetime
import math
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max

from weijian.accounts.access import require_plan_editor
from weijian.core import audit
from weijian.orgs.names import normalize_name
from weijian.plans import selectors
from weijian.plans.models import (
    Assignment,
    AssignmentRole,
    Comparator,
    Indicator,
    Plan,
    Target,
    Task,
)
from weijian.plans.resolve import tree_of

if TYPE_CHECKING:
    from weijian.accounts.models import User
    from weijian.orgs.models import Organization

audit.register_actions(
    {
        "plan.update": "修改方案",
        "task.create": "新增任务",
        "task.update": "修改任务",
        "task.delete": "删除任务",
        "assignment.add": "新增任务分工",
        "assignment.update": "修改任务分工",
        "assignment.remove": "删除任务分工",
        "assignment.link_name": "匹配方案中的单位名称",
        "target.add": "新增目标",
        "target.update": "修改目标",
        "target.remove": "删除目标",
    }
)

YEARS = range(1900, 2101)
PLAN_FIELDS = ["title", "start_year", "end_year"]
TASK_FIELDS = ["label", "path", "title", "text", "due_on", "due_text"]
ASSIGNMENT_FIELDS = ["role", "organization", "raw_name", "confidence"]
TARGET_FIELDS = [
    "indicator",
    "comparator",
    "value",
    "value_max",
    "unit",
    "year",
    "baseline",
    "text",
]


# --- shared steps ---------------------------------------------------------------------------


def _require_editor(actor: User, plan: Plan) -> None:
    require_plan_editor(actor=actor, organizations=[plan.owner])


def _lock(plan: Plan) -> None:
    """Serialise the edits of one plan's tree (paths and order depend on the siblings)."""
    list(Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk"))


def _values(instance: models.Model, fields: Sequence[str]) -> dict[str, Any]:
    """The fields' values, JSON-ready: a related row by its name, a date in ISO form."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, models.Model):
            value = str(value)
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        values[name] = value
    return values


def _record(action: str, *, actor: User, obj: models.Model, plan: Plan, **summary: Any) -> None:
    audit.record(
        action=action,
        actor=actor,
        obj=obj,
        organization=plan.owner,
        summary={"plan": plan.pk, **summary},
    )


def _record_changes(
    action: str,
    *,
    actor: User,
    obj: models.Model,
    plan: Plan,
    before: dict[str, Any],
    after: dict[str, Any],
    **summary: Any,
) -> bool:
    """One event with the fields that changed; none when nothing did."""
    changes = audit.changes(before, after)
    if changes:
        _record(action, actor=actor, obj=obj, plan=plan, changes=changes, **summary)
    return bool(changes)


def _text(value: str | None, *, field: str, label: str, length: int) -> str:
    text = (value or "").strip()
    if len(text) > length:
        raise ValidationError({field: f"{label}不能超过{length}个字"})
    return text


def _year(value: int | None, *, field: str, label: str) -> int | None:
    if value is not None and value not in YEARS:
        raise ValidationError({field: f"{label}应在{YEARS[0]}至{YEARS[-1]}年之间"})
    return value


def _number(value: float | None, *, field: str, label: str) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field: f"{label}应为数字"}) from None
    if not math.isfinite(number):
        raise ValidationError({field: f"{label}应为有限的数字"})
    return number


# --- the plan -------------------------------------------------------------------------------


def plan_update(
    *,
    actor: User,
    plan: Plan,
    title: str,
    start_year: int | None = None,
    end_year: int | None = None,
) -> Plan:
    _require_editor(actor, plan)
    title = _text(title, field="title", label="标题", length=300)
    if not title:
        raise ValidationError({"title": "方案标题不能为空"})
    _year(start_year, field="start_year", label="起始年份")
    _year(end_year, field="end_year", label="截止年份")
    if start_year is not None and end_year is not None and end_year < start_year:
        raise ValidationError({"end_year": "截止年份不能早于起始年份"})
    with transaction.atomic():
        before = _values(plan, PLAN_FIELDS)
        plan.title, plan.start_year, plan.end_year = title, start_year, end_year
        plan.save(update_fields=PLAN_FIELDS)
        _record_changes(
            "plan.update",
            actor=actor,
            obj=plan,
            plan=plan,
            before=before,
            after=_values(plan, PLAN_FIELDS),
        )
    return plan


# --- tasks ----------------------------------------------------------------------------------

_LABEL_END = "、.,，:：;；"


def clean_label(value: str) -> str:
    """A label as paths write it: 三、 → 三, （二） → (二), 1. → 1; ① stays ①."""
    chars = [
        ch if "\u2460" <= ch <= "\u2473" else unicodedata.normalize("NFKC", ch)
        for ch in (value or "")
    ]
    return "".join("".join(chars).split()).rstrip(_LABEL_END)


def _join(parent_path: str, segment: str) -> str:
    return f"{parent_path}.{segment}" if parent_path else segment


def _task_path(*, parent: Task | None, label: str, position: int, siblings: Sequence[Task]) -> str:
    """parent path + label, or + [n] (the task's position among its siblings) without one,
    as the parser forms them. A label already used by a sibling is refused."""
    parent_path = parent.path if parent is not None else ""
    if label:
        if any(s.label == label for s in siblings):
            raise ValidationError({"label": f"同一上级下已有编号为“{label}”的任务"})
        path = _join(parent_path, label)
    else:
        taken = {s.path for s in siblings}
        path = _join(parent_path, f"[{position}]")
        while path in taken:
            position += 1
            path = _join(parent_path, f"[{position}]")
    if len(path) > Task._meta.get_field("path").max_length:  # type: ignore[operator]
        raise ValidationError({"label": "编号路径过长，请缩短上级或本任务的编号"})
    return path


def _task_fields(
    *, label: str, title: str, text: str, due_on: datetime.date | None, due_text: str
) -> dict[str, Any]:
    fields = {
        "label": clean_label(_text(label, field="label", label="编号", length=20)),
        "title": _text(title, field="title", label="标题", length=300),
        "text": (text or "").strip(),
        "due_on": due_on,
        "due_text": _text(due_text, field="due_text", label="完成时限（原文）", length=100),
    }
    if not fields["title"] and not fields["text"]:
        raise ValidationError({"title": "任务的标题和内容不能都为空"})
    return fields


def _siblings(plan: Plan, parent_id: int | None) -> list[Task]:
    return list(Task.objects.filter(plan=plan, parent_id=parent_id).order_by("order", "pk"))


def _order_after(plan: Plan, parent: Task | None) -> int:
    """The order a new last child of `parent` takes: right after the parent's subtree (after
    the whole plan for a top-level task), so the tree's order stays depth first."""
    if parent is None:
        last = Task.objects.filter(plan=plan).aggregate(last=Max("order"))["last"]
    else:
        ids = selectors.subtree_ids(task=parent)
        last = Task.objects.filter(pk__in=ids).aggregate(last=Max("order"))["last"]
    return 0 if last is None else last + 1


def task_create(
    *,
    actor: User,
    plan: Plan,
    parent: Task | None = None,
    label: str = "",
    title: str = "",
    text: str = "",
    due_on: datetime.date | None = None,
    due_text: str = "",
) -> Task:
    """A new task, the last child of `parent` (a top-level task without one)."""
    _require_editor(actor, plan)
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError("上级任务不属于该方案")
    fields = _task_fields(label=label, title=title, text=text, due_on=due_on, due_text=due_text)
    with transaction.atomic():
        _lock(plan)
        siblings = _siblings(plan, parent.pk if parent else None)
        path = _task_path(
            parent=parent, label=fields["label"], position=len(siblings) + 1, siblings=siblings
        )
        order = _order_after(plan, parent)
        Task.objects.filter(plan=plan, order__gte=order).update(order=F("order") + 1)
        task = Task.objects.create(plan=plan, parent=parent, path=path, order=order, **fields)
        _record("task.create", actor=actor, obj=task, plan=plan, **_values(task, TASK_FIELDS))
    return task


def task_update(
    *,
    actor: User,
    task: Task,
    label: str,
    title: str,
    text: str,
    due_on: datetime.date | None = None,
    due_text: str = "",
) -> Task:
    """Change a task's own fields. A new label changes its path and the paths below it."""
    plan = task.plan
    _require_editor(actor, plan)
    fields = _task_fields(label=label, title=title, text=text, due_on=due_on, due_text=due_text)
    with transaction.atomic():
        _lock(plan)
        before = _values(task, TASK_FIELDS)
        old_path = task.path
        if fields["label"] != task.label:
            siblings = _siblings(plan, task.parent_id)
            position = [s.pk for s in siblings].index(task.pk) + 1
            others = [s for s in siblings if s.pk != task.pk]
            task.path = _task_path(
                parent=task.parent, label=fields["label"], position=position, siblings=others
            )
        for name, value in fields.items():
            setattr(task, name, value)
        task.save(update_fields=TASK_FIELDS)
        moved = _move_paths_below(task, old_path) if task.path != old_path else 0
        _record_changes(
            "task.update",
            actor=actor,
            obj=task,
            plan=plan,
            before=before,
            after=_values(task, TASK_FIELDS),
            descendants_renumbered=moved,
        )
    return task


def _move_paths_below(task: Task, old_path: str) -> int:
    """Give the task's descendants the task's new path as their prefix."""
    ids = selectors.subtree_ids(task=task)[1:]
    below = list(Task.objects.filter(pk__in=ids))
    limit = Task._meta.get_field("path").max_length
    for child in below:
        if child.path.startswith(f"{old_path}."):
            child.path = task.path + child.path[len(old_path) :]
        if len(child.path) > limit:  # type: ignore[operator]
            raise ValidationError({"label": "编号路径过长，请缩短上级或本任务的编号"})
    Task.objects.bulk_update(below, ["path"])
    return len(below)


def task_delete(*, actor: User, task: Task) -> selectors.SubtreeCounts:
    """Delete the task with its subtree, their assignments and targets."""
    plan = task.plan
    _require_editor(actor, plan)
    with transaction.atomic():
        _lock(plan)
        counts = selectors.subtree_counts(task=task)
        _record(
            "task.delete",
            actor=actor,
            obj=task,
            plan=plan,
            path=task.path,
            title=task.title,
            tasks=counts.tasks,
            assignments=counts.assignments,
            targets=counts.targets,
        )
        task.delete()
    return counts


# --- assignments ----------------------------------------------------------------------------


def _role(role: str) -> str:
    if role not in AssignmentRole.values:
        raise ValidationError({"role": "请选择牵头、配合或责任"})
    return role


def _require_in_tree(organization: Organization | None, plan: Plan) -> None:
    """An assignment names an organization of the plan owner's tree."""
    if organization is not None and organization.pk not in {o.pk for o in tree_of(plan.owner)}:
        raise ValidationError(
            {"organization": f"“{organization.name}”不在“{plan.owner.name}”所属的单位范围内"}
        )


def _raw_name(raw_name: str, organization: Organization | None) -> str:
    name = normalize_name(_text(raw_name, field="raw_name", label="单位（原文）", length=200))
    name = name or (organization.name if organization is not None else "")
    if not name:
        raise ValidationError({"raw_name": "请选择单位或填写单位名称"})
    return name


def _require_new(assignment: Assignment, *, exclude: int | None = None) -> None:
    """A task names a unit once in a role."""
    same = Assignment.objects.filter(task_id=assignment.task_id, role=assignment.role)
    if assignment.organization_id is not None:
        same = same.filter(organization_id=assignment.organization_id)
    else:
        same = same.filter(organization__isnull=True, raw_name=assignment.raw_name)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        field = "organization" if assignment.organization else "raw_name"
        name = assignment.organization.name if assignment.organization else assignment.raw_name
        label = assignment.get_role_display()
        raise ValidationError({field: f"该任务已有{label}单位“{name}”"})


def assignment_add(
    *,
    actor: User,
    task: Task,
    role: str,
    organization: Organization | None = None,
    raw_name: str = "",
) -> Assignment:
    """Name a unit for the task: an organization of the owner's tree and/or the name as the
    document writes it (the organization's name by default)."""
    plan = task.plan
    _require_editor(actor, plan)
    _require_in_tree(organization, plan)
    assignment = Assignment(
        task=task,
        role=_role(role),
        organization=organization,
        raw_name=_raw_name(raw_name, organization),
        confidence=1.0 if organization is not None else None,
    )
    with transaction.atomic():
        _require_new(assignment)
        assignment.save()
        _record(
            "assignment.add",
            actor=actor,
            obj=assignment,
            plan=plan,
            task=task.path,
            **_values(assignment, ASSIGNMENT_FIELDS),
        )
    return assignment


def assignment_update(
    *,
    actor: User,
    assignment: Assignment,
    role: str,
    organization: Organization | None = None,
    raw_name: str | None = None,
) -> Assignment:
    """Change the role, or link the name to an organization (sure: confidence 1) or unlink it.
    `raw_name=None` keeps the name as the document writes it."""
    task = assignment.task
    plan = task.plan
    _require_editor(actor, plan)
    _require_in_tree(organization, plan)
    role = _role(role)
    name = assignment.raw_name if raw_name is None else _raw_name(raw_name, organization)
    with transaction.atomic():
        before = _values(assignment, ASSIGNMENT_FIELDS)
        if organization != assignment.organization:
            assignment.confidence = 1.0 if organization is not None else None
        assignment.role, assignment.organization, assignment.raw_name = role, organization, name
        _require_new(assignment, exclude=assignment.pk)
        assignment.save(update_fields=ASSIGNMENT_FIELDS)
        _record_changes(
            "assignment.update",
            actor=actor,
            obj=assignment,
            plan=plan,
            before=before,
            after=_values(assignment, ASSIGNMENT_FIELDS),
            task=task.path,
        )
    return assignment


def assignment_remove(*, actor: User, assignment: Assignment) -> None:
    task = assignment.task
    _require_editor(actor, task.plan)
    with transaction.atomic():
        _record(
            "assignment.remove",
            actor=actor,
            obj=assignment,
            plan=task.plan,
            task=task.path,
            **_values(assignment, ASSIGNMENT_FIELDS),
        )
        assignment.delete()


def assignment_link_name(
    *, actor: User, plan: Plan, raw_name: str, organization: Organization
) -> int:
    """Link every assignment of the plan that names `raw_name` without an organization (市卫计委
    on forty tasks) to `organization` at once. Returns how many were linked."""
    _require_editor(actor, plan)
    if organization is None:
        raise ValidationError({"organization": "请选择要匹配的单位"})
    _require_in_tree(organization, plan)
    with transaction.atomic():
        _lock(plan)
        unlinked = Assignment.objects.filter(
            task__plan=plan, raw_name=raw_name, organization__isnull=True
        )
        found = list(unlinked.values_list("pk", "task__path").order_by("task__order", "pk"))
        if not found:
            raise ValidationError({"raw_name": f"方案中没有未匹配的单位“{raw_name}”"})
        Assignment.objects.filter(pk__in=[pk for pk, _ in found]).update(
            organization=organization, confidence=1.0
        )
        _record(
            "assignment.link_name",
            actor=actor,
            obj=plan,
            plan=plan,
            raw_name=raw_name,
            organization=organization.name,
            organization_id=organization.pk,
            count=len(found),
            tasks=list(dict.fromkeys(path for _, path in found)),
        )
    return len(found)


# --- targets --------------------------------------------------------------------------------


def _target_fields(
    *,
    indicator: str,
    comparator: str,
    value: float,
    value_max: float | None,
    unit: str,
    year: int | None,
    baseline: float | None,
    text: str,
) -> dict[str, Any]:
    name = normalize_name(_text(indicator, field="indicator", label="指标名称", length=200))
    if not name:
        raise ValidationError({"indicator": "指标名称不能为空"})
    if comparator not in Comparator.values:
        raise ValidationError({"comparator": "请选择比较方式（≥、≤、=、≈）"})
    number = _number(value, field="value", label="目标值")
    if number is None:
        raise ValidationError({"value": "目标值不能为空"})
    upper = _number(value_max, field="value_max", label="目标值上限")
    if upper is not None and upper < number:
        raise ValidationError({"value_max": "目标值上限不能小于目标值"})
    return {
        "indicator": name,
        "comparator": comparator,
        "value": number,
        "value_max": upper,
        "unit": _text(unit, field="unit", label="单位", length=20),
        "year": _year(year, field="year", label="目标年份"),
        "baseline": _number(baseline, field="baseline", label="基线值"),
        "text": _text(text, field="text", label="原文", length=500),
    }


def _indicator(name: str, *, unit: str, comparator: str) -> Indicator:
    indicator, _ = Indicator.objects.get_or_create(
        name=name,
        defaults={"unit": unit, "higher_is_better": comparator != Comparator.AT_MOST},
    )
    return indicator


def _fill_target(target: Target, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name != "indicator":
            setattr(target, name, value)
    target.indicator = _indicator(
        fields["indicator"], unit=fields["unit"], comparator=fields["comparator"]
    )


def target_add(
    *,
    actor: User,
    task: Task,
    indicator: str,
    comparator: str,
    value: float,
    value_max: float | None = None,
    unit: str = "",
    year: int | None = None,
    baseline: float | None = None,
    text: str = "",
) -> Target:
    """A quantitative target of the task; the indicator is found by name or created."""
    plan = task.plan
    _require_editor(actor, plan)
    fields = _target_fields(
        indicator=indicator,
        comparator=comparator,
        value=value,
        value_max=value_max,
        unit=unit,
        year=year,
        baseline=baseline,
        text=text,
    )
    with transaction.atomic():
        target = Target(task=task)
        _fill_target(target, fields)
        target.save()
        _record(
            "target.add",
            actor=actor,
            obj=target,
            plan=plan,
            task=task.path,
            **_values(target, TARGET_FIELDS),
        )
    return target


def target_update(
    *,
    actor: User,
    target: Target,
    indicator: str,
    comparator: str,
    value: float,
    value_max: float | None = None,
    unit: str = "",
    year: int | None = None,
    baseline: float | None = None,
    text: str = "",
) -> Target:
    task = target.task
    _require_editor(actor, task.plan)
    fields = _target_fields(
        indicator=indicator,
        comparator=comparator,
        value=value,
        value_max=value_max,
        unit=unit,
        year=year,
        baseline=baseline,
        text=text,
    )
    with transaction.atomic():
        before = _values(target, TARGET_FIELDS)
        _fill_target(target, fields)
        target.save()
        _record_changes(
            "target.update",
            actor=actor,
            obj=target,
            plan=task.plan,
            before=before,
            after=_values(target, TARGET_FIELDS),
            task=task.path,
        )
    return target


def target_remove(*, actor: User, target: Target) -> None:
    task = target.task
    _require_editor(actor, task.plan)
    with transaction.atomic():
        _record(
            "target.remove",
            actor=actor,
            obj=target,
            plan=task.plan,
            task=task.path,
            **_values(target, TARGET_FIELDS),
        )
        target.delete()
