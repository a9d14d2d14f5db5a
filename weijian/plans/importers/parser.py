"""parse_plan(text) → ParsedPlan: a task-division document read into a task tree.

Steps: clean the lines (web-page residue such as &nbsp; runs and HTML tags, see `segments`);
find the header (the notice "关于印发X的通知", the plan title X, the 发文字号, the signing year);
feed the body to the TreeBuilder (numbering levels); then read each node's own text for markers
(markers.py) and targets (targets.py). The body starts after the line that repeats the plan's
title and stops at the attachments (附件…), a web-page footer or another notice, so that a text
that runs two documents together yields the plan only.

The body also stops at a signing date on a line of its own (2021年6月8日); the signing unit on the
line before it is not task text. Without a year in the header, that date gives the document's year
(used for 5年内 and 年内); without either, a year the title names (2023年重点工作任务).
The attachment titles listed at the end (附件：1.X / 2.Y, 附件2：Z) are kept in
`ParsedPlan.attachments`. A task table in the attachments replaces a body whose tasks name no
units.

Each task's deadline (`due`, `due_text`) comes from a marker (（2020年底前完成）, （X牵头，
2021年底前完成）, a 完成时限：… line of its own, a table row's deadline cell), which is cut from
the text, or else from a phrase inside the text (deadlines.find_deadline), which stays in it.

Two conventions of whole documents: "列第一位的为牵头单位" (the first unit of each 责任单位 list
leads, the others are partners), and a marker on a line of its own after a task's last sub-item
when neither the task nor its other sub-items carry one (it belongs to the task).

Nothing here raises on bad input: whatever cannot be read becomes a warning with its line number.
A task whose number was lost (text after a task's marker that has a marker of its own) is kept as
an unlabelled sibling: label "", path such as 七.(一).[2] (its position among its siblings).
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from weijian.core.docnumbers import DocNumber, find_docnumbers
from weijian.core.text.lines import is_boilerplate
from weijian.core.text.normalize import display, normalize
from weijian.plans.importers.deadlines import Deadline, find_deadline, parse_deadline
from weijian.plans.importers.markers import Marker, find_markers, is_key_line
from weijian.plans.importers.table_rows import TABLE_END, TableRows
from weijian.plans.importers.targets import Target, find_targets
from weijian.plans.importers.tree import Node, TreeBuilder, protect_circled, restore_circled

_NOTICE = re.compile(r"关于(?:印发|转发|下发|公布)(?P<title>.{2,80}?)的通知$")
_TITLE_WORDS = re.compile(
    r"(方案|规划|纲要|计划|意见|要点|清单|分工|办法|措施|任务|分工表|任务表)(?:\([^()]{2,20}\))?$"
)
_ATTACHMENT = re.compile(r"^附件\s*(?:\d+|[:：]|$)")
_FOOTER = re.compile(r"版权所有|版权声明|copyright|ICP备|网站地图|关闭窗口|打印此文|【字体", re.I)
_AMPERSANDS = re.compile(r"(?:&nbsp;|&#160;|&amp;|&)+")
_TAG = re.compile(
    r"</?[A-Za-z][A-Za-z0-9]*(?:[\sA-Za-z0-9\"'=:;._\-#%,/]|[\u4e00-\u9fff]+(?=[_A-Za-z0-9]))*>?"
)
_DATE = re.compile(r"(\d{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_CN_DIGITS = "〇○零一二三四五六七八九"
_CN_TO_ARABIC = str.maketrans(_CN_DIGITS, "000123456789")
_SIGNED = re.compile(
    rf"^(?:\d{{4}}|[{_CN_DIGITS}]{{4}})\s*年\s*(?:\d{{1,2}}|[一二三四五六七八九十]{{1,2}})\s*月"
    r"\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$"
)
_SIGNER = re.compile(r"(?:委员会|人民政府|政府|办公室|办公厅|委|局|厅|院|中心|办|部|会)$")
_ATTACHMENT_LINE = re.compile(r"^附件\s*(?P<number>\d+)?\s*:?\s*(?P<rest>.*)$")
_ITEM_SPLIT = re.compile(r"[\s;；]+(?=\d{1,2}\s*[.、](?!\d))")  # 附件：1.X 2.Y on one line
_LIST_ITEM = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[.、](?!\d)\s*(?P<title>.+)$")
_FIRST_LEADS = re.compile(
    r"(?:列|排|位)(?:在|于)?(?:第一|首)位?的?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)"
    r"|(?:第一|首)(?:个|位)?(?:单位|部门)(?:为|是)牵头(?:单位|部门)"
    r"|排名第一的?(?:单位|部门)?(?:为|是)牵头|牵头(?:单位|部门)(?:列|排)(?:在|于)?(?:第一|首)位"
)
_ENDS_CLEANLY = re.compile(r"[。.!?！？)）”」》;；]$")
_SENTENCE = re.compile(r"^(?P<title>[^。]{1,40}?)[。:]\s*(?P<rest>.*)$", re.S)


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

    table = TableRows(warn)
    segs = segments(text, warn, table=table)
    header = _Header.read(segs)
    body = _Reading(segs, header.body_start, table.lines)
    end = body.end
    doc_year = year or header.year or _signed_year(segs[end:]) or _title_year(header.title)
    tasks = body.tasks(doc_year)
    annex = _annex_table(segs, end, table)
    if annex is not None and not _any_units(tasks) and _any_units(annex.tasks(doc_year)):
        body = annex
        tasks = annex.tasks(doc_year)
        message = "正文的任务未标注责任单位，已改为读取附件中的任务分工表"
        body.warnings.insert(0, PlanWarning(annex.first_line, message))
    warnings.extend(body.warnings)
    if not tasks:
        warn(segs[0][0] if segs else 0, "未找到带编号的任务")
    if _FIRST_LEADS.search(text):
        for task in (t for root in tasks for t in root.walk()):
            _first_listed_leads(task)
    units: list[str] = []
    for task in (t for root in tasks for t in root.walk()):
        units.extend(n for n in (*task.lead, *task.partners, *task.responsible) if n not in units)
    warnings.sort(key=lambda w: w.line)
    plan_title = title or header.title
    return ParsedPlan(
        title=plan_title,
        document_number=header.number,
        year=doc_year,
        tasks=tasks,
        units=units,
        warnings=warnings,
        preamble=_display("".join(t for _, t in body.builder.preamble)),
        attachments=_attachments(segs[end:], plan_title),
    )


class _Reading:
    """The tree read from the segments from `start` on, with the warnings met on the way."""

    def __init__(self, segs: list[tuple[int, str]], start: int, table_lines: set[int]) -> None:
        self.warnings: list[PlanWarning] = []
        self.builder = TreeBuilder(self.warn)
        self.first_line = segs[start][0] if start < len(segs) else 0
        self.end = _feed_body(self.builder, segs, start)
        if self.end < len(segs) and _SIGNED.match(segs[self.end][1]):
            _drop_signer(self.builder)
        elif self.end == len(segs) and self.builder.started and segs[-1][0] not in table_lines:
            _check_last_line(segs[-1], self.warn)
        self._tasks: list[ParsedTask] | None = None

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(PlanWarning(line, message))

    def tasks(self, doc_year: int | None) -> list[ParsedTask]:
        if self._tasks is None:
            self._tasks = _Assembler(self.warn, doc_year).tasks(self.builder.roots, parent_path="")
        return self._tasks


def _any_units(tasks: list[ParsedTask]) -> bool:
    return any(t.lead or t.partners or t.responsible for root in tasks for t in root.walk())


def _annex_table(segs: list[tuple[int, str]], end: int, table: TableRows) -> _Reading | None:
    """A task table in the attachments (附件：重点任务分工表), read as a body of its own."""
    if end >= len(segs):
        return None
    header = next((line for line in table.headers if line > segs[end][0]), None)
    start = next((i for i, (line, _) in enumerate(segs) if header and line > header), None)
    return _Reading(segs, start, table.lines) if start is not None else None


def _feed_body(builder: TreeBuilder, segs: list[tuple[int, str]], start: int) -> int:
    """Feed the body to the tree; the index of the segment that ends it (len(segs) at the end)."""
    for index in range(start, len(segs)):
        line, seg = segs[index]
        if builder.started and (
            _ATTACHMENT.match(seg)
            or _FOOTER.search(seg)
            or _NOTICE.search(seg)
            or _SIGNED.match(seg)
        ):
            return index
        if seg == TABLE_END:
            builder.close()
            continue
        if not is_key_line(seg) and is_boilerplate(seg):
            continue
        builder.feed(line, seg)
    return len(segs)


def _drop_signer(builder: TreeBuilder) -> None:
    """The signing unit(s) on the line before the date are not part of the last task."""
    if not builder.stack or len(builder.stack[-1].chunks) < 2:
        return
    chunk = builder.stack[-1].chunks[-1][1]
    names = chunk.split()
    if len(chunk) <= 60 and not re.search(r"[。,;:]", chunk) and all(map(_SIGNER.search, names)):
        builder.stack[-1].chunks.pop()


def _check_last_line(last: tuple[int, str], warn: Any) -> None:
    """A document cut off in mid-sentence (a truncated download) is worth a warning."""
    line, seg = last
    if len(seg) > 20 and not _ENDS_CLEANLY.search(seg) and not is_key_line(seg):
        warn(line, f"第{line}行在句子中间结束，文件可能不完整，请核对原文")


def _signed_year(tail: list[tuple[int, str]]) -> int | None:
    """The year of the signing date after the body (2021年6月8日 / 二〇二一年六月八日)."""
    for _, seg in tail[:12]:
        digits = seg[:4].translate(_CN_TO_ARABIC)
        if _SIGNED.match(seg) and digits.isdigit():
            return int(digits)
    return None


def _title_year(title: str) -> int | None:
    """The year a title names (2023年重点工作任务; 2022—2024年: its first year)."""
    found = re.search(r"(?<!\d)(\d{4})\s*(?:年|[-—~至到]\s*\d{4}\s*年)", title)
    return int(found[1]) if found and 1949 <= int(found[1]) <= 2100 else None


def _attachments(tail: list[tuple[int, str]], plan_title: str) -> list[str]:
    """Titles listed after 附件： (1.X / 2.Y, or 附件1：X / 附件2：Y), or else the line after
    each 附件N that opens an attachment's own pages. The plan itself (a notice's 附件) is left
    out."""
    titles: list[str] = []
    listing = pages = False
    for index, (_, seg) in enumerate(tail):
        found = _ATTACHMENT_LINE.match(seg)
        if found and found["rest"]:
            for part in _ITEM_SPLIT.split(found["rest"]):
                item = _LIST_ITEM.match(part)
                titles.append(item["title"] if item else part)
            listing = True
        elif found and found["number"] is None:
            listing = True  # 附件： alone, the list follows
        elif found:
            if titles and not pages:
                break  # the attachments' own pages begin after the list
            pages = True
            if index + 1 < len(tail):
                titles.append(tail[index + 1][1])
        elif listing and not pages and (item := _LIST_ITEM.match(seg)):
            titles.append(item["title"])
        elif listing and not pages:
            break
    key = _title_key(plan_title)
    result: list[str] = []
    for title in (_display(t.strip(" 。;")) for t in titles):
        if title and _title_key(title) != key and title not in result:
            result.append(title)
    return result


def _first_listed_leads(task: ParsedTask) -> None:
    """列第一位的为牵头单位: the first of a 责任单位 list leads, the others take part."""
    if task.responsible and not task.lead:
        task.lead = task.responsible[:1]
        task.partners += [n for n in task.responsible[1:] if n not in task.partners]
        task.responsible = []


def segments(
    text: str, warn: Any = None, *, table: TableRows | None = None
) -> list[tuple[int, str]]:
    """Numbered, normalised pieces of text; HTML tags removed, &nbsp; runs split a line, the rows
    of a task table turned into task and unit lines (table_rows.py)."""
    result: list[tuple[int, str]] = []
    table = table or TableRows(warn)
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", protect_circled(text)), start=1):
        cleaned = _TAG.sub("", raw)
        if cleaned != raw and warn is not None:
            residue = _TAG.search(raw)
            shown = residue.group(0)[:20] if residue else ""
            warn(number, f"删除了网页代码残留“{shown}…”，该处文字可能不完整")
        rows, taken = table.read(number, cleaned)
        result.extend(rows)
        if taken:
            continue
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
        signed = _signed_year([(0, seg) for seg in reversed(head)])  # 二〇二一年六月八日
        header.year = (number.year if number else None) or (dates[-1] if dates else signed)
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
            if not (new_line and len(groups) == 1 and first_end <= len(node.chunks[0][1])):
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
            shown = _display(orphan_content)[:12]
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
                names.extend(n for n in map(_display, getattr(marker, role)) if n not in names)
            if marker.problems:
                found = "，".join(marker.problems)
                self.warn(line_at(marker.start), f"责任标注“{_display(marker.raw)}”不完整：{found}")
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
                    _display(marker.deadline), doc_year=self.doc_year
                ), marker.start
        return find_deadline(_display(content), doc_year=self.doc_year), None


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
        return _display(content.rstrip("。:")), ""
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
