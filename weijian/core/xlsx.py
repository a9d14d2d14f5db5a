"""Excel workbooks for download: sheets of a header and rows, as people want them printed.

Cells that a spreadsheet would run as formulas get a leading quote (`exports.safe_cell`);
characters that the xlsx format cannot hold are dropped."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from weijian.core.exports import safe_cell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_TITLE = 31  # Excel's limit on a sheet's name
MIN_WIDTH, MAX_WIDTH = 6, 60
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


def _cell(value: Any) -> Any:
    value = safe_cell(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _display_width(value: Any) -> int:
    """Columns a value needs: a Chinese character takes two."""
    text = "" if value is None else str(value)
    longest = max((line for line in text.splitlines() or [""]), key=len)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def sheet_title(title: str) -> str:
    return _TITLE_FORBIDDEN.sub("_", title)[:MAX_TITLE] or "Sheet"


def workbook(sheets: Sequence[Sheet]) -> Workbook:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in sheets:
        ws = book.create_sheet(sheet_title(sheet.title))
        ws.append([_cell(label) for label in sheet.header])
        widths = [_display_width(label) for label in sheet.header]
        for row in sheet.rows:
            values = [_cell(value) for value in row]
            ws.append(values)
            for index, value in enumerate(values):
                if index < len(widths):
                    widths[index] = max(widths[index], _display_width(value))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = min(
                max(width + 2, MIN_WIDTH), MAX_WIDTH
            )
        for row_cells in ws.iter_rows(min_row=2):
            for cell in row_cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
    return book


def content_disposition(filename: str) -> str:
    """An attachment header that keeps a Chinese name (RFC 5987), with an ASCII fallback."""
    stem, _, extension = filename.rpartition(".")
    ascii_part = re.sub(r"[^A-Za-z0-9._-]", "", stem).strip("-._")
    fallback = f"export-{ascii_part}" if ascii_part else "export"
    return (
        f'attachment; filename="{fallback}.{extension}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def xlsx_response(*, stem: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """The workbook as a download named `<stem>-<YYYYmmddHHMM>.xlsx`."""
    buffer = io.BytesIO()
    workbook(sheets).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    response["Content-Disposition"] = content_disposition(f"{stem}-{stamp}.xlsx")
    return response
