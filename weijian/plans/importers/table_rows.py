"""A task-division table inside a document (a .docx table, or rows pasted from a spreadsheet),
turned into the lines the tree and the markers already read.

A header row names the columns (序号 / 重点任务 / 牵头单位 / 配合单位 / 责任单位 / 完成时限 …, see
`COLUMN_WORDS`); it needs a task column and a unit column. Each row after it becomes:

    "{序号}. {任务}"  (a row without a usable number gets its position in the table)
    "{目标}"          (a target column's text, read for targets like the task's text)
    "牵头单位:{…}"  "配合单位:{…}"  "责任单位:{…}"  "完成时限:{…}"   (lines of their own)

A row with a single filled cell in its first column (a section row merged across, "一、深化改革")
is a heading line. A category column (重点领域) opens a heading whenever its value changes; a
category without a number of its own is numbered 一、二、… in order. When several columns name
tasks (重点任务 / 具体措施), the last one holds the task and the earlier ones are categories.
A table copied from a web page often comes one cell per line: a header of one word per line
(序号 / 重点任务 / 牵头单位 …, starting with 序号) opens it, and each row starts at the line that
holds the next number (1, 2, 3 …). When a row has as many lines as there are columns, they map
in order; else (empty cells left no line) each line is placed by what it looks like: unit names
go to the unit columns in order, a deadline to the deadline column, text to the task (then the
target) column.

A line without cells after the table (or with one filled cell where the header has more
columns: an indented paragraph) ends it (`TABLE_END`), unless it starts with a number (a section
row whose empty cells were lost). A repeated header row (a new page) is skipped. A row
whose cell count differs from the header's is read in order, with a warning. A second header row
right under the first (a merged 责任单位 over 牵头单位 | 配合单位) refines the columns it names.
"""

from __future__ import annotations

from collections.abc import Callable

from weijian.core.text.normalize import normalize
from weijian.core.text.numerals import CN_DIGITS, int_to_cn, split_label
from weijian.core.text.table import cell_role, header_roles, split_cells
from weijian.plans.importers.deadlines import parse_deadline
from weijian.plans.importers.markers import looks_like_units

NUMBER, CATEGORY, TASK, TARGET = "number", "category", "task", "target"
LEAD, PARTNER, RESPONSIBLE, DUE, OTHER = "lead", "partner", "responsible", "due", "other"
UNIT_ROLES = (LEAD, PARTNER, RESPONSIBLE)
TABLE_END = "\x00"  # a segment that closes the open tasks (text after a table is no task's)

# Exact header words first, then contained words (in this order of roles).
COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    NUMBER: ("序号", "编号", "序"),
    LEAD: tuple("牵头单位 牵头部门 牵头处室 牵头责任单位 主责单位 牵头".split()),
    PARTNER: tuple(
        "配合单位 配合部门 配合处室 协作单位 参与单位 协办单位 配合 协作 参与 协办 协同".split()
    ),
    RESPONSIBLE: tuple(
        "责任单位 责任部门 责任处室 责任主体 实施主体 承办单位 责任 主体 承办".split()
    ),
    DUE: tuple("完成时限 完成时间 时间进度 进度安排 时间节点 时限 时间 进度 期限".split()),
    CATEGORY: tuple("重点领域 工作领域 领域 类别 分类 板块 方面 项目".split()),
    TASK: tuple(
        "重点任务 工作任务 主要任务 具体任务 任务内容 工作内容 工作措施 具体措施 主要措施 重点工作 "
        "主要工作 具体工作 工作要点 工作事项 任务 措施 内容 事项 举措 要点".split()
    ),
    TARGET: tuple("工作目标 预期目标 量化指标 目标 指标 成效".split()),
    OTHER: tuple(
        "备注 说明 责任人 责任领导 牵头领导 分管领导 分管市领导 联系人 联系电话 联系方式 成果形式 "
        "完成情况 进展情况".split()
    ),
}
_KEY_WORDS = {LEAD: "牵头单位", PARTNER: "配合单位", RESPONSIBLE: "责任单位", DUE: "完成时限"}


class TableRows:
    """Feed it every line (`read`); it takes the table's lines and gives back segments."""

    def __init__(self, warn: Callable[[int, str], None] | None = None) -> None:
        self.warn = warn
        self.roles: list[str | None] | None = None
        self.headers: list[int] = []  # line numbers of the header rows (not repeated ones)
        self.lines: set[int] = set()  # line numbers of the rows read
        self.rows = 0  # data rows of the current table
        self.since_header = 0
        self.categories = 0
        self.category = ""
        self.words: list[tuple[int, str, str]] = []  # header words, one per line, so far
        self.column: _OneCellPerLine | None = None
        self.held: list[tuple[int, str | dict[str, list[str]]]] = []  # the table so far

    def finish(self) -> list[tuple[int, str]]:
        """The segments still held when the text ends inside a table."""
        if self.column is not None:
            column, self.column = self.column, None
            return column.flush()
        return self.release()

    def read(self, number: int, raw: str) -> tuple[list[tuple[int, str]], bool]:
        """(segments, taken): taken is False when the line is no part of a table (the caller
        reads it as usual, after the segments, which may then be TABLE_END)."""
        before: list[tuple[int, str]] = []
        if self.column is not None:
            before, taken = self.column.read(number, raw)
            if taken:
                return before, True
            self.column = None
        cells = split_cells(raw)
        if self.roles is None and cells is None:
            segments, taken = self.header_words(number, raw)
            return before + segments, taken
        if self.roles is None:
            roles = header_roles(cells, COLUMN_WORDS) if cells else None
            if roles and TASK in roles and any(r in UNIT_ROLES for r in roles):
                self.roles = _categories(roles)
                self.headers.append(number)
                self.rows = self.categories = self.since_header = 0
                self.category = ""
                return [], True
            return [], False
        filled = sum(bool(cell) for cell in cells or [])
        if cells is None or filled == 0 or (filled == 1 and len(cells) != len(self.roles)):
            line = normalize(raw)
            if not line:
                return [], True
            if split_label(line):
                self.held.append((number, line))
                return [], True
            self.roles = None
            return [*self.release(), (number, TABLE_END)], False
        roles = header_roles(cells, COLUMN_WORDS)
        if roles is not None:
            if self.since_header == 0 and len(roles) == len(self.roles):
                # a second header row under a merged one (责任单位 → 牵头单位 | 配合单位)
                merged = [new or old for new, old in zip(roles, self.roles, strict=True)]
                self.roles = _categories([r if r != OTHER else None for r in merged])
            return [], True  # else the header again, on a new page
        self.since_header += 1
        self.row(number, cells)
        return [], True

    def header_words(self, number: int, raw: str) -> tuple[list[tuple[int, str]], bool]:
        """Collect a header written one word per line; start reading its rows after it."""
        line = normalize(raw)
        if not line and self.words:
            return [], True
        role = cell_role(line, COLUMN_WORDS) if line else None
        if role is not None and (self.words or role == NUMBER):
            self.words.append((number, line, role))
            return [], True
        roles = [role for _, _, role in self.words]
        words, self.words = self.words, []
        if len(roles) >= 3 and TASK in roles and any(r in UNIT_ROLES for r in roles):
            self.roles = None
            self.headers.append(words[0][0])
            self.rows = self.categories = 0
            self.category = ""
            self.column = _OneCellPerLine(self, _categories(list(roles)))
            return self.column.read(number, raw)
        return [(n, text) for n, text, _ in words], False

    def row(self, number: int, cells: list[str]) -> None:
        """Hold a row's cells by role (the table is turned into segments at its end)."""
        roles = self.roles or []
        filled = [index for index, cell in enumerate(cells) if cell]
        if filled == [0] and roles[0] != TASK:
            self.held.append((number, cells[0]))  # a section row merged across
            return
        if len(cells) != len(roles) and self.warn is not None:
            self.warn(
                number,
                f"第{number}行有{len(cells)}个单元格，表头有{len(roles)}列，已按顺序对应，请核对",
            )
        by_role: dict[str, list[str]] = {}
        for role, cell in zip(roles, cells, strict=False):
            if role is not None and cell:
                by_role.setdefault(role, []).append(cell)
        self.held.append((number, by_role))

    def release(self) -> list[tuple[int, str]]:
        """The held table as segments. A 序号 repeated down consecutive rows (merged cells)
        numbers what those rows share: their category, when every such run shares one (the rows
        are then numbered by position, as without a 序号); else a task of its own, the rows being
        its sub-items (1) (2) …"""
        held, self.held = self.held, []
        rows = [(n, item) for n, item in held if isinstance(item, dict)]
        runs = _runs(rows)
        by_category = bool(runs) and all(_one_category(run) for run in runs)
        segments: list[tuple[int, str]] = []
        position = {id(item): (run, index) for run in runs for index, (_, item) in enumerate(run)}
        for number, item in held:
            if isinstance(item, str):
                segments.append((number, item))
            elif by_category:
                segments.extend(self.segments(number, _without(item, NUMBER)))
            elif id(item) in position:
                run, index = position[id(item)]
                if index == 0:
                    segments.append((number, self.label(item[NUMBER], "x")))
                sub = _without(item, NUMBER) | {NUMBER: [f"({index + 1})"]}
                segments.extend(self.segments(number, sub))
            else:
                segments.extend(self.segments(number, item))
        return segments

    def segments(self, number: int, by_role: dict[str, list[str]]) -> list[tuple[int, str]]:
        """A row's task line, target lines and key lines, by column role."""
        self.rows += 1
        self.lines.add(number)
        segments = self.heading(number, by_role.get(CATEGORY, []))
        task = "".join(by_role.get(TASK, []))
        segments.append((number, self.label(by_role.get(NUMBER, []), task) + task))
        segments.extend((number, text) for text in by_role.get(TARGET, []))
        for role, key in _KEY_WORDS.items():
            if by_role.get(role):
                segments.append((number, f"{key}:{'、'.join(by_role[role])}"))
        return segments

    def heading(self, number: int, categories: list[str]) -> list[tuple[int, str]]:
        """A heading when the category changes (the first of several category columns)."""
        if not categories or categories[0] == self.category:
            return []
        self.category = categories[0]
        if split_label(self.category):
            return [(number, self.category)]
        self.categories += 1
        return [(number, f"{int_to_cn(self.categories)}、{self.category}")]

    def label(self, numbers: list[str], task: str) -> str:
        """The row's label: its 序号 with the punctuation the tree expects, or its position."""
        seq = numbers[0].strip() if numbers else ""
        if seq.isdigit() and len(seq) <= 3:
            return f"{seq}."
        if seq and all(ch in CN_DIGITS for ch in seq):
            return f"{seq}、"
        if seq and split_label(seq + " x") or len(seq) == 1 and 0xE000 <= ord(seq) <= 0xE013:
            return seq
        if split_label(task):
            return ""
        return f"{self.rows}."


class _OneCellPerLine:
    """The rows of a table copied one cell per line (see the module docstring)."""

    def __init__(self, table: TableRows, roles: list[str | None]) -> None:
        self.table = table
        self.roles = roles
        self.row: list[tuple[int, str]] = []
        self.next = 1

    def read(self, number: int, raw: str) -> tuple[list[tuple[int, str]], bool]:
        line = normalize(raw)
        if not line:
            return [], True
        if line == str(self.next):
            segments = self.flush()
            self.row, self.next = [(number, line)], self.next + 1
            return segments, True
        label = split_label(line)
        if label is not None and label.style in ("cn", "pcn", "article"):
            return [*self.flush(), (number, line)], True  # a section row
        if not self.row or len(self.row) >= len(self.roles) or line.startswith(("注", "附件")):
            return [*self.flush(), (number, TABLE_END)], False
        self.row.append((number, line))
        return [], True

    def flush(self) -> list[tuple[int, str]]:
        if not self.row:
            return []
        (number, seq), *cells = self.row
        self.row = []
        by_role: dict[str, list[str]] = {NUMBER: [seq]}
        if len(cells) == len(self.roles) - 1:
            for role, (_, cell) in zip(self.roles[1:], cells, strict=True):
                if role is not None:
                    by_role.setdefault(role, []).append(cell)
        else:
            self.place(by_role, [cell for _, cell in cells])
        return self.table.segments(number, by_role)

    def place(self, by_role: dict[str, list[str]], cells: list[str]) -> None:
        """Cells of a row that lost its empty cells, each placed by what it looks like."""
        units = [r for r in self.roles if r in UNIT_ROLES]
        texts = [r for r in self.roles if r in (TASK, TARGET)]
        for cell in cells:
            deadline = parse_deadline(cell, doc_year=2000)
            if DUE in self.roles and len(cell) <= 30 and (deadline.on or deadline.open_ended):
                by_role.setdefault(DUE, []).append(cell)
            elif units and looks_like_units(cell):
                by_role.setdefault(units.pop(0) if len(units) > 1 else units[0], []).append(cell)
            else:
                by_role.setdefault(texts.pop(0) if len(texts) > 1 else TASK, []).append(cell)


def _runs(
    rows: list[tuple[int, dict[str, list[str]]]],
) -> list[list[tuple[int, dict[str, list[str]]]]]:
    """Runs of two rows or more in a row with the same 序号."""
    runs: list[list[tuple[int, dict[str, list[str]]]]] = []
    current: list[tuple[int, dict[str, list[str]]]] = []
    for row in rows:
        seq = row[1].get(NUMBER, [""])[0]
        if current and seq and current[0][1].get(NUMBER, [""])[0] == seq:
            current.append(row)
            continue
        if len(current) > 1:
            runs.append(current)
        current = [row] if seq else []
    if len(current) > 1:
        runs.append(current)
    return runs


def _one_category(run: list[tuple[int, dict[str, list[str]]]]) -> bool:
    categories = {tuple(item.get(CATEGORY, [])) for _, item in run}
    return len(categories) == 1 and () not in categories


def _without(item: dict[str, list[str]], role: str) -> dict[str, list[str]]:
    return {key: value for key, value in item.items() if key != role}


def _categories(roles: list[str | None]) -> list[str | None]:
    """Of several task columns, the last holds the tasks; the earlier ones are categories."""
    tasks = [index for index, role in enumerate(roles) if role == TASK]
    return [CATEGORY if index in tasks[:-1] else role for index, role in enumerate(roles)]
