"""read_plan(path) → ParsedPlan: a plan file read by its kind (.txt, .docx, .xlsx).

The import command and the upload page both call it, so that every way in accepts the same
files and refuses the others with the same Chinese message.
"""

from __future__ import annotations

from pathlib import Path

from weijian.core.text.document import read_document
from weijian.plans.importers.parser import ParsedPlan, parse_plan
from weijian.plans.importers.sheet import parse_sheet

SUFFIXES = (".txt", ".docx", ".xlsx")
_OLD_FORMATS = {
    ".xls": "不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入",
    ".doc": "不支持旧版 Word（.doc）文件，请另存为 .docx 或 .txt 后再导入",
    ".wps": "不支持 WPS 文字（.wps）文件，请另存为 .docx 或 .txt 后再导入",
    ".et": "不支持 WPS 表格（.et）文件，请另存为 .xlsx 后再导入",
}


class UnsupportedFile(ValueError):
    """A file of a kind the import does not read; the message is for the user."""


def read_plan(path: str | Path, *, title: str | None = None, year: int | None = None) -> ParsedPlan:
    """A task-division document (.txt, .docx) or table (.xlsx) read into a ParsedPlan.

    Raises a ValueError (UnsupportedFile, DocumentError, SheetError) with a Chinese message
    when the file cannot be read; OSError when it cannot be opened."""
    path = Path(path)
    suffix = path.suffix.lower()
    problem = unsupported(suffix)
    if problem is not None:
        raise UnsupportedFile(problem)
    if suffix == ".xlsx":
        return parse_sheet(path, title=title, year=year)
    return parse_plan(read_document(path), title=title, year=year)


def unsupported(suffix: str) -> str | None:
    """Why a file with this suffix cannot be imported, or None when it can."""
    suffix = suffix.lower()
    if suffix in SUFFIXES:
        return None
    shown = suffix or "无扩展名"
    return _OLD_FORMATS.get(suffix) or (
        f"不支持“{shown}”文件，请使用 .txt、.docx（公文）或 .xlsx（任务分工表）"
    )
