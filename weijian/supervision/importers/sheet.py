"""What every registry import shares: the template, reading the upload into rows of text,
reading one row's cells with row-level errors in Chinese, and the plan a parse returns.

Reading is pure: it never writes. An error reads “第12行“统一社会信用代码”：…”, so that the user
finds the cell at once; every error of the file is listed, not only the first.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from weijian.core.exports import FORMULA_STARTS
from weijian.core.xlsx import Sheet, workbook

# A row as read: its line number in the sheet and its cells as text, by column name.
Cells = dict[str, str]
RawRow = tuple[int, Cells]

MAX_ROWS = 50_000
BATCH = 500
NOTES_SHEET = "说明"
ITEM_SEPARATORS = re.compile(r"[；;\n]+")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


class SheetError(ValueError):
    """The upload cannot be read as the template at all; the message is for the user."""


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    note: str = ""


# --- the template -----------------------------------------------------------------------------


def template_bytes(*, sheet: str, columns: Sequence[Column], notes: Sequence[str]) -> bytes:
    """An empty sheet with the exact headers (cells formatted as text, so that long codes keep
    their digits) and a 说明 sheet: one line per column, then the general notes."""
    column_notes = [
        [column.name, "必填" if column.required else "选填", column.note] for column in columns
    ]
    general = [["", "", ""], ["填写说明", "", ""], *([line, "", ""] for line in notes)]
    book = workbook(
        [
            Sheet(sheet, [column.name for column in columns], []),
            Sheet(NOTES_SHEET, ["列名", "是否必填", "填写要求"], [*column_notes, *general]),
        ]
    )
    data_sheet = book[sheet]
    for index in range(1, len(columns) + 1):
        data_sheet.column_dimensions[get_column_letter(index)].number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- reading the upload -----------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text: dates as YYYY-MM-DD, whole numbers without “.0”, the quote an export put
    before formula-like text dropped."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def read_rows(upload: IO[bytes], *, sheet: str, columns: Sequence[Column]) -> list[RawRow]:
    """Every non-empty row under the header, as text. A missing required column, an
    unreadable file or too many rows is a `SheetError`."""
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetError("无法读取该文件，请上传由本页下载的模板填写的Excel文件（.xlsx）") from exc
    try:
        ws = book[sheet] if sheet in book.sheetnames else book.worksheets[0]
        return _rows(ws.iter_rows(values_only=True), columns)
    finally:
        book.close()


def _rows(lines: Iterator[tuple[Any, ...]], columns: Sequence[Column]) -> list[RawRow]:
    header = [cell_text(value) for value in next(lines, ())]
    missing = [column.name for column in columns if column.required and column.name not in header]
    if missing:
        names = "、".join(f"“{name}”" for name in missing)
        raise SheetError(f"表头缺少{names}列，请使用本页下载的模板")
    known = {column.name for column in columns}
    wanted = [(index, name) for index, name in enumerate(header) if name in known]
    found: list[RawRow] = []
    for line, values in enumerate(lines, start=2):
        cells = {name: cell_text(values[i]) if i < len(values) else "" for i, name in wanted}
        if any(cells.values()):
            found.append((line, cells))
            if len(found) > MAX_ROWS:
                raise SheetError(f"文件超过{MAX_ROWS}行，请分批导入")
    if not found:
        raise SheetError("文件中没有数据行：请在表头下方逐行填写")
    return found


# --- reading one row --------------------------------------------------------------------------


@dataclass
class Problems:
    """Every error of the file, in Chinese, with the line and the column."""

    messages: list[str] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)

    def cell(self, line: int, column: str, message: str) -> None:
        self.messages.append(f"第{line}行“{column}”：{message}")
        self.lines.add(line)

    def row(self, line: int, message: str) -> None:
        self.messages.append(f"第{line}行：{message}")
        self.lines.add(line)


def _validation_text(error: ValidationError) -> str:
    return "；".join(error.messages)


def parse_date(text: str) -> datetime.date:
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                break
    raise ValueError(f"日期“{text}”无效，应写成YYYY-MM-DD，如2024-03-01")


def split_items(text: str) -> list[str]:
    """A cell holding several items, one per line or separated by “；”."""
    return [item.strip() for item in ITEM_SEPARATORS.split(text) if item.strip()]


class RowReader:
    """Reads one row's cells, recording each problem against its column. A method returns a
    usable default after an error, so that every cell of the row is still checked."""

    def __init__(self, line: int, cells: Mapping[str, str], problems: Problems) -> None:
        self.line = line
        self.cells = cells
        self.problems = problems
        self.failed = False

    def fail(self, column: str, message: str) -> None:
        self.failed = True
        self.problems.cell(self.line, column, message)

    def text(self, column: str, *, required: bool = False, max_length: int = 0) -> str:
        value = self.cells.get(column, "")
        if required and not value:
            self.fail(column, "不能为空")
        elif max_length and len(value) > max_length:
            self.fail(column, f"不能超过{max_length}个字，实际为{len(value)}个字")
        return value

    def code(
        self, column: str, validate: Callable[[object], str], *, required: bool = False
    ) -> str:
        """A code checked by one of the identifier validators; returned compact."""
        value = self.text(column, required=required)
        if not value:
            return ""
        try:
            return validate(value)
        except ValidationError as error:
            self.fail(column, _validation_text(error))
            return ""

    def choice(
        self, column: str, choices: Iterable[tuple[str, str]], *, default: str | None = None
    ) -> str:
        """A choice written as its Chinese label (or its stored value); required when there
        is no default."""
        value = self.cells.get(column, "")
        if not value:
            if default is None:
                self.fail(column, "不能为空")
            return default or ""
        options = [(stored, str(label)) for stored, label in choices]
        for stored, label in options:
            if value == label or (stored and value == stored):
                return stored
        labels = "、".join(label for _, label in options if label)
        self.fail(column, f"“{value}”无法识别，应为：{labels}")
        return default or ""

    def date(self, column: str, *, required: bool = False) -> datetime.date | None:
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError as error:
            self.fail(column, str(error))
            return None

    def integer(self, column: str, *, default: int = 0) -> int:
        value = self.cells.get(column, "")
        if not value:
            return default
        if not value.isdigit():
            self.fail(column, f"“{value}”应为不小于0的整数")
            return default
        return int(value)

    def yes_no(self, column: str, *, default: bool = False) -> bool:
        value = self.cells.get(column, "")
        if not value:
            return default
        if value in ("是", "营利性", "营利"):
            return True
        if value in ("否", "非营利性", "非营利"):
            return False
        self.fail(column, f"“{value}”无法识别，应为“是”或“否”")
        return default


# --- the result of a parse --------------------------------------------------------------------


@dataclass
class PreviewRow:
    line: int
    key: str
    name: str
    action: str  # 新增 / 更新


@dataclass
class ImportPlan:
    """What a confirmed import would write, and every error that forbids it."""

    total: int = 0
    problems: Problems = field(default_factory=Problems)
    preview: list[PreviewRow] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def errors(self) -> list[str]:
        return self.problems.messages

    @property
    def error_rows(self) -> int:
        return len(self.problems.lines)

    def add(self, line: int, key: str, name: str, *, new: bool) -> None:
        self.preview.append(PreviewRow(line, key, name, "新增" if new else "更新"))
        if new:
            self.created += 1
        else:
            self.updated += 1


def chunked(values: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def duplicate(seen: dict[str, int], key: str, line: int) -> int | None:
    """The earlier line holding `key` in the file, remembering this one otherwise."""
    if not key:
        return None
    earlier = seen.get(key)
    if earlier is None:
        seen[key] = line
    return earlier
