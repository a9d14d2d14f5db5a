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

A cell left empty below a vertically merged cell takes the merged value; a row whose number and
task both continue merged cells adds its units and targets to the task above. With a 完成时限 or
目标 column, deadlines and targets come from that column only (so that an exported table reads
back exactly); without one they are looked for in the task text.

Bad rows become warnings with the Excel row number as `line`; a file that is not an .xlsx
workbook or has no header row raises `SheetError` (a ValueError) with a Chinese message.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.xml.functions import iterparse

from weijian.core.docnumbers import find_docnumbers
from weijian.core.text.normalize import display, normalize, split_outside_brackets
from weijian.core.text.numerals import CN_DIGITS, split_label
from weijian.plans.importers.deadlines import Deadline, find_deadline, parse_deadline
from weijian.plans.importers.markers import split_units
from weijian.plans.importers.parser import ParsedPlan, ParsedTask, PlanWarning
from weijian.plans.importers.targets import Target, find_targets
from weijian.plans.importers.tree import make_label, protect_circled, restore_circled

HEADER_ROWS = 20  # the header row is looked for in the first rows only
MAX_EMPTY_RUN = 1000  # stop reading after this many empty rows in a row
MAX_UNPACKED = 100 * 1024 * 1024  # the workbook's parts once unzipped
_BROKEN = "无法读取该文件：不是有效的 .xlsx 工作簿，或文件已损坏"

NUMBER, NAME, TASK, LEAD, PARTNER, RESPONSIBLE, DUE, TARGET = (
    "number", "name", "task", "lead", "partners", "responsible", "due", "target"
)  # fmt: skip
UNIT_COLUMNS = (LEAD, PARTNER, RESPONSIBLE)  # also the ParsedTask attributes
SYMBOLS = {">=": "≥", "<=": "≤", "=": "=", "~": "≈"}
_CODES = {symbol: code for code, symbol in SYMBOLS.items()} | {"＝": "=", "~": "~"}

_NAMES = {"任务名称", "名称", "标题", "任务标题", "事项名称", "项目名称", "任务事项"}
_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r])")
_INFO_NUMBER = re.compile(r"(?:发文字号|文号)\s*[:：]")
_INFO_YEAR = re.compile(r"年份\s*[:：]\s*(\d{4})")
_TITLE_YEAR = re.compile(r"(\d{4})\s*年")
_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]?\s*$")
_PUA_CIRCLED = "\ue000-\ue013"  # ① … ⑳ once protected (tree.protect_circled)
_SEGMENT = re.compile(
    rf"[{CN_DIGITS}]{{1,4}}|\d{{1,3}}|\([{CN_DIGITS}]{{1,4}}\)|\(\d{{1,3}}\)"
    rf"|[{_PUA_CIRCLED}]|第[{CN_DIGITS}\d]{{1,4}}|\[\d{{1,3}}\]"
)
_UNNUMBERED = re.compile(r"\[\d{1,3}\]")
_SENTENCE = re.compile(r"^(?P<title>[^。]{1,40}?)[。:：]\s*(?P<rest>.+)$", re.S)
_TARGET_LINE = re.compile(
    r"^(?P<indicator>.*)(?P<symbol>[≥≤=≈＝])\s*(?P<value>-?\d+(?:\.\d+)?)"
    r"(?:[～~](?P<high>-?\d+(?:\.\d+)?))?(?P<unit>.*?)(?:（(?P<year>\d{4})年）)?$"
)
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
    rows = [row for row in _rows(table, doc_year, warnings) if row is not None]
    tasks = _Tree(warnings).build(rows)
    _check_tasks(tasks, warnings)
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


# --- columns ----------------------------------------------------------------------------------


def column_kind(header: str) -> str | None:
    """What a header cell names (NUMBER, TASK, LEAD …), or None (备注 and unknown columns)."""
    text = re.sub(r"[\s*＊]", "", normalize(header))
    text = re.sub(r"\([^()]*\)", "", text) or text
    if not text or re.search(r"备注|领导|负责人|联系人|责任人|经办人", text):
        return None  # remarks, and people rather than units
    if text in ("序号", "编号", "序", "编码") or text.startswith("序号"):
        return NUMBER
    if "牵头" in text:
        return LEAD
    if re.search(r"配合|协作|参与|协办|协同|协助", text):
        return PARTNER
    if re.search(r"责任(?:单位|部门|主体)|承办单位|实施单位|落实单位", text):
        return RESPONSIBLE
    if re.search(r"时限|期限|完成时间|时间要求|时间节点|时间安排|截止", text):
        return DUE
    if text in _NAMES:
        return NAME
    if re.search(r"量化指标|目标值|指标值", text) or text.endswith(("目标", "指标")):
        return TARGET
    if re.search(r"任务|工作内容|措施|举措|重点工作|事项|内容", text):
        return TASK
    return None


@dataclass(frozen=True)
class Columns:
    """The index of each kind of column (the first column of that kind)."""

    indexes: dict[str, int]

    def __contains__(self, kind: str) -> bool:
        return kind in self.indexes

    def get(self, kind: str) -> int | None:
        return self.indexes.get(kind)

    def cell(self, cells: Sequence[str], kind: str) -> str:
        index = self.indexes.get(kind)
        return cells[index] if index is not None and index < len(cells) else ""


def find_header(cells: Sequence[str]) -> Columns | None:
    """The columns when `cells` is a header row (a task column and a unit column), else None."""
    indexes: dict[str, int] = {}
    for index, cell in enumerate(cells):
        kind = column_kind(cell) if cell else None
        if kind is not None and kind not in indexes:
            indexes[kind] = index
    if NAME in indexes and TASK not in indexes:
        indexes[TASK] = indexes.pop(NAME)  # 任务名称 alone is the task column
    if TASK in indexes and any(kind in indexes for kind in UNIT_COLUMNS):
        return Columns(indexes)
    return None


# --- reading the workbook -----------------------------------------------------------------------


@dataclass
class _Table:
    header_row: int  # Excel row number of the header
    header: list[str]  # its cells
    columns: Columns
    above: list[str]  # the texts of the rows above the header
    body: list[tuple[int, tuple[Any, ...]]]  # (Excel row number, values) below the header
    merged: dict[tuple[int, int], tuple[int, int]]  # continuation cell → the merged range's top


def _read_table(source: str | Path | bytes | IO[bytes]) -> _Table:
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


def _sheet_table(ws: Any) -> _Table | None:
    if not hasattr(ws, "iter_rows"):
        return None  # a chart sheet
    rows = _nonblank_rows(ws)
    above: list[str] = []
    for number, values in rows:
        cells = [_text(value) for value in values]
        columns = find_header(cells)
        if columns is not None:
            body = list(rows)
            below = [_text(v) for v in body[0][1]] if body else []
            if sub := _subheader(columns, cells, below):
                columns, body = sub, body[1:]
            return _Table(number, cells, columns, above, body, _merged(ws))
        if number >= HEADER_ROWS:
            return None
        above.append(" ".join(cell for cell in cells if cell))
    return None


def _subheader(columns: Columns, header: list[str], cells: list[str]) -> Columns | None:
    """The columns once a second header row is read (责任单位 merged over 牵头单位 | 配合单位), or
    None when the row below the header is not one: two or more unit headers, under header cells
    that are empty or name units."""
    kinds = {index: column_kind(cell) for index, cell in enumerate(cells) if cell}
    if len(kinds) < 2 or not all(kind in UNIT_COLUMNS for kind in kinds.values()):
        return None
    above = (column_kind(header[i]) if i < len(header) and header[i] else None for i in kinds)
    if not all(kind is None or kind in UNIT_COLUMNS for kind in above):
        return None
    indexes = {kind: index for kind, index in columns.indexes.items() if index not in kinds}
    for index, kind in kinds.items():
        if kind is not None:
            indexes.setdefault(kind, index)
    return Columns(indexes)


def _nonblank_rows(ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(Excel row number, values) of the rows that hold any text."""
    empty = 0
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if any(_text(value) for value in values):
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


def _text(value: Any) -> str:
    """A cell's text: whole numbers without .0, dates in Chinese, the formula guard undone."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        return f"{day.year}年{day.month}月{day.day}日"
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return _FORMULA_GUARD.sub("", text)


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


# --- rows ---------------------------------------------------------------------------------------


@dataclass
class _Row:
    number: str  # the 序号 cell (or the label found at the start of the task text)
    task: ParsedTask
    continues: bool = False  # number and task continue merged cells: units go to the task above
    heading: bool = False  # a heading only: no text, units, deadline or target


def _rows(table: _Table, doc_year: int | None, warn: list[PlanWarning]) -> Iterator[_Row | None]:
    tops: dict[tuple[int, int], str] = {}  # texts of the merged ranges' top cells
    top_cells = set(table.merged.values())
    for line, values in table.body:
        cells = [_text(value) for value in values]
        for column, text in enumerate(cells, start=1):
            if (line, column) in top_cells:
                tops[(line, column)] = text
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
        yield _row(line, filled, table, doc_year, warn, day=_day(day))


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
    table: _Table,
    doc_year: int | None,
    warn: list[PlanWarning],
    *,
    day: datetime.date | None = None,
) -> _Row | None:
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
    task.lead, task.partners, task.responsible = units[LEAD], units[PARTNER], units[RESPONSIBLE]
    if day is not None:
        task.due = day
    else:
        _deadline(task, due, columns, doc_year, warn)
    _targets(task, targets, columns, doc_year, warn)
    return _Row(
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
    if number and not (content or name) and not _is_number(number):
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


# --- numbers ------------------------------------------------------------------------------------


def number_cell(path: str, label: str) -> str:
    """The 序号 the export writes: the task's path, its label when it has no path. A numbered
    task kept under a position segment (the parser's [19] for a repeated (一)) carries its
    label after it: [19](一)."""
    if not path:
        return label
    last = path.rsplit(".", 1)[-1]
    if label and label != last and _UNNUMBERED.fullmatch(last):
        return f"{path}{label}"
    return path


def _segments(number: str) -> list[str]:
    """The parts of a dotted number (三.(二).1 → 三, (二), 1), normalised; ① … ⑳ protected."""
    text = normalize(protect_circled(number)).rstrip(".、")
    return split_outside_brackets(text, ".") if text else []


def _is_number(number: str) -> bool:
    """A number or a dotted path of numbers (not a heading written in the 序号 column)."""
    segments = _segments(number)
    return bool(segments) and all(
        _SEGMENT.fullmatch(part) or _UNNUMBERED.match(part) for part in segments
    )


def _is_path(number: str) -> bool:
    """A dotted path (two segments or more), or a position segment such as [19]."""
    segments = _segments(number)
    if len(segments) == 1:
        return bool(_UNNUMBERED.match(segments[0]))
    return len(segments) > 1 and _is_number(number)


def _path_and_label(number: str) -> tuple[list[str], str]:
    """The path segments of a 序号 in a table of paths and the task's label (see number_cell)."""
    segments = [restore_circled(part) for part in _segments(number)]
    position = _UNNUMBERED.match(segments[-1])
    if position is None:
        return segments, segments[-1]
    label = segments[-1][position.end() :]
    return [*segments[:-1], position.group(0)], label


def _number_label(number: str) -> tuple[str, int, str] | None:
    """(style, value, label) of a number cell: 一、 → ("cn", 1, "一"), 1 → ("num", 1, "1")."""
    text = normalize(protect_circled(number))
    if len(text) == 1 and "\ue000" <= text <= "\ue013":
        value = ord(text) - 0xE000 + 1
        return "circ", value, make_label("circ", text, value)
    if re.fullmatch(r"\d{1,3}", text):
        text += "."
    elif re.fullmatch(rf"[{CN_DIGITS}]{{1,4}}", text):
        text += "、"
    label = split_label(text)
    digits = re.search(rf"[{CN_DIGITS}]+|\d+", text)
    if label is None or label.rest or digits is None:
        return None
    return label.style, label.number, make_label(label.style, digits.group(0), label.number)


# --- the tree -----------------------------------------------------------------------------------


@dataclass
class _Level:
    style: str  # a label style, or "category" for a heading row without a number
    number: int
    task: ParsedTask
    heading: bool


class _Tree:
    """Rows → tasks, by dotted paths when the table has any, else by numbering levels."""

    def __init__(self, warnings: list[PlanWarning]) -> None:
        self.warnings = warnings
        self.roots: list[ParsedTask] = []
        self.parents: dict[int, ParsedTask | None] = {}  # id(task) → parent
        self.previous: ParsedTask | None = None

    def build(self, rows: list[_Row]) -> list[ParsedTask]:
        by_path = any(_is_path(row.number) for row in rows)
        stack: list[_Level] = []
        nodes: dict[str, ParsedTask] = {}
        for row in rows:
            if row.continues and self.previous is not None:
                _merge_into(self.previous, row.task)
                continue
            if by_path and _segments(row.number):
                self._by_path(row, nodes, stack)
            else:
                self._by_label(row, stack)
            self.previous = row.task
        return self.roots

    def _add(
        self, task: ParsedTask, parent: ParsedTask | None, label: str, segment: str = ""
    ) -> None:
        """Append `task` under `parent`; its path segment is the one written, else its label,
        else its position ([n])."""
        siblings = parent.children if parent is not None else self.roots
        siblings.append(task)
        self.parents[id(task)] = parent
        task.label = label
        segment = segment or label or f"[{len(siblings)}]"
        task.path = f"{parent.path}.{segment}" if parent is not None else segment

    def _by_path(self, row: _Row, nodes: dict[str, ParsedTask], stack: list[_Level]) -> None:
        segments, label = _path_and_label(row.number)
        parent = nodes.get(".".join(segments[:-1])) if len(segments) > 1 else None
        if parent is None and len(segments) > 1:
            parent = self._shallower(stack, len(segments))
        self._add(row.task, parent, label, segments[-1])
        if parent is None:
            row.task.path = ".".join(segments)  # as written, when no row is above it
        if row.task.path in nodes:
            self._warn(row, f"编号“{row.task.path}”重复，请核对")
        nodes[".".join(segments)] = row.task
        nodes.setdefault(row.task.path, row.task)
        del stack[self._depth(row.task) :]
        stack.append(_Level("path", 0, row.task, row.heading))

    @staticmethod
    def _shallower(stack: list[_Level], count: int) -> ParsedTask | None:
        """The last open row whose path is shorter than `count` segments: 一 for 1.1 in a table
        that writes 一、 above 1.1, 1.2."""
        return next(
            (lv.task for lv in reversed(stack) if len(_segments(lv.task.path)) < count), None
        )

    def _depth(self, task: ParsedTask) -> int:
        depth, parent = 0, self.parents.get(id(task))
        while parent is not None:
            depth, parent = depth + 1, self.parents.get(id(parent))
        return depth

    def _by_label(self, row: _Row, stack: list[_Level]) -> None:
        label = _number_label(row.number) if row.number else None
        if label is not None:
            style, number, text = label
            depth = next((i for i, lv in enumerate(stack) if lv.style == style), len(stack))
            if depth < len(stack) and number != stack[depth].number + 1:
                previous = stack[depth].task.label
                self._warn(row, f"编号“{previous}”之后出现“{text}”，编号不连续")
            del stack[depth:]
            self._add(row.task, stack[-1].task if stack else None, text)
            stack.append(_Level(style, number, row.task, row.heading))
        elif row.heading:
            if row.number:
                self._warn(row, f"无法识别编号“{row.number}”，已作为分类标题")
            del stack[:]
            self._add(row.task, None, "")
            stack.append(_Level("category", 0, row.task, True))
        else:
            if row.number:
                self._warn(row, f"无法识别编号“{row.number}”，已作为无编号任务")
            parent = self._unnumbered_parent(stack)
            self._add(row.task, parent, "")

    def _unnumbered_parent(self, stack: list[_Level]) -> ParsedTask | None:
        """A task without a number goes under the current heading, else beside the last task."""
        if not stack:
            return None
        if stack[-1].heading:
            return stack[-1].task
        return stack[-2].task if len(stack) > 1 else None

    def _warn(self, row: _Row, message: str) -> None:
        self.warnings.append(PlanWarning(row.task.line, message))


def _merge_into(task: ParsedTask, extra: ParsedTask) -> None:
    for role in UNIT_COLUMNS:
        names: list[str] = getattr(task, role)
        names.extend(n for n in getattr(extra, role) if n not in names)
    task.targets.extend(extra.targets)


def _check_tasks(tasks: list[ParsedTask], warn: list[PlanWarning]) -> None:
    """Warnings for leaves without text, and for leaves without a unit of their own or of an
    ancestor (top-level ones only in a flat table)."""
    flat = not any(task.children for task in tasks)

    def visit(task: ParsedTask, depth: int, inherited: bool) -> None:
        own = bool(task.lead or task.partners or task.responsible)
        for child in task.children:
            visit(child, depth + 1, inherited or own)
        if task.children:
            return
        if not (task.title or task.text):
            warn.append(PlanWarning(task.line, f"任务“{task.path}”缺少任务内容"))
        elif not (own or inherited) and (depth > 0 or flat):
            warn.append(PlanWarning(task.line, f"任务“{task.path}”未填写责任单位"))

    for task in tasks:
        visit(task, 0, False)
