"""The rows of a 任务分工表 below its header, read into `Row`s (sheet_tree.py builds the tree).

A cell left empty below a vertically merged cell takes the merged value; a row whose number and
task both continue merged cells adds its units and targets to the task above. A 序号 and a
任务名称 merged down over several rows whose 具体措施 differ make a group: the merged cells give
a parent task, each row a sub-task (labelled by the number its measure starts with, else by its
position). A unit marked （牵头） in a unit column leads; the other units of that cell then take
part. With a 完成时限 or 目标 column, deadlines and targets come from that column only (so that an
exported table reads back exactly); without one they are looked for in the task text.

A row made only of a note or a sign-off (注：…, 填表人：…, 审核人：…) is no task: it is reported.
Targets may be written one per line in the form `target_line` gives (what the export writes).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

from weijian.core.text.normalize import display, normalize
from weijian.core.text.numerals import split_label
from weijian.plans.importers.deadlines import Deadline, find_deadline, parse_deadline
from weijian.plans.importers.markers import split_flagged, split_units
from weijian.plans.importers.parsed import ParsedTask, PlanWarning
from weijian.plans.importers.sheet_columns import (
    DUE,
    LEAD,
    NAME,
    NUMBER,
    PARTNER,
    TARGET,
    TASK,
    UNIT_COLUMNS,
    Columns,
    Table,
    cell_text,
)
from weijian.plans.importers.sheet_tree import GROUP_HEAD, GROUP_MEMBER, Row, is_number
from weijian.plans.importers.targets import Target, find_targets
from weijian.plans.importers.tree import protect_circled, restore_circled

SYMBOLS = {">=": "≥", "<=": "≤", "=": "=", "~": "≈"}
_CODES = {symbol: code for code, symbol in SYMBOLS.items()} | {"＝": "=", "~": "~"}
_NOTE = re.compile(r"^(?:注|附注|说明|备注|填表说明)\s*\d{0,2}\s*[:：]")
_SIGN_OFF = re.compile(
    r"^(?:填表人|填报人|制表人|审核人|审核|签发人|负责人|联系人|联系电话|填报单位|填报日期|填表日期|"
    r"报送日期)\s*[:：]"
)
_SENTENCE = re.compile(r"^(?P<title>[^。]{1,40}?)[。:：]\s*(?P<rest>.+)$", re.S)
_TARGET_LINE = re.compile(
    r"^(?P<indicator>.*)(?P<symbol>[≥≤=≈＝])\s*(?P<value>-?\d+(?:\.\d+)?)"
    r"(?:[～~](?P<high>-?\d+(?:\.\d+)?))?(?P<unit>.*?)(?:（(?P<year>\d{4})年）)?$"
)


# --- targets written one per line: 每千常住人口执业（助理）医师数≥3.5人（2030年） ---------


def format_number(value: float) -> str:
    """3.5 → "3.5", 100.0 → "100", 1e16 → "10000000000000000": exact, never in E notation."""
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def target_line(
    *,
    indicator: str,
    comparator: str,
    value: float,
    value_max: float | None,
    unit: str,
    year: int | None,
) -> str:
    """The written form of a target, which `read_target_line` reads back exactly."""
    amount = format_number(value)
    if value_max is not None:
        amount += f"～{format_number(value_max)}"
    when = f"（{year}年）" if year else ""
    return f"{indicator}{SYMBOLS.get(comparator, '=')}{amount}{unit}{when}"


def read_target_line(line: str) -> Target | None:
    """A target in the written form of `target_line`, or None for any other text."""
    match = _TARGET_LINE.match(line.strip())
    if match is None:
        return None
    return Target(
        indicator=match["indicator"].rstrip(),
        comparator=_CODES[match["symbol"]],
        value=float(match["value"]),
        unit=match["unit"].strip(),
        year=int(match["year"]) if match["year"] else None,
        raw=line.strip(),
        value_max=float(match["high"]) if match["high"] else None,
    )


# --- rows ---------------------------------------------------------------------------------------


def rows(table: Table, doc_year: int | None, warn: list[PlanWarning]) -> Iterator[Row | None]:
    """The table's rows below the header, read (None for a row that is no task)."""
    tops: dict[tuple[int, int], str] = {}  # texts of the merged ranges' top cells
    top_cells = set(table.merged.values())
    for line, values in table.body:
        cells = [cell_text(value) for value in values]
        for column, text in enumerate(cells, start=1):
            if (line, column) in top_cells:
                tops[(line, column)] = text
        if _footer(cells):
            shown = "  ".join(cell for cell in cells if cell)
            warn.append(PlanWarning(line, f"第{line}行“{shown}”是表格的注释或落款，未作为任务导入"))
            continue
        filled = list(cells)
        for index in table.columns.indexes.values():
            top = table.merged.get((line, index + 1))
            if top is not None and not _at(filled, index):
                filled.extend([""] * (index + 1 - len(filled)))
                filled[index] = tops.get(top, "")
        if filled[: len(table.header)] == table.header:
            continue  # the header repeated (a table printed over several pages)
        due = table.columns.get(DUE)
        day = values[due] if due is not None and due < len(values) else None
        row = _row(line, filled, table, doc_year, warn, day=_day(day))
        yield from _grouped(row, line, table, top_cells)


def _footer(cells: list[str]) -> bool:
    """A note or a sign-off row: 注：… merged across, 填表人：… 审核人：…"""
    filled = [cell for cell in cells if cell]
    return bool(filled) and (
        bool(_NOTE.match(filled[0])) or all(_SIGN_OFF.match(cell) for cell in filled)
    )


def _grouped(
    row: Row | None, line: int, table: Table, top_cells: set[tuple[int, int]]
) -> Iterator[Row | None]:
    """A row as it stands, or its part in a group: a 序号 / 任务名称 merged down over rows whose
    task cells differ gives a parent task (at the merge's top row) and one sub-task per row."""
    if row is None or row.continues:
        yield row
        return
    columns = [table.columns.get(kind) for kind in (NUMBER, NAME)]
    cells = [(line, index + 1) for index in columns if index is not None]
    task = table.columns.get(TASK)
    if task is not None and ((line, task + 1) in top_cells or (line, task + 1) in table.merged):
        yield row  # the task itself runs over the merged rows (see `_continues`)
    elif any(cell in table.merged for cell in cells):
        yield _member(row)
    elif any(cell in top_cells for cell in cells):
        head = ParsedTask(label="", path="", title=row.task.title, text="", line=line)
        yield Row(row.number, head, heading=True, group=GROUP_HEAD)
        yield _member(row)
    else:
        yield row


def _member(row: Row) -> Row:
    """A row of a group as a sub-task: its measure is its text, the number the measure starts
    with (1. / （1）) its label."""
    task = row.task
    number, content = _number_and_content("", task.text, "")
    task.title, task.text = _split(content)
    return Row(number, task, group=GROUP_MEMBER)


def _at(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _day(value: Any) -> datetime.date | None:
    """The date of a date-typed cell (a deadline written as a date, without words)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def _row(
    line: int,
    cells: list[str],
    table: Table,
    doc_year: int | None,
    warn: list[PlanWarning],
    *,
    day: datetime.date | None = None,
) -> Row | None:
    columns = table.columns
    name, content = columns.cell(cells, NAME), columns.cell(cells, TASK)
    written = bool(name or content)
    number, content = _number_and_content(columns.cell(cells, NUMBER), content, name)
    units = {role: _units(columns.cell(cells, role)) for role in UNIT_COLUMNS}
    due, targets = columns.cell(cells, DUE), columns.cell(cells, TARGET)
    if not (number or name or content):
        if any(units.values()) or due or targets:
            warn.append(PlanWarning(line, "缺少任务内容，该行已跳过"))
        return None
    title, text = (name, content) if NAME in columns and written else _split(content)
    task = ParsedTask(label="", path="", title=title, text=text, line=line)
    task.lead, task.partners, task.responsible = _roles(units)
    if day is not None:
        task.due = day
    else:
        _deadline(task, due, columns, doc_year, warn)
    _targets(task, targets, columns, doc_year, warn)
    return Row(
        number,
        task,
        continues=_continues(line, columns, table.merged, number),
        heading=not (task.text or any(units.values()) or due or targets),
    )


def _continues(
    line: int, columns: Columns, merged: dict[tuple[int, int], tuple[int, int]], number: str
) -> bool:
    task_column = columns.get(TASK)
    number_column = columns.get(NUMBER)
    if task_column is None or (line, task_column + 1) not in merged:
        return False
    return not number or (number_column is not None and (line, number_column + 1) in merged)


def _number_and_content(number: str, content: str, name: str) -> tuple[str, str]:
    """A number cell holding a heading (一、总体要求 merged across) gives the task text; a task
    text starting with a label gives the number when the number cell is empty."""
    if number and not (content or name) and not is_number(number):
        label = split_label(normalize(protect_circled(number)))
        if label is None:
            return "", number  # a heading without a number
        return _after_label(number, label.rest)
    if not number and content:
        first, _, others = content.partition("\n")
        label = split_label(normalize(protect_circled(first)))
        if label is not None and label.rest:
            head, rest = _after_label(first, label.rest)
            return head, "\n".join(part for part in (rest, others) if part)
    return number, content


def _after_label(text: str, rest: str) -> tuple[str, str]:
    """Split `text` (as written) into its label and the rest, `rest` being the normalised rest
    that split_label found."""
    for cut in range(min(len(text), 12) + 1):  # a label is a few characters long
        if normalize(protect_circled(text[cut:])) == rest:
            return text[:cut].strip(), text[cut:].strip()
    return "", text


def _units(cell: str) -> list[str]:
    """Unit names as written, split the way responsibility markers are (markers.split_units)."""
    names = (name.strip() for name in split_units(cell.replace("\n", "、")))
    return list(dict.fromkeys(name for name in names if name))


def _roles(units: dict[str, list[str]]) -> tuple[list[str], list[str], list[str]]:
    """Lead, partner and responsible units; a name flagged （牵头） in any unit column leads, the
    other names of its cell then take part: 责任单位 "A（牵头）、B" → lead A, partner B."""
    lead, partners, responsible = [], [], []
    for role, names in units.items():
        flagged, others = split_flagged(names)
        lead += flagged
        if role == LEAD:
            lead += others
        elif role == PARTNER or flagged:
            partners += others
        else:
            responsible += others
    return _unique(lead), _unique(partners), _unique(responsible)


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _deadline(
    task: ParsedTask, cell: str, columns: Columns, doc_year: int | None, warn: list[PlanWarning]
) -> None:
    deadline: Deadline | None
    if DUE in columns:
        deadline = parse_deadline(cell, doc_year=doc_year) if cell else None
    else:
        deadline = find_deadline(f"{task.title}。{task.text}", doc_year=doc_year)
    if deadline is None:
        return
    task.due = deadline.on
    task.due_text = cell if DUE in columns else deadline.text  # a table's words as written
    if deadline.problem:
        warn.append(PlanWarning(task.line, deadline.problem))


def _targets(
    task: ParsedTask, cell: str, columns: Columns, doc_year: int | None, warn: list[PlanWarning]
) -> None:
    if TARGET not in columns:
        found, problems = _find_targets(f"{task.title}。{task.text}", doc_year)
        task.targets = found
        warn.extend(PlanWarning(task.line, problem) for problem in problems)
        return
    for line in filter(None, (part.strip() for part in cell.split("\n"))):
        written = read_target_line(line)
        if written is not None:
            task.targets.append(written)
            continue
        found, problems = _find_targets(line, doc_year)
        task.targets.extend(found)
        warn.extend(PlanWarning(task.line, problem) for problem in problems)
        if not found:
            warn.append(PlanWarning(task.line, f"无法识别目标“{line}”，已忽略"))


def _find_targets(text: str, doc_year: int | None) -> tuple[list[Target], list[str]]:
    found, problems = find_targets(normalize(protect_circled(text)), doc_year=doc_year)
    shown = [replace(t, indicator=_display(t.indicator), raw=_display(t.raw)) for t in found]
    return shown, problems


def _display(text: str) -> str:
    return display(restore_circled(text))


def _split(text: str) -> tuple[str, str]:
    """A title and a text from one task cell: a short heading sentence becomes the title."""
    if "\n" not in text and len(text) <= 60 and not re.search(r"[，,；;]|。.", text):
        return text.rstrip("。："), ""
    match = _SENTENCE.match(text)
    if match and not re.search(r"[，,；;]", match["title"]):
        return match["title"], match["rest"].strip()
    return "", text
