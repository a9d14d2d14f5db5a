"""Writing an imported plan: the document, the plan, its task tree, assignments and targets."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from weijian.accounts.access import require_plan_editor
from weijian.core import audit
from weijian.core.docnumbers import DocNumberError, parse_docnumber
from weijian.orgs.models import Organization
from weijian.plans.models import (
    Assignment,
    AssignmentRole,
    Comparator,
    Document,
    Indicator,
    Plan,
    Target,
    Task,
)
from weijian.plans.resolve import UnitResolver, tree_of

if TYPE_CHECKING:
    from weijian.accounts.models import User

# An assignment is linked to an organization only when the match is at least this sure.
AUTO_LINK = 0.9

ROLE_KEYS = {
    "lead": AssignmentRole.LEAD,
    "partners": AssignmentRole.PARTNER,
    "responsible": AssignmentRole.RESPONSIBLE,
}

audit.register_actions({"plan.import": "导入方案"})


def document_date(year: int | None) -> datetime.date | None:
    """The date unit aliases are checked at: the start of the document's year."""
    return datetime.date(year, 1, 1) if year else None


def plan_resolver(*, owner: Organization | None, year: int | None) -> UnitResolver:
    """Names are looked up in the owner's organization tree (all organizations without one)."""
    organizations = tree_of(owner) if owner is not None else None
    return UnitResolver(organizations=organizations, on=document_date(year))


def plan_import_apply(
    *,
    parsed: Mapping[str, Any],
    owner: Organization,
    actor: User | None,
    source: str = "",
    title: str | None = None,
    links: Mapping[str, int | None] | None = None,
) -> Plan:
    """Write `parsed` (the shape of `ParsedPlan.to_json()`) as a new plan of `owner`.

    `actor=None` is trusted server code (the import command), which names itself in `source`.
    `links` overrides the resolution of unit names the user decided in the preview: a name
    mapped to an organization's pk is linked to it (full confidence), to None kept as written.
    """
    if actor is not None:
        require_plan_editor(actor=actor, organizations=[owner])
    header = parsed.get("plan") or {}
    year = header.get("year")
    resolver = plan_resolver(owner=owner, year=year)
    chosen = _chosen_links(links or {}, owner=owner)
    with transaction.atomic():
        document = _document(header, title=title)
        plan = Plan.objects.create(
            document=document,
            title=_cut(title or header.get("title") or (document.title if document else ""), 300)
            or "未命名方案",
            owner=owner,
            start_year=year,
        )
        writer = _TreeWriter(plan, resolver, chosen)
        writer.write(parsed.get("tasks") or [], parent=None)
        Assignment.objects.bulk_create(writer.assignments)
        Target.objects.bulk_create(writer.targets)
        audit.record(
            action="plan.import",
            actor=actor,
            obj=plan,
            organization=owner,
            username=source if actor is None else "",
            summary={
                "source": source,
                "title": plan.title,
                "document_number": document.number if document else None,
                "tasks": writer.task_count,
                "assignments": len(writer.assignments),
                "targets": len(writer.targets),
                "unresolved": sorted(writer.unresolved),
                "warnings": len(parsed.get("warnings") or []),
            },
        )
    return plan


def _chosen_links(
    links: Mapping[str, int | None], *, owner: Organization
) -> dict[str, Organization | None]:
    """The preview's decisions, each organization checked to be in the owner's tree."""
    wanted = {pk for pk in links.values() if pk}
    tree = {org.pk: org for org in tree_of(owner) if org.pk in wanted} if wanted else {}
    chosen: dict[str, Organization | None] = {}
    for name, pk in links.items():
        if pk and pk not in tree:
            raise ValidationError(f"单位“{name}”选择的机构不在“{owner.name}”的范围内。")
        chosen[name] = tree[pk] if pk else None
    return chosen


def _cut(text: str, length: int) -> str:
    return (text or "")[:length]


def _document(header: Mapping[str, Any], *, title: str | None) -> Document | None:
    """The plan's source document, found by its number or created; None without a number."""
    number_text = (header.get("document_number") or "").strip()
    if not number_text:
        return None
    try:
        number = parse_docnumber(number_text)
    except DocNumberError:
        return None
    document, _ = Document.objects.get_or_create(
        issuer_code=number.issuer,
        year=number.year,
        serial=number.serial,
        defaults={
            "number": _cut(number_text, 100),
            "title": _cut(title or header.get("title") or number_text, 300),
            "body": header.get("preamble") or "",
            "attachments": [_cut(str(a), 300) for a in header.get("attachments") or []],
        },
    )
    return document


class _TreeWriter:
    """Creates the tasks depth first (a parent before its children) and collects the
    assignments and targets for bulk creation."""

    def __init__(
        self, plan: Plan, resolver: UnitResolver, chosen: Mapping[str, Organization | None]
    ) -> None:
        self.plan = plan
        self.resolver = resolver
        self.chosen = chosen
        self.assignments: list[Assignment] = []
        self.targets: list[Target] = []
        self.unresolved: set[str] = set()
        self.indicators: dict[str, Indicator] = {}
        self.task_count = 0

    def write(self, tasks: Iterable[Mapping[str, Any]], *, parent: Task | None) -> None:
        """The tree level by level, one bulk insert per level (a parent's key is known before
        its children are inserted); `order` is the depth-first position."""
        tasks = list(tasks)
        order = {id(node): index for index, node in enumerate(_depth_first(tasks))}
        level: list[tuple[Mapping[str, Any], Task | None]] = [(node, parent) for node in tasks]
        while level:
            created = Task.objects.bulk_create(
                self._task(node, above, order[id(node)]) for node, above in level
            )
            self.task_count += len(created)
            for (node, _), task in zip(level, created, strict=True):
                for key, role in ROLE_KEYS.items():
                    for name in node.get(key) or []:
                        self._assign(task, role, name)
                for target in node.get("targets") or []:
                    self._target(task, target)
            level = [
                (child, task)
                for (node, _), task in zip(level, created, strict=True)
                for child in node.get("children") or []
            ]

    def _task(self, node: Mapping[str, Any], parent: Task | None, order: int) -> Task:
        return Task(
            plan=self.plan,
            parent=parent,
            label=_cut(node.get("label", ""), 20),
            path=_cut(node.get("path", ""), 255),
            title=_cut(node.get("title", ""), 300),
            text=node.get("text", ""),
            due_on=_date(node.get("due")),
            due_text=_cut(node.get("due_text") or "", 100),
            order=order,
            line=max(int(node.get("line") or 0), 0),
        )

    def _assign(self, task: Task, role: str, name: str) -> None:
        raw = _cut(name, 200)
        if name in self.chosen:
            organization = self.chosen[name]
            if organization is None:
                self.unresolved.add(name)
            self.assignments.append(
                Assignment(
                    task=task,
                    role=role,
                    organization=organization,
                    raw_name=raw,
                    confidence=1.0 if organization else None,
                )
            )
            return
        resolution = self.resolver.resolve(name)
        if resolution is None:
            self.unresolved.add(name)
            self.assignments.append(Assignment(task=task, role=role, raw_name=raw))
            return
        if resolution.via == "collective":
            self.assignments.extend(
                Assignment(task=task, role=role, organization=org, raw_name=raw, confidence=1.0)
                for org in resolution.organizations
            )
            if not resolution.organizations:
                self.assignments.append(Assignment(task=task, role=role, raw_name=raw))
            return
        linked = resolution.confidence >= AUTO_LINK
        if not linked:
            self.unresolved.add(name)
        self.assignments.append(
            Assignment(
                task=task,
                role=role,
                organization=resolution.organization if linked else None,
                raw_name=raw,
                confidence=resolution.confidence,
            )
        )

    def _target(self, task: Task, target: Mapping[str, Any]) -> None:
        comparator = target.get("comparator") or Comparator.EQUAL
        if comparator not in Comparator.values:
            comparator = Comparator.EQUAL
        name = _cut(target.get("indicator") or target.get("text") or "未命名指标", 200)
        indicator = self.indicators.get(name)
        if indicator is None:
            indicator, _ = Indicator.objects.get_or_create(
                name=name,
                defaults={
                    "unit": _cut(target.get("unit") or "", 20),
                    "higher_is_better": _higher_is_better(target, comparator),
                },
            )
            self.indicators[name] = indicator
        self.targets.append(
            Target(
                task=task,
                indicator=indicator,
                comparator=comparator,
                value=float(target.get("value") or 0),
                value_max=target.get("value_max"),
                unit=_cut(target.get("unit") or "", 20),
                year=target.get("year"),
                text=_cut(target.get("text") or "", 500),
            )
        )


def _depth_first(tasks: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for node in tasks:
        yield node
        yield from _depth_first(node.get("children") or [])


def _date(value: Any) -> datetime.date | None:
    """An ISO date from the parsed JSON (None when absent or unreadable)."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _higher_is_better(target: Mapping[str, Any], comparator: str) -> bool:
    if target.get("change") == "decrease":
        return False
    return comparator != Comparator.AT_MOST
