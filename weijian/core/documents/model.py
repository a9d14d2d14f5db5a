"""What a 公文 says, independent of the file format: title, 发文字号, 主送, the body as headings,
paragraphs and tables, the 落款 (issuer and date) and the 版记 (抄送, 印发).

Headings are numbered when the document is written: level 1 一、, level 2 （一）, level 3 1.,
level 4 （1）; a heading restarts the numbering of the levels below it (GB/T 9704-2012 §7.3.3)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from weijian.core.text.numerals import int_to_cn

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3, 4):
            raise ValueError(f"heading level {self.level} is not 1–4")


@dataclass(frozen=True)
class Paragraph:
    """Body text: first line indented two characters, justified."""

    text: str


@dataclass(frozen=True)
class Table:
    """A simple table: a header row and rows of text. `widths` are relative column widths,
    `align` the alignment of each column's cells; `size` the font size in points."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float] = ()
    align: Sequence[Align] = ()
    size: float = 12.0

    def column_widths(self, total: float) -> list[float]:
        weights = list(self.widths) or [1.0] * len(self.header)
        scale = total / sum(weights)
        return [weight * scale for weight in weights]

    def column_align(self, column: int) -> Align:
        return self.align[column] if column < len(self.align) else "left"


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Document:
    title: str
    blocks: Sequence[Block]
    number: str = ""  # 发文字号, e.g. 萍卫通〔2024〕5号
    addressee: str = ""  # 主送机关, without the colon
    issuer: str = ""  # 发文机关署名
    date: datetime.date | None = None  # 成文日期
    cc: Sequence[str] = field(default_factory=tuple)  # 抄送机关
    printer: str = ""  # 印发机关
    printed_on: datetime.date | None = None  # 印发日期

    def numbered(self) -> list[Block]:
        """The blocks with each heading's label in front of its text."""
        counters = [0, 0, 0, 0]
        result: list[Block] = []
        for block in self.blocks:
            if isinstance(block, Heading):
                counters[block.level - 1] += 1
                counters[block.level :] = [0] * (4 - block.level)
                label = heading_label(block.level, counters[block.level - 1])
                result.append(Heading(label + block.text, block.level))
            else:
                result.append(block)
        return result


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(text: str) -> str:
    """Text without the control characters pasted text sometimes carries (a .docx cannot hold
    them, a PDF would draw boxes)."""
    return _CONTROL.sub("", text)


def one_line(value: object) -> str:
    """A table cell's text on one line: whitespace runs (tabs, breaks) become one space."""
    return " ".join(printable(str(value)).split())


def heading_label(level: int, number: int) -> str:
    """一、 （一） 1. （1）"""
    if level == 1:
        return f"{int_to_cn(number)}、"
    if level == 2:
        return f"（{int_to_cn(number)}）"
    if level == 3:
        return f"{number}."
    return f"（{number}）"


def cc_line(cc: Sequence[str]) -> str:
    """抄送：A，B，C。 (GB/T 9704-2012 §8.2: commas between, a full stop after the last)."""
    names = [name.strip().rstrip("，,。.") for name in cc if name.strip()]
    return f"抄送：{'，'.join(names)}。" if names else ""
