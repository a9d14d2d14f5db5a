"""The rows of a 任务分工表 → a task tree, by dotted paths (三.(二).1, what the export writes) when
the table has any, else by numbering levels (一、 / (一) / 1. …) in the order they first appear."""

from __future__ import annotations

import re
from dataclasses import dataclass

from weijian.core.text.normalize import normalize, split_outside_brackets
from weijian.core.text.numerals import CN_DIGITS, split_label
from weijian.plans.importers.parsed import ParsedTask, PlanWarning
from weijian.plans.importers.sheet_columns import UNIT_COLUMNS
from weijian.plans.importers.tree import make_label, protect_circled, restore_circled

_PUA_CIRCLED = "\ue000-\ue013"  # ① … ⑳ once protected (tree.protect_circled)
_SEGMENT = re.compile(
    rf"[{CN_DIGITS}]{{1,4}}|\d{{1,3}}|\([{CN_DIGITS}]{{1,4}}\)|\(\d{{1,3}}\)"
    rf"|[{_PUA_CIRCLED}]|第[{CN_DIGITS}\d]{{1,4}}|\[\d{{1,3}}\]"
)
_UNNUMBERED = re.compile(r"\[\d{1,3}\]")


GROUP_HEAD, GROUP_MEMBER = "head", "member"  # a 序号 / 任务名称 merged down over several rows


@dataclass
class Row:
    number: str  # the 序号 cell (or the label found at the start of the task text)
    task: ParsedTask
    continues: bool = False  # number and task continue merged cells: units go to the task above
    heading: bool = False  # a heading only: no text, units, deadline or target
    group: str = ""  # GROUP_HEAD: the parent of the rows below; GROUP_MEMBER: one of them


def number_cell(path: str, label: str) -> str:
    """The 序号 the export writes: the task's path, its label when it has no path. A numbered
    task kept under a position segment (the parser's [19] for a repeated (一)) carries its
    label after it: [19](一)."""
    if not path:
        return label
    last = path.rsplit(".", 1)[-1]
    if label and label != last and _UNNUMBERED.fullmatch(last):
        return f"{path}{label}"
    return path


def _segments(number: str) -> list[str]:
    """The parts of a dotted number (三.(二).1 → 三, (二), 1), normalised; ① … ⑳ protected."""
    text = normalize(protect_circled(number)).rstrip(".、")
    return split_outside_brackets(text, ".") if text else []


def is_number(number: str) -> bool:
    """A number or a dotted path of numbers (not a heading written in the 序号 column)."""
    segments = _segments(number)
    return bool(segments) and all(
        _SEGMENT.fullmatch(part) or _UNNUMBERED.match(part) for part in segments
    )


def _is_path(number: str) -> bool:
    """A dotted path (two segments or more), or a position segment such as [19]."""
    segments = _segments(number)
    if len(segments) == 1:
        return bool(_UNNUMBERED.match(segments[0]))
    return len(segments) > 1 and is_number(number)


def _path_and_label(number: str) -> tuple[list[str], str]:
    """The path segments of a 序号 in a table of paths and the task's label (see number_cell)."""
    segments = [restore_circled(part) for part in _segments(number)]
    position = _UNNUMBERED.match(segments[-1])
    if position is None:
        return segments, segments[-1]
    label = segments[-1][position.end() :]
    return [*segments[:-1], position.group(0)], label


def _number_label(number: str) -> tuple[str, int, str] | None:
    """(style, value, label) of a number cell: 一、 → ("cn", 1, "一"), 1 → ("num", 1, "1")."""
    text = normalize(protect_circled(number))
    if len(text) == 1 and "\ue000" <= text <= "\ue013":
        value = ord(text) - 0xE000 + 1
        return "circ", value, make_label("circ", text, value)
    if re.fullmatch(r"\d{1,3}", text):
        text += "."
    elif re.fullmatch(rf"[{CN_DIGITS}]{{1,4}}", text):
        text += "、"
    label = split_label(text)
    digits = re.search(rf"[{CN_DIGITS}]+|\d+", text)
    if label is None or label.rest or digits is None:
        return None
    return label.style, label.number, make_label(label.style, digits.group(0), label.number)


# --- the tree -----------------------------------------------------------------------------------


@dataclass
class _Level:
    style: str  # a label style, or "category" for a heading row without a number
    number: int
    task: ParsedTask
    heading: bool


class Tree:
    """Rows → tasks, by dotted paths when the table has any, else by numbering levels."""

    def __init__(self, warnings: list[PlanWarning]) -> None:
        self.warnings = warnings
        self.roots: list[ParsedTask] = []
        self.parents: dict[int, ParsedTask | None] = {}  # id(task) → parent
        self.previous: ParsedTask | None = None
        self.group: ParsedTask | None = None  # the parent of the group being read

    def build(self, rows: list[Row]) -> list[ParsedTask]:
        by_path = any(_is_path(row.number) for row in rows)
        stack: list[_Level] = []
        nodes: dict[str, ParsedTask] = {}
        for row in rows:
            if row.continues and self.previous is not None:
                _merge_into(self.previous, row.task)
                continue
            if row.group == GROUP_MEMBER and self.group is not None:
                self._member(row)
                continue
            if by_path and _segments(row.number):
                self._by_path(row, nodes, stack)
            else:
                self._by_label(row, stack)
            self.previous = row.task
            self.group = row.task if row.group == GROUP_HEAD else None
        return self.roots

    def _member(self, row: Row) -> None:
        """A row of a group, under the group's parent: labelled by its own number (1. / （1）),
        else by its position."""
        label = _number_label(row.number) if row.number else None
        self._add(row.task, self.group, label[2] if label else "")
        self.previous = row.task

    def _add(
        self, task: ParsedTask, parent: ParsedTask | None, label: str, segment: str = ""
    ) -> None:
        """Append `task` under `parent`; its path segment is the one written, else its label,
        else its position ([n])."""
        siblings = parent.children if parent is not None else self.roots
        siblings.append(task)
        self.parents[id(task)] = parent
        task.label = label
        segment = segment or label or f"[{len(siblings)}]"
        task.path = f"{parent.path}.{segment}" if parent is not None else segment

    def _by_path(self, row: Row, nodes: dict[str, ParsedTask], stack: list[_Level]) -> None:
        segments, label = _path_and_label(row.number)
        parent = nodes.get(".".join(segments[:-1])) if len(segments) > 1 else None
        if parent is None and len(segments) > 1:
            parent = self._shallower(stack, len(segments))
        self._add(row.task, parent, label, segments[-1])
        if parent is None:
            row.task.path = ".".join(segments)  # as written, when no row is above it
        if row.task.path in nodes:
            self._warn(row, f"编号“{row.task.path}”重复，请核对")
        nodes[".".join(segments)] = row.task
        nodes.setdefault(row.task.path, row.task)
        del stack[self._depth(row.task) :]
        stack.append(_Level("path", 0, row.task, row.heading))

    @staticmethod
    def _shallower(stack: list[_Level], count: int) -> ParsedTask | None:
        """The last open row whose path is shorter than `count` segments: 一 for 1.1 in a table
        that writes 一、 above 1.1, 1.2."""
        return next(
            (lv.task for lv in reversed(stack) if len(_segments(lv.task.path)) < count), None
        )

    def _depth(self, task: ParsedTask) -> int:
        depth, parent = 0, self.parents.get(id(task))
        while parent is not None:
            depth, parent = depth + 1, self.parents.get(id(parent))
        return depth

    def _by_label(self, row: Row, stack: list[_Level]) -> None:
        label = _number_label(row.number) if row.number else None
        if label is not None:
            style, number, text = label
            depth = next((i for i, lv in enumerate(stack) if lv.style == style), len(stack))
            if depth < len(stack) and number != stack[depth].number + 1:
                previous = stack[depth].task.label
                self._warn(row, f"编号“{previous}”之后出现“{text}”，编号不连续")
            del stack[depth:]
            self._add(row.task, stack[-1].task if stack else None, text)
            stack.append(_Level(style, number, row.task, row.heading))
        elif row.heading:
            if row.number:
                self._warn(row, f"无法识别编号“{row.number}”，已作为分类标题")
            del stack[:]
            self._add(row.task, None, "")
            stack.append(_Level("category", 0, row.task, True))
        else:
            if row.number:
                self._warn(row, f"无法识别编号“{row.number}”，已作为无编号任务")
            parent = self._unnumbered_parent(stack)
            self._add(row.task, parent, "")

    def _unnumbered_parent(self, stack: list[_Level]) -> ParsedTask | None:
        """A task without a number goes under the current heading, else beside the last task."""
        if not stack:
            return None
        if stack[-1].heading:
            return stack[-1].task
        return stack[-2].task if len(stack) > 1 else None

    def _warn(self, row: Row, message: str) -> None:
        self.warnings.append(PlanWarning(row.task.line, message))


def _merge_into(task: ParsedTask, extra: ParsedTask) -> None:
    for role in UNIT_COLUMNS:
        names: list[str] = getattr(task, role)
        names.extend(n for n in getattr(extra, role) if n not in names)
    task.targets.extend(extra.targets)


def check_tasks(tasks: list[ParsedTask], warn: list[PlanWarning]) -> None:
    """Warnings for leaves without text, and for leaves without a unit of their own or of an
    ancestor (top-level ones only in a flat table)."""
    flat = not any(task.children for task in tasks)

    def visit(task: ParsedTask, depth: int, inherited: bool) -> None:
        own = bool(task.lead or task.partners or task.responsible)
        for child in task.children:
            visit(child, depth + 1, inherited or own)
        if task.children:
            return
        if not (task.title or task.text):
            warn.append(PlanWarning(task.line, f"任务“{task.path}”缺少任务内容"))
        elif not (own or inherited) and (depth > 0 or flat):
            warn.append(PlanWarning(task.line, f"任务“{task.path}”未填写责任单位"))

    for task in tasks:
        visit(task, 0, False)
