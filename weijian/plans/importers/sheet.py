"""parse_sheet(xlsx) → ParsedPlan: a 任务分工表 (task-division table) read into a task tree.

The first worksheet with a header row is read. The header row is one of the first 20 rows that
names a task column (任务, 任务内容, 工作任务, 重点任务 …) and at least one unit column (牵头单位,
配合单位, 责任单位 …); columns are found by their header words whatever their order (see
`column_kind`). The plan's title is the first text above the header (often merged across); a
row there written by our export (文号：… 年份：…) gives the document number and the year.

The tree follows the 序号 column:
- dotted paths such as 三.(二).1 (what `plans.exports` writes; 1.1, 1.2 as well): a row goes under
  the row whose path is its prefix, its label being the last segment ([2] marks a task without a
  number); a prefix that no row carries falls back to the last row one level up;
- otherwise labels 一、 / (一) / 1. / (1) / ① (or a bare 1 or 一) nest in the order their styles
  first appear, as in a document; a flat table 1, 2, 3 stays flat;
- a row with an empty 序号 whose task text starts with a label uses that label; a row with only a
  heading and no number (a category row, often merged across) becomes a top-level parent of the
  rows below it; other rows without a number are unnumbered siblings ([n]).

Rows (merged cells, groups, notes, deadlines, targets) are read by sheet_rows.py, columns by
sheet_columns.py, the tree by sheet_tree.py.

Bad rows become warnings with the Excel row number as `line`; a file that is not an .xlsx
workbook or has no header row raises `SheetError` (a ValueError) with a Chinese message.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.xml.functions import iterparse

from weijian.core.docnumbers import find_docnumbers
from weijian.core.text.normalize import normalize
from weijian.plans.importers.parsed import ParsedPlan, PlanWarning
from weijian.plans.importers.sheet_columns import (
    DUE,
    LEAD,
    NAME,
    NUMBER,
    PARTNER,
    RESPONSIBLE,
    TARGET,
    TASK,
    Table,
    cell_text,
    column_kind,
    find_header,
    subheader,
)
from weijian.plans.importers.sheet_rows import SYMBOLS, read_target_line, rows, target_line
from weijian.plans.importers.sheet_tree import Tree, check_tasks, number_cell

__all__ = [
    "DUE",
    "LEAD",
    "NAME",
    "NUMBER",
    "PARTNER",
    "RESPONSIBLE",
    "SYMBOLS",
    "TARGET",
    "TASK",
    "SheetError",
    "column_kind",
    "find_header",
    "number_cell",
    "parse_sheet",
    "read_target_line",
    "target_line",
]

HEADER_ROWS = 20  # the header row is looked for in the first rows only
MAX_EMPTY_RUN = 1000  # stop reading after this many empty rows in a row
MAX_UNPACKED = 100 * 1024 * 1024  # the workbook's parts once unzipped
_BROKEN = "无法读取该文件：不是有效的 .xlsx 工作簿，或文件已损坏"

_INFO_NUMBER = re.compile(r"(?:发文字号|文号)\s*[:：]")
_INFO_YEAR = re.compile(r"年份\s*[:：]\s*(\d{4})")
_TITLE_YEAR = re.compile(r"(\d{4})\s*年")
_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]?\s*$")
_MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"


class SheetError(ValueError):
    """The file cannot be read as a task table; the message is for the user."""


def parse_sheet(
    source: str | Path | bytes | IO[bytes], *, title: str | None = None, year: int | None = None
) -> ParsedPlan:
    """Read a 任务分工表 (.xlsx) into a task tree; see the module docstring."""
    table = _read_table(source)
    header = _Header.read(table.above)
    doc_year = year or header.year
    warnings: list[PlanWarning] = []
    found = [row for row in rows(table, doc_year, warnings) if row is not None]
    tasks = Tree(warnings).build(found)
    check_tasks(tasks, warnings)
    if not tasks:
        warnings.append(PlanWarning(table.header_row, "表头下方没有任务"))
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
    )


# --- reading the workbook -----------------------------------------------------------------------


def _read_table(source: str | Path | bytes | IO[bytes]) -> Table:
    book = _open(source)
    try:
        for ws in book.worksheets:
            table = _sheet_table(ws)
            if table is not None:
                return table
    except SheetError:
        raise
    except Exception as exc:  # noqa: BLE001 (openpyxl parses lazily: any error is a bad file)
        raise SheetError(_BROKEN) from exc
    finally:
        book.close()
    raise SheetError(
        "未找到任务分工表的表头：前20行中没有同时包含任务列（如“任务”“任务内容”“重点任务”）"
        "和单位列（如“牵头单位”“配合单位”“责任单位”）的行"
    )


def _open(source: str | Path | bytes | IO[bytes]) -> Any:
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    elif isinstance(source, str | Path) and Path(source).suffix.lower() != ".xlsx":
        raise SheetError("只能读取 .xlsx 格式的任务分工表，请在 Excel 中另存为 .xlsx 后再导入")
    try:
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise SheetError("文件内容过大，无法读取（解压后超过100MB）")
        if not isinstance(source, str | Path):
            source.seek(0)
        return load_workbook(source, read_only=True, data_only=True)
    except SheetError:
        raise
    except Exception as exc:  # noqa: BLE001 (openpyxl raises many kinds on a damaged file)
        raise SheetError(_BROKEN) from exc


def _sheet_table(ws: Any) -> Table | None:
    if not hasattr(ws, "iter_rows"):
        return None  # a chart sheet
    rows = _nonblank_rows(ws)
    above: list[str] = []
    for number, values in rows:
        cells = [cell_text(value) for value in values]
        columns = find_header(cells)
        if columns is not None:
            body = list(rows)
            below = [cell_text(v) for v in body[0][1]] if body else []
            if sub := subheader(columns, cells, below):
                columns, body = sub, body[1:]
            return Table(number, cells, columns, above, body, _merged(ws))
        if number >= HEADER_ROWS:
            return None
        above.append(" ".join(cell for cell in cells if cell))
    return None


def _nonblank_rows(ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(Excel row number, values) of the rows that hold any text."""
    empty = 0
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if any(cell_text(value) for value in values):
            empty = 0
            yield number, values
        else:
            empty += 1
            if empty > MAX_EMPTY_RUN:
                return


def _merged(ws: Any) -> dict[tuple[int, int], tuple[int, int]]:
    """Each cell below the top of a vertically merged range (in its first column), mapped to
    the top cell. A read-only sheet does not expose its merged ranges: they are read from the
    sheet's XML, with openpyxl's own parser."""
    cells: dict[tuple[int, int], tuple[int, int]] = {}
    if not hasattr(ws, "_get_source"):
        return cells
    with ws._get_source() as source:  # no public access to the merged ranges in read-only mode
        for _, element in iterparse(source):
            if element.tag == _MERGE_CELL:
                column, top, _, bottom = range_boundaries(element.get("ref", ""))
                cells.update({(row, column): (top, column) for row in range(top + 1, bottom + 1)})
            element.clear()
    return cells


# --- the title, document number and year above the header --------------------------------------


@dataclass
class _Header:
    title: str = ""
    number: str | None = None
    year: int | None = None

    @classmethod
    def read(cls, above: list[str]) -> _Header:
        header = cls()
        for line in above:
            year = _INFO_YEAR.search(line)
            if _INFO_NUMBER.search(line) or year:
                found = find_docnumbers(normalize(line))
                header.number = header.number or (str(found[0]) if found else None)
                header.year = header.year or (int(year[1]) if year else None)
            elif not header.title and not _ATTACHMENT.match(line):
                header.title = line.strip()
        if header.year is None:
            match = _TITLE_YEAR.search(normalize(header.title))
            header.year = int(match[1]) if match else None
        return header
