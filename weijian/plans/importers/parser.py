"""parse_plan(text) → ParsedPlan: a task-division document read into a task tree.

Steps, each in a module of its own:
- `segments` (here): numbered, normalised lines; web-page residue (&nbsp; runs, HTML tags) removed,
  the rows of a task table turned into task and key lines (table_rows.py), keys written
  【牵头单位】X【配合单位】Y split into key lines, then PDF page furniture dropped and lines broken
  in mid-sentence joined (wraps.py);
- the header (header.py): the notice "关于印发X的通知", the plan title X, the 发文字号, the year;
- the body (body.py), fed to the TreeBuilder (tree.py, numbering levels). It starts after the
  line(s) repeating the plan's title and stops at the attachments, a web-page footer, another
  notice, a signing date or the imprint (抄送 / …印发), so that a text that runs two documents
  together yields the plan only; notes (注：…) are set aside;
- each node's own text read for markers (markers.py), deadlines (deadlines.py) and targets
  (targets.py) by the Assembler (assemble.py).

Without a year in the header, the signing date after the body gives the document's year (used
for 5年内 and 年内); without either, a year the title names (2023年重点工作任务). The attachment
titles listed at the end (附件：1.X / 2.Y, 附件2：Z) are kept in `ParsedPlan.attachments`. A task
table in the attachments replaces a body whose tasks name no units.

Each task's deadline (`due`, `due_text`) comes from a marker (（2020年底前完成）, （X牵头，
2021年底前完成）, a 完成时限：… line of its own, a table row's deadline cell), which is cut from
the text, or else from a phrase inside the text (deadlines.find_deadline), which stays in it.

"列第一位的为牵头单位" anywhere in the document: the first unit of each 责任单位 list leads, the
others are partners.

Nothing here raises on bad input: whatever cannot be read becomes a warning with its line number.
A task whose number was lost (text after a task's marker that has a marker of its own) is kept as
an unlabelled sibling: label "", path such as 七.(一).[2] (its position among its siblings).
"""

from __future__ import annotations

import re
from typing import Any

from weijian.core.text.normalize import normalize
from weijian.plans.importers.assemble import display_text
from weijian.plans.importers.body import Reading
from weijian.plans.importers.header import Header, attachments, signed_year, title_year
from weijian.plans.importers.markers import UNIT_KEYS
from weijian.plans.importers.parsed import ParsedPlan, ParsedTask, PlanWarning
from weijian.plans.importers.table_rows import TableRows
from weijian.plans.importers.tree import protect_circled
from weijian.plans.importers.wraps import unwrap, width_of

__all__ = ["ParsedPlan", "ParsedTask", "PlanWarning", "parse_plan", "segments"]

_AMPERSANDS = re.compile(r"(?:&nbsp;|&#160;|&amp;|&)+")
_TAG = re.compile(
    r"</?[A-Za-z][A-Za-z0-9]*(?:[\sA-Za-z0-9\"'=:;._\-#%,/]|[\u4e00-\u9fff]+(?=[_A-Za-z0-9]))*>?"
)
# 【牵头单位】X【配合单位】Y: each key starts a piece of its own (read as a key line)
_BRACKETED_KEY = re.compile(r"\s*【\s*(" + "|".join(UNIT_KEYS) + r")\s*】\s*")
_FIRST_LEADS = re.compile(
    r"(?:列|排|位)(?:在|于)?(?:第一|首)位?的?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)"
    r"|(?:第一|首)(?:个|位)?(?:单位|部门)(?:为|是)牵头(?:单位|部门)"
    r"|排名第一的?(?:单位|部门)?(?:为|是)牵头|牵头(?:单位|部门)(?:列|排)(?:在|于)?(?:第一|首)位"
)


def parse_plan(text: str, *, title: str | None = None, year: int | None = None) -> ParsedPlan:
    """Read a plan document (its text, one paragraph per line) into a task tree."""
    warnings: list[PlanWarning] = []

    def warn(line: int, message: str) -> None:
        warnings.append(PlanWarning(line, message))

    table = TableRows(warn)
    segs = segments(text, warn, table=table)
    header = Header.read(segs)
    body = Reading(segs, header.body_start, table.lines)
    end = body.end
    doc_year = year or header.year or signed_year(segs[end:]) or title_year(header.title)
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
    if _FIRST_LEADS.search("".join(seg for _, seg in segs)):
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
        preamble=display_text("".join(t for _, t in body.builder.preamble)),
        attachments=attachments(segs[end:], plan_title),
        notes=[note for _, note in body.notes],
    )


def _any_units(tasks: list[ParsedTask]) -> bool:
    return any(t.lead or t.partners or t.responsible for root in tasks for t in root.walk())


def _annex_table(segs: list[tuple[int, str]], end: int, table: TableRows) -> Reading | None:
    """A task table in the attachments (附件：重点任务分工表), read as a body of its own."""
    if end >= len(segs):
        return None
    header = next((line for line in table.headers if line > segs[end][0]), None)
    start = next((i for i, (line, _) in enumerate(segs) if header and line > header), None)
    return Reading(segs, start, table.lines) if start is not None else None


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
    widths: dict[int, float] = {}
    table = table or TableRows(warn)
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", protect_circled(text)), start=1):
        cleaned = _TAG.sub("", raw)
        widths[number] = width_of(cleaned)
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
    result.extend(table.finish())
    joined = unwrap(result, keep=table.lines, widths=widths)
    return [(number, piece) for number, text in joined for piece in _split_keys(text) if piece]


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


def _split_keys(line: str) -> list[str]:
    """A line split before each 【牵头单位】-style key (once broken lines are joined)."""
    parts = _BRACKETED_KEY.split(line)
    pieces = [parts[0]]
    pieces += [f"{key}:{words}" for key, words in zip(parts[1::2], parts[2::2], strict=True)]
    return pieces
