"""The parser's results: ParsedPlan, its tasks and warnings, and their JSON form (what the import
command prints and the upload page previews)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from weijian.plans.importers.targets import Target


@dataclass
class ParsedTask:
    label: str
    path: str
    title: str
    text: str
    line: int
    style: str = ""
    due: datetime.date | None = None
    due_text: str = ""
    lead: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)  # forms, see markers.py
    children: list[ParsedTask] = field(default_factory=list)

    def walk(self) -> Iterator[ParsedTask]:
        yield self
        for child in self.children:
            yield from child.walk()

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "path": self.path,
            "title": self.title,
            "text": self.text,
            "lead": self.lead,
            "partners": self.partners,
            "responsible": self.responsible,
            "targets": [_target_json(t) for t in self.targets],
            "due": self.due.isoformat() if self.due else None,
            "due_text": self.due_text,
            "children": [child.to_json() for child in self.children],
            "line": self.line,
            "markers": self.markers,
        }


@dataclass(frozen=True)
class PlanWarning:
    line: int
    message: str


@dataclass
class ParsedPlan:
    title: str
    document_number: str | None
    year: int | None
    tasks: list[ParsedTask]
    units: list[str]
    warnings: list[PlanWarning]
    preamble: str = ""
    attachments: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # 注：… lines of the body, not tasks

    def walk(self) -> Iterator[ParsedTask]:
        """Every task, depth first, in document order."""
        for task in self.tasks:
            yield from task.walk()

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": {
                "title": self.title,
                "document_number": self.document_number,
                "year": self.year,
                "preamble": self.preamble,
                "attachments": self.attachments,
                "notes": self.notes,
            },
            "tasks": [task.to_json() for task in self.tasks],
            "units": [{"name": name, "resolved_to": None} for name in self.units],
            "warnings": [{"line": w.line, "message": w.message} for w in self.warnings],
        }


def _target_json(target: Target) -> dict[str, Any]:
    return {
        "indicator": target.indicator,
        "comparator": target.comparator,
        "value": target.value,
        "unit": target.unit,
        "year": target.year,
        "value_max": target.value_max,
        "change": target.change,
        "text": target.raw,
    }
