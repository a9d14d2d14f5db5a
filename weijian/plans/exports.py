"""A plan exported as the standard 任务分工表 (task-division table) in Excel.

Columns: 序号, 任务名称, 任务内容, 牵头单位, 配合单位, 责任单位, 完成时限, 目标 — the standard
table plus 任务名称 and 责任单位, so that nothing of the plan is lost. One row per task in tree
order (depth first); 序号 is the task's path (三.(二).1; see `importers.sheet.number_cell`);
units are joined with 、 as written; 完成时限 is the deadline's words (a date cell when there
are none); 目标 holds one target per line in the form `importers.sheet.target_line` writes and
`parse_sheet` reads back.
Above the header: the plan's title and, when known, its document number and year, so that
importing the file again rebuilds the same tree with the same deadlines.

Queries: a constant number whatever the size of the plan (selectors.plan_tree).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from weijian.core.exports import safe_cell
from weijian.plans import selectors
from weijian.plans.importers.sheet import number_cell, target_line
from weijian.plans.models import AssignmentRole, Plan, Task
from weijian.plans.selectors import TaskNode

HEADER = ["序号", "任务名称", "任务内容", "牵头单位", "配合单位", "责任单位", "完成时限", "目标"]
WIDTHS = [14, 24, 60, 22, 30, 22, 18, 40]
SHEET_TITLE = "任务分工表"
DUE_COLUMN = HEADER.index("完成时限") + 1
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
ROLES = [AssignmentRole.LEAD, AssignmentRole.PARTNER, AssignmentRole.RESPONSIBLE]

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def plan_workbook(plan: Plan) -> bytes:
    """The plan's 任务分工表 as the bytes of an .xlsx file."""
    book = Workbook()
    ws = book.active
    assert isinstance(ws, Worksheet)  # noqa: S101 (a new workbook has one sheet)
    ws.title = SHEET_TITLE
    header_row = _write_heading(ws, plan)
    tree = selectors.plan_tree(plan=plan)
    for depth, node in _walk(tree.roots, 0):
        ws.append([_cell(value) for value in task_row(node)])
        if isinstance(ws.cell(ws.max_row, DUE_COLUMN).value, datetime.date):
            ws.cell(ws.max_row, DUE_COLUMN).number_format = DATE_FORMAT
        _style_row(ws, ws.max_row, parent=bool(node.children), depth=depth)
    _layout(ws, header_row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def task_row(node: TaskNode) -> list[Any]:
    """The cells of one task's row."""
    task = node.task
    assignments = list(task.assignments.all())  # prefetched, in order
    units = [_names(a.raw_name for a in assignments if a.role == role) for role in ROLES]
    targets = [
        target_line(
            indicator=t.indicator.name,
            comparator=t.comparator,
            value=t.value,
            value_max=t.value_max,
            unit=t.unit,
            year=t.year,
        )
        for t in node.targets
    ]
    number = number_cell(task.path, task.label)
    return [number, task.title, task.text, *units, due(task), "\n".join(targets)]


def due(task: Task) -> str | datetime.date:
    """The deadline's words; a date cell when there are none (read back as a date alone)."""
    return task.due_text or task.due_on or ""


def info_line(plan: Plan) -> str:
    """文号：萍府办发〔2019〕36号　年份：2019年 (the parts that are known)."""
    parts = []
    if plan.document is not None and plan.document.number:
        parts.append(f"文号：{plan.document.number}")
    if plan.start_year:
        parts.append(f"年份：{plan.start_year}年")
    return "　".join(parts)


def _names(names: Iterator[str]) -> str:
    """Names joined with 、, each once (a collective unit is stored once per member)."""
    return "、".join(dict.fromkeys(names))


def _walk(nodes: list[TaskNode], depth: int) -> Iterator[tuple[int, TaskNode]]:
    for node in nodes:
        yield depth, node
        yield from _walk(node.children, depth + 1)


def _cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula is quoted; characters xlsx cannot hold go."""
    value = safe_cell(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _write_heading(ws: Worksheet, plan: Plan) -> int:
    """The title row, the document row when there is one, and the header; the header's row."""
    last = get_column_letter(len(HEADER))
    ws.append([_cell(plan.title)])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = _CENTER
    ws.row_dimensions[1].height = 32
    info = info_line(plan)
    if info:
        ws.append([info])
        ws.merge_cells(f"A2:{last}2")
        ws["A2"].alignment = Alignment(horizontal="right")
    ws.append(HEADER)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = _CENTER
        cell.border = _BORDER
        cell.fill = _HEADER_FILL
    return header_row


def _style_row(ws: Worksheet, row: int, *, parent: bool, depth: int) -> None:
    for cell in ws[row]:
        cell.alignment = _WRAP
        cell.border = _BORDER
    ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top", indent=min(depth, 4))
    if parent:
        ws.cell(row, 2).font = Font(bold=True)


def _layout(ws: Worksheet, header_row: int) -> None:
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
