"""Tree nodes → ParsedTasks: each node's text is split at its responsibility markers (markers.py)
into the task and any unnumbered siblings that follow a marker; then title and text, deadline,
units, targets and warnings.

Two conventions are handled here: a marker on a line of its own after a task's last sub-item
belongs to the task when neither it nor its other sub-items carry one (`_lift_group_marker`);
and a marker closing a heading line does not make the paragraphs under it "text after the
marker".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from weijian.core.text.normalize import display
from weijian.plans.importers.deadlines import Deadline, find_deadline, parse_deadline
from weijian.plans.importers.markers import Marker, find_markers
from weijian.plans.importers.parsed import ParsedTask
from weijian.plans.importers.targets import Target, find_targets
from weijian.plans.importers.tree import Node, restore_circled

_SENTENCE = re.compile(r"^(?P<title>[^。]{1,40}?)[。:]\s*(?P<rest>.*)$", re.S)


class Assembler:
    """Nodes → ParsedTasks: markers, title and text, targets, warnings."""

    def __init__(self, warn: Any, doc_year: int | None) -> None:
        self.warn = warn
        self.doc_year = doc_year

    def tasks(self, nodes: list[Node], *, parent_path: str) -> list[ParsedTask]:
        result: list[ParsedTask] = []
        for node in nodes:
            _lift_group_marker(node)
            result.extend(self.task(node, siblings=result, parent_path=parent_path))
        return result

    def task(self, node: Node, *, siblings: list[ParsedTask], parent_path: str) -> list[ParsedTask]:
        text = "\n".join(chunk for _, chunk in node.chunks)
        starts = list(_chunk_starts(node.chunks))

        def line_at(offset: int) -> int:
            index = bisect.bisect_right(starts, offset) - 1
            return node.chunks[index][0] if index >= 0 else node.line

        groups, trailing = _groups(text, find_markers(text))
        first_start, first_end, first_markers = groups[0]
        content = _strip_markers(text, first_start, first_end, first_markers)
        if trailing:
            tail = len(text) - len(trailing)
            new_line = "\n" in text[groups[-1][1] : tail]
            # (X牵头) closing the heading line, the task's paragraphs below it: no warning
            closes_heading = _heading(text[: first_markers[0].start]) if first_markers else False
            if not (
                new_line
                and len(groups) == 1
                and first_end <= len(node.chunks[0][1])
                and closes_heading
            ):
                message = f"任务“{node.path}”的责任单位之后还有文字，已并入该任务"
                self.warn(line_at(tail), message)
            content += ("\n" if new_line else "") + trailing
        task = self.build(
            node.label,
            node.path,
            content,
            first_markers,
            node.line,
            line_at,
            heading=bool(node.children),
        )
        task.style = node.style
        task.children = self.tasks(node.children, parent_path=node.path)
        if not task.children and not content.strip():
            self.warn(node.line, f"任务“{node.path}”缺少任务内容")
        elif (
            not task.children
            and not _with_units(first_markers)
            and node.depth > 0
            and not _has_units(node)
        ):
            self.warn(node.line, f"任务“{node.path}”未标注责任单位")
        result = [task]
        for start, end, markers in groups[1:]:
            position = len(siblings) + len(result) + 1
            path = f"{parent_path}.[{position}]" if parent_path else f"[{position}]"
            orphan_content = _strip_markers(text, start, end, markers)
            orphan = self.build("", path, orphan_content, markers, line_at(start), line_at)
            shown = display_text(orphan_content)[:12]
            self.warn(orphan.line, f"“{shown}…”前缺少编号，已作为任务“{path}”单独列出，请核对")
            result.append(orphan)
        return result

    def build(
        self,
        label: str,
        path: str,
        content: str,
        markers: list[Marker],
        line: int,
        line_at: Any,
        *,
        heading: bool = False,
    ) -> ParsedTask:
        title, body = _title_and_text(content, heading=heading)
        task = ParsedTask(label=label, path=path, title=title, text=body, line=line)
        deadline, where = self.deadline(content, markers)
        if deadline is not None:
            task.due, task.due_text = deadline.on, deadline.text
            if deadline.problem:
                shown = line_at(where) if where is not None else line
                self.warn(shown, f"任务“{path or label}”：{deadline.problem}")
        for marker in markers:
            task.markers.append(marker.form)
            for role in ("lead", "partners", "responsible"):
                names: list[str] = getattr(task, role)
                names.extend(n for n in map(display_text, getattr(marker, role)) if n not in names)
            if marker.problems:
                found = "，".join(marker.problems)
                self.warn(
                    line_at(marker.start), f"责任标注“{display_text(marker.raw)}”不完整：{found}"
                )
        targets, problems = find_targets(content, doc_year=self.doc_year)
        task.targets = [_display_target(t) for t in targets]
        for problem in problems:
            self.warn(line, f"任务“{path or label}”：{problem}")
        return task

    def deadline(self, content: str, markers: list[Marker]) -> tuple[Deadline | None, int | None]:
        """A deadline marker's words (and the marker's offset), else a deadline phrase inside
        the text, which stays in it."""
        for marker in markers:
            if marker.deadline:
                return parse_deadline(
                    display_text(marker.deadline), doc_year=self.doc_year
                ), marker.start
        return find_deadline(display_text(content), doc_year=self.doc_year), None


def _heading(text: str) -> bool:
    """Whether the text before a marker is a heading (a short phrase, no sentence in it)."""
    text = text.strip().rstrip("。")
    return len(text) <= 40 and not re.search(r"[。,;，；]", text)


def _with_units(markers: list[Marker]) -> bool:
    return any(marker.units for marker in markers)


def _lift_group_marker(node: Node) -> None:
    """Markers on lines of their own after the last sub-item belong to the item itself when
    neither it nor its other sub-items carry one ((3) …: ① … ② … ③ … then (X牵头) alone)."""
    if len(node.children) < 2 or _chunks_have_units(node.chunks):
        return
    last = node.children[-1]
    if last.children or any(_subtree_has_units(c) for c in node.children[:-1]):
        return
    trailing = 0
    for _, chunk in reversed(last.chunks):
        markers = find_markers(chunk)
        covered = sum(m.end - m.start for m in markers)
        if not markers or chunk.strip(" 。;,") and covered < len(chunk.strip(" 。;,")):
            break
        trailing += 1
    if 0 < trailing < len(last.chunks) and _chunks_have_units(last.chunks[-trailing:]):
        node.chunks.extend(last.chunks[-trailing:])
        del last.chunks[-trailing:]


def _subtree_has_units(node: Node) -> bool:
    return _chunks_have_units(node.chunks) or any(map(_subtree_has_units, node.children))


def _chunks_have_units(chunks: list[tuple[int, str]]) -> bool:
    return _with_units(find_markers("\n".join(chunk for _, chunk in chunks)))


def _has_units(node: Node) -> bool:
    """Whether an ancestor carries a marker (sub-items share their parent's units)."""
    parent = node.parent
    while parent is not None:
        if _chunks_have_units(parent.chunks):
            return True
        parent = parent.parent
    return False


def _chunk_starts(chunks: list[tuple[int, str]]) -> Iterator[int]:
    offset = 0
    for _, chunk in chunks:
        yield offset
        offset += len(chunk) + 1


def _groups(text: str, markers: list[Marker]) -> tuple[list[tuple[int, int, list[Marker]]], str]:
    """Split a node's text into marker-terminated groups; return them and any trailing text."""
    if not markers:
        return [(0, len(text), [])], ""
    groups: list[tuple[int, int, list[Marker]]] = []
    current: list[Marker] = []
    start = position = 0
    for marker in markers:
        if current and text[position : marker.start].strip(" ,，;；。\n"):
            groups.append((start, position, current))
            start, current = position, []
        current.append(marker)
        position = marker.end
    groups.append((start, position, current))
    trailing = text[position:].strip(" ,，;；。\n")
    return groups, trailing


def _strip_markers(text: str, start: int, end: int, markers: list[Marker]) -> str:
    pieces, position = [], start
    for marker in markers:
        pieces.append(text[position : marker.start])
        position = marker.end
    pieces.append(text[position:end])
    return "".join(pieces).strip(" ,，;；\n")


def _title_and_text(content: str, *, heading: bool = False) -> tuple[str, str]:
    """A heading sentence (短句，无逗号) becomes the title; the rest is the text. An item with
    sub-items whose text is one short sentence is a heading even with a comma in it."""
    content = content.strip()
    if not content:
        return "", ""
    if heading and "\n" not in content and len(content) <= 60 and "。" not in content.rstrip("。"):
        return display_text(content.rstrip("。:")), ""
    first, _, rest = content.partition("\n")
    if rest and len(first) <= 60 and not re.search(r"[,;。]", first.rstrip("。")):
        return display_text(first.rstrip("。:")), display_text(rest.replace("\n", ""))
    content = content.replace("\n", "")
    if "。" not in content.rstrip("。") and len(content) <= 60 and "," not in content:
        return display_text(content.rstrip("。:")), ""
    match = _SENTENCE.match(content)
    if match and not re.search(r"[,;]", match["title"]):
        return display_text(match["title"]), display_text(match["rest"])
    return "", display_text(content)


def display_text(text: str) -> str:
    return display(restore_circled(text))


def _display_target(target: Target) -> Target:
    return replace(target, indicator=display_text(target.indicator), raw=display_text(target.raw))
