"""Reads of documents, plans and their task trees.

A plan is visible to the users of its owner organization and of every organization above it;
every fetch goes through the scoping primitive, and every page runs a constant number of
queries whatever the size of the plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Min, Prefetch, Q, QuerySet

from weijian.core.docnumbers import DocNumberError, parse_docnumber
from weijian.core.scoping import get_in_scope_or_404, in_scope
from weijian.plans.models import Assignment, AssignmentRole, Document, Plan, Target, Task

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

    AnyUser = User | AnonymousUser

ROLE_ORDER = [AssignmentRole.LEAD, AssignmentRole.PARTNER, AssignmentRole.RESPONSIBLE]
# The roles of "my tasks": the units that carry a task (责任 is the wording of the tables that
# do not tell the two apart, and is listed on the plan page).
MY_ROLES = [AssignmentRole.LEAD, AssignmentRole.PARTNER]


# --- documents ----------------------------------------------------------------------------


def document_list(*, user: AnyUser, query: str = "") -> QuerySet[Document]:
    """Documents issued in the user's tree or source of a plan he may see; `query` matches the
    number or the title (a number is also matched once parsed, whatever its brackets)."""
    issued = in_scope(Document.objects.all(), user, via="issuer").values("pk")
    planned = in_scope(Document.objects.all(), user, via="plans__owner").values("pk")
    documents = Document.objects.filter(Q(pk__in=issued) | Q(pk__in=planned))
    query = query.strip()
    if query:
        match = Q(number__icontains=query) | Q(title__icontains=query)
        try:
            number = parse_docnumber(query)
        except DocNumberError:
            pass
        else:
            match |= Q(issuer_code=number.issuer, year=number.year, serial=number.serial)
        documents = documents.filter(match)
    visible_plans = in_scope(Plan.objects.all(), user, via="owner").order_by("pk")
    return documents.select_related("issuer").prefetch_related(
        Prefetch("plans", queryset=visible_plans, to_attr="visible_plans")
    )


# --- plans --------------------------------------------------------------------------------


def plan_list(*, user: AnyUser) -> QuerySet[Plan]:
    plans = in_scope(Plan.objects.all(), user, via="owner")
    return (
        plans.select_related("document", "owner")
        .annotate(task_count=Count("tasks"))
        .order_by("-created_at", "-pk")
    )


def plan_get(*, user: AnyUser, pk: int) -> Plan:
    return get_in_scope_or_404(
        Plan.objects.select_related("document", "owner"), user, via="owner", pk=pk
    )


@dataclass(frozen=True)
class Unit:
    """A unit named in a plan: an organization once resolved, its raw name otherwise."""

    key: str  # the filter value: "o<pk>" or "n<raw name>"
    name: str
    resolved: bool


def unit_key(assignment: Assignment) -> str:
    if assignment.organization_id is not None:
        return f"o{assignment.organization_id}"
    return f"n{assignment.raw_name}"


def plan_units(*, plan: Plan) -> list[Unit]:
    """The plan's units, for the filter: resolved organizations first, then raw names."""
    rows = (
        Assignment.objects.filter(task__plan=plan)
        .values_list("organization_id", "organization__name", "raw_name")
        .order_by()
        .distinct()
    )
    units: dict[str, Unit] = {}
    for organization_id, organization_name, raw_name in rows:
        if organization_id is not None:
            units[f"o{organization_id}"] = Unit(f"o{organization_id}", organization_name, True)
        else:
            units[f"n{raw_name}"] = Unit(f"n{raw_name}", raw_name, False)
    return sorted(units.values(), key=lambda u: (not u.resolved, u.name))


def target_value(target: Target) -> str:
    """3.5 · 95 · 10–20: the value as written, without trailing zeros."""
    if target.value_max is not None and target.value_max != target.value:
        return f"{target.value:g}–{target.value_max:g}"
    return f"{target.value:g}"


@dataclass
class TaskNode:
    task: Task
    units: list[tuple[str, list[Assignment]]]  # (role label, assignments), roles in order
    targets: list[Target]
    children: list[TaskNode] = field(default_factory=list)
    matched: bool = True


@dataclass
class TreeRow:
    """One task of the flattened tree: a task with children opens a <details>, and `closes`
    is the number of <details> that end after this row."""

    node: TaskNode
    depth: int
    closes: range = range(0)


@dataclass
class PlanTree:
    roots: list[TaskNode]
    task_count: int
    matched_count: int

    def rows(self) -> list[TreeRow]:
        rows: list[TreeRow] = []

        def walk(node: TaskNode, depth: int) -> None:
            rows.append(TreeRow(node, depth))
            if node.children:
                for child in node.children:
                    walk(child, depth + 1)
                last = rows[-1]
                last.closes = range(len(last.closes) + 1)

        for root in self.roots:
            walk(root, 0)
        return rows


def _tasks(plan: Plan) -> QuerySet[Task]:
    """One query for the tasks and one each for their assignments and their targets."""
    assignments = Assignment.objects.select_related("organization").order_by("pk")
    targets = Target.objects.select_related("indicator").order_by("pk")
    return (
        Task.objects.filter(plan=plan)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch("assignments", queryset=assignments),
            Prefetch("targets", queryset=targets),
        )
    )


def _matches(assignment: Assignment, unit: str, role: str) -> bool:
    return (not unit or unit_key(assignment) == unit) and (not role or assignment.role == role)


def plan_tree(*, plan: Plan, unit: str = "", role: str = "") -> PlanTree:
    """The plan's task tree. With a unit or a role, only the tasks carried by that unit (in
    that role) are kept, with their ancestors for context (marked matched=False)."""
    labels = dict(AssignmentRole.choices)
    nodes: dict[int, TaskNode] = {}
    parents: dict[int, int | None] = {}
    order: list[int] = []
    for task in _tasks(plan):
        assignments = list(task.assignments.all())
        by_role = [
            (labels[r], [a for a in assignments if a.role == r])
            for r in ROLE_ORDER
            if any(a.role == r for a in assignments)
        ]
        targets = list(task.targets.all())
        matched = not (unit or role) or any(_matches(a, unit, role) for a in assignments)
        nodes[task.pk] = TaskNode(task, by_role, targets, matched=matched)
        parents[task.pk] = task.parent_id
        order.append(task.pk)
    keep = {pk for pk in order if nodes[pk].matched}
    for pk in list(keep):
        parent = parents[pk]
        while parent is not None and parent in nodes and parent not in keep:
            keep.add(parent)
            parent = parents[parent]
    roots: list[TaskNode] = []
    for pk in order:
        if pk not in keep:
            continue
        parent = parents[pk]
        if parent is not None and parent in nodes:
            nodes[parent].children.append(nodes[pk])
        else:
            roots.append(nodes[pk])
    matched_count = sum(1 for pk in keep if nodes[pk].matched)
    return PlanTree(roots=roots, task_count=len(order), matched_count=matched_count)


# --- my tasks -----------------------------------------------------------------------------


def my_assignments(*, user: AnyUser) -> QuerySet[Assignment]:
    """The user's organization as lead or partner, in the plans he may see: one row per task
    and role (a unit named twice in one role, as itself and in a collective, is listed once),
    leads first."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    visible = in_scope(Assignment.objects.all(), user, via="task__plan__owner")
    first = (
        visible.filter(organization=user.organization, role__in=MY_ROLES)
        .order_by()
        .values("task", "role")
        .annotate(first=Min("pk"))
        .values("first")
    )
    targets = Target.objects.select_related("indicator").order_by("pk")
    return (
        Assignment.objects.filter(pk__in=first)
        .select_related("task__plan__document")
        .prefetch_related(Prefetch("task__targets", queryset=targets))
        .order_by("role", "-task__plan__created_at", "task__plan_id", "task__order")
    )


# --- editing ------------------------------------------------------------------------------


def subtree_ids(*, task: Task) -> list[int]:
    """The task and every task below it, parents before children (one query)."""
    children: dict[int | None, list[int]] = {}
    rows = Task.objects.filter(plan_id=task.plan_id).order_by("order", "pk")
    for pk, parent_id in rows.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: list[int] = []
    pending = [task.pk]
    while pending:
        pk = pending.pop()
        found.append(pk)
        pending.extend(reversed(children.get(pk, [])))
    return found


@dataclass(frozen=True)
class SubtreeCounts:
    """What deleting a task takes with it: itself and its descendants, their units, targets."""

    tasks: int
    assignments: int
    targets: int


def subtree_counts(*, task: Task) -> SubtreeCounts:
    ids = subtree_ids(task=task)
    return SubtreeCounts(
        tasks=len(ids),
        assignments=Assignment.objects.filter(task_id__in=ids).count(),
        targets=Target.objects.filter(task_id__in=ids).count(),
    )


@dataclass(frozen=True)
class UnmatchedName:
    raw_name: str
    count: int


def unmatched_names(*, plan: Plan) -> list[UnmatchedName]:
    """The unit names of the plan no organization is linked to, the most frequent first."""
    rows = (
        Assignment.objects.filter(task__plan=plan, organization__isnull=True)
        .values("raw_name")
        .annotate(count=Count("pk"))
        .order_by("-count", "raw_name")
    )
    return [UnmatchedName(row["raw_name"], row["count"]) for row in rows]
