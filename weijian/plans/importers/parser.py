"""parse_plan(text) → ParsedPlan: a task-division document read into a task tree.

Steps: clean the lines (web-page residue such as &nbsp; runs and HTML tags, see `segments`);
find the header (the notice "关于印发X的通知", the plan title X, the 发文字号, the signing year);
feed the body to the TreeBuilder (numbering levels); then read each node's own text for markers
(markers.py) and targets (targets.py). The body starts after the line that repeats the plan's
title and stops at the attachments (附件…), a web-page footer or another notice, so that a text
that runs two documents together yields the plan only.

Nothing here raises on bad input: whatever cannot be read becomes a warning with its line number.
A task whose number was lost (text after a task's marker that has a marker of its own) is kept as
an unlabelled sibling: label "", path such as 七.(一).[2] (its position among its siblings).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from weijian.core.docnumbers import DocNumber, find_docnumbers
from weijian.core.text.lines import is_boilerplate
from weijian.core.text.normalize import display, normalize
from weijian.plans.importers.markers import Marker, find_markers
from weijian.plans.importers.targets import Target, find_targets
from weijian.plans.importers.tree import Node, TreeBuilder, protect_circled, restore_circled

_NOTICE = re.compile(r"关于(?:印发|转发|下发|公布)(?P<title>.{2,80}?)的通知$")
_TITLE_WORDS = re.compile(r"(方案|规划|纲要|计划|意见|要点|清单|分工|办法|措施|任务)$")
_ATTACHMENT = re.compile(r"^附件\s*(?:\d+|[:：]|$)")
_FOOTER = re.compile(r"版权所有|版权声明|copyright|ICP备|网站地图|关闭窗口|打印此文|【字体", re.I)
_KEY_LINE = re.compile(r"^(?:牵头|责任|配合|协作|主要协作|参与|协办)(?:责任)?(?:单位|部门)\s*:")
_AMPERSANDS = re.compile(r"(?:&nbsp;|&#160;|&amp;|&)+")
_TAG = re.compile(
    r"</?[A-Za-z][A-Za-z0-9]*(?:[\sA-Za-z0-9\"'=:;._\-#%,/]|[\u4e00-\u9fff]+(?=[_A-Za-z0-9]))*>?"
)
_DATE = re.compile(r"(\d{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_SENTENCE = re.compile(r"^(?P<title>[^。]{1,40}?)[。:]\s*(?P<rest>.*)$", re.S)


@dataclass
class ParsedTask:
    label: str
    path: str
    title: str
    text: str
    line: int
    style: str = ""
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
            },
            "tasks": [task.to_json() for task in self.tasks],
            "units": [{"name": name, "resolved_to": None} for name in self.units],
            "warnings": [{"line": w.line, "message": w.message} for w in self.warnings],
        }


def parse_plan(text: str, *, title: str | None = None, year: int | None = None) -> ParsedPlan:
    """Read a plan document (its text, one paragraph per line) into a task tree."""
    warnings: list[PlanWarning] = []

    def warn(line: int, message: str) -> None:
        warnings.append(PlanWarning(line, message))

    segs = segments(text, warn)
    header = _Header.read(segs)
    doc_year = year or header.year
    builder = TreeBuilder(warn)
    for line, seg in segs[header.body_start :]:
        if builder.started and (
            _ATTACHMENT.match(seg) or _FOOTER.search(seg) or _NOTICE.search(seg)
        ):
            break
        if not _KEY_LINE.match(seg) and is_boilerplate(seg):
            continue
        builder.feed(line, seg)
    assembler = _Assembler(warn, doc_year)
    tasks = assembler.tasks(builder.roots, parent_path="")
    if not tasks:
        warn(segs[0][0] if segs else 0, "未找到带编号的任务")
    units: list[str] = []
    for task in (t for root in tasks for t in root.walk()):
        units.extend(n for n in (*task.lead, *task.partners, *task.responsible) if n not in units)
    warnings.sort(key=lambda w: w.line)
    return ParsedPlan(
        title=title or header.title,
        document_number=header.number,
        year=doc_year,
        tasks=tasks,
        units=units,
        warnings=warnings,
        preamble=_display("".join(t for _, t in builder.preamble)),
    )


def segments(text: str, warn: Any = None) -> list[tuple[int, str]]:
    """Numbered, normalised pieces of text; HTML tags removed, &nbsp; runs split a line."""
    result = []
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", protect_circled(text)), start=1):
        cleaned = _TAG.sub("", raw)
        if cleaned != raw and warn is not None:
            residue = _TAG.search(raw)
            shown = residue.group(0)[:20] if residue else ""
            warn(number, f"删除了网页代码残留“{shown}…”，该处文字可能不完整")
        for piece in _split_ampersands(cleaned):
            piece = normalize(piece)
            if piece and re.search(r"\w", piece):
                result.append((number, piece))
    return result


def _split_ampersands(line: str) -> list[str]:
    """&nbsp; residue separates paragraphs; a & between letters (R&D) stays."""
    pieces, start = [], 0
    for match in _AMPERSANDS.finditer(line):
        before, after = line[match.start() - 1 : match.start()], line[match.end() : match.end() + 1]
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            continue
        pieces.append(line[start : match.start()])
        start = match.end()
    pieces.append(line[start:])
    return pieces


@dataclass
class _Header:
    title: str = ""
    number: str | None = None
    year: int | None = None
    body_start: int = 0

    @classmethod
    def read(cls, segs: list[tuple[int, str]]) -> _Header:
        header = cls()
        notice = max((i for i, (_, s) in enumerate(segs) if _NOTICE.search(s)), default=None)
        if notice is not None:
            match = _NOTICE.search(segs[notice][1])
            header.title = match["title"].strip("《》") if match else ""
            header.body_start = notice + 1
            key = _title_key(header.title)
            for index in range(notice + 1, len(segs)):
                if _title_key(segs[index][1]) == key:
                    header.body_start = index + 1
                    break
        else:
            for index, (_, seg) in enumerate(segs[:15]):
                if len(seg) <= 60 and "。" not in seg and _TITLE_WORDS.search(seg):
                    header.title, header.body_start = seg, index + 1
                    break
        header.title = _display(header.title)
        head = [seg for _, seg in segs[: max(header.body_start, 1)]]
        number = _document_number(head)
        header.number = str(number) if number else None
        dates = [int(m[1]) for seg in head for m in _DATE.finditer(seg)]
        header.year = (number.year if number else None) or (dates[-1] if dates else None)
        return header


def _title_key(text: str) -> str:
    text = re.sub(r"^附件\s*\d*\s*[:：]?", "", text)
    return re.sub(r"[\s《》“”\"'「」]", "", text)


def _document_number(head: list[str]) -> DocNumber | None:
    for seg in head:
        labelled = re.search(r"文件编号|发文字号|文号", seg)
        if labelled or re.fullmatch(r"\S{2,12}〔\d{4}〕\d+号", seg):
            found = find_docnumbers(seg)
            if found:
                return found[0]
    for seg in head:
        found = find_docnumbers(seg)
        if found and not re.search(r"《|根据|按照|依据", seg):
            return found[0]
    return None


class _Assembler:
    """Nodes → ParsedTasks: markers, title and text, targets, warnings."""

    def __init__(self, warn: Any, doc_year: int | None) -> None:
        self.warn = warn
        self.doc_year = doc_year

    def tasks(self, nodes: list[Node], *, parent_path: str) -> list[ParsedTask]:
        result: list[ParsedTask] = []
        for node in nodes:
            result.extend(self.task(node, siblings=result, parent_path=parent_path))
        return result

    def task(self, node: Node, *, siblings: list[ParsedTask], parent_path: str) -> list[ParsedTask]:
        text = "\n".join(chunk for _, chunk in node.chunks)
        starts = list(_chunk_starts(node.chunks))

        def line_at(offset: int) -> int:
            index = bisect.bisect_right(starts, offset) - 1
            return node.chunks[index][0] if index >= 0 else node.line

        groups, trailing = _groups(text, find_markers(text))
        if trailing:
            message = f"任务“{node.path}”的责任单位之后还有文字，已并入该任务"
            self.warn(line_at(len(text) - len(trailing)), message)
        first_start, first_end, first_markers = groups[0]
        content = _strip_markers(text, first_start, first_end, first_markers) + trailing
        task = self.build(node.label, node.path, content, first_markers, node.line, line_at)
        task.style = node.style
        task.children = self.tasks(node.children, parent_path=node.path)
        if not task.children and not content.strip():
            self.warn(node.line, f"任务“{node.path}”缺少任务内容")
        elif not task.children and not first_markers and node.depth > 0 and not _has_units(node):
            self.warn(node.line, f"任务“{node.path}”未标注责任单位")
        result = [task]
        for start, end, markers in groups[1:]:
            position = len(siblings) + len(result) + 1
            path = f"{parent_path}.[{position}]" if parent_path else f"[{position}]"
            orphan_content = _strip_markers(text, start, end, markers)
            orphan = self.build("", path, orphan_content, markers, line_at(start), line_at)
            shown = _display(orphan_content)[:12]
            self.warn(orphan.line, f"“{shown}…”前缺少编号，已作为任务“{path}”单独列出，请核对")
            result.append(orphan)
        return result

    def build(
        self, label: str, path: str, content: str, markers: list[Marker], line: int, line_at: Any
    ) -> ParsedTask:
        title, body = _title_and_text(content)
        task = ParsedTask(label=label, path=path, title=title, text=body, line=line)
        for marker in markers:
            task.markers.append(marker.form)
            for role in ("lead", "partners", "responsible"):
                names: list[str] = getattr(task, role)
                names.extend(n for n in map(_display, getattr(marker, role)) if n not in names)
            if marker.problems:
                found = "，".join(marker.problems)
                self.warn(line_at(marker.start), f"责任标注“{_display(marker.raw)}”不完整：{found}")
        targets, problems = find_targets(content, doc_year=self.doc_year)
        task.targets = [_display_target(t) for t in targets]
        for problem in problems:
            self.warn(line, f"任务“{path or label}”：{problem}")
        return task


def _has_units(node: Node) -> bool:
    """Whether an ancestor carries a marker (sub-items share their parent's units)."""
    parent = node.parent
    while parent is not None:
        if find_markers("\n".join(chunk for _, chunk in parent.chunks)):
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


def _title_and_text(content: str) -> tuple[str, str]:
    """A heading sentence (短句，无逗号) becomes the title; the rest is the text."""
    content = content.strip()
    if not content:
        return "", ""
    first, _, rest = content.partition("\n")
    if rest and len(first) <= 60 and not re.search(r"[,;。]", first.rstrip("。")):
        return _display(first.rstrip("。:")), _display(rest.replace("\n", ""))
    content = content.replace("\n", "")
    if "。" not in content.rstrip("。") and len(content) <= 60 and "," not in content:
        return _display(content.rstrip("。:")), ""
    match = _SENTENCE.match(content)
    if match and not re.search(r"[,;]", match["title"]):
        return _display(match["title"]), _display(match["rest"])
    return "", _display(content)


def _display(text: str) -> str:
    return display(restore_circled(text))


def _display_target(target: Target) -> Target:
    return replace(target, indicator=_display(target.indicator), raw=_display(target.raw))


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
