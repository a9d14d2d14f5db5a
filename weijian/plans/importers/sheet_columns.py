"""The columns of a 任务分工表: what each header cell names (see `column_kind`), and the header row
itself (a task column and a unit column), with a second header row under a merged one."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from weijian.core.text.normalize import normalize

NUMBER, NAME, TASK, LEAD, PARTNER, RESPONSIBLE, DUE, TARGET = (
    "number", "name", "task", "lead", "partners", "responsible", "due", "target"
)  # fmt: skip
UNIT_COLUMNS = (LEAD, PARTNER, RESPONSIBLE)  # also the ParsedTask attributes

_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r])")
_NAMES = {"任务名称", "名称", "标题", "任务标题", "事项名称", "项目名称", "任务事项"}


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


def subheader(columns: Columns, header: list[str], cells: list[str]) -> Columns | None:
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


@dataclass
class Table:
    header_row: int  # Excel row number of the header
    header: list[str]  # its cells
    columns: Columns
    above: list[str]  # the texts of the rows above the header
    body: list[tuple[int, tuple[Any, ...]]]  # (Excel row number, values) below the header
    merged: dict[tuple[int, int], tuple[int, int]]  # continuation cell → the merged range's top


def cell_text(value: Any) -> str:
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
