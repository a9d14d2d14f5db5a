"""Numbering levels → a tree of labelled nodes.

Labels: 第一条/第一章 (``article``), 一、 (``cn``), (一) (``pcn``), 1. 1、 (``num``),
(1) (``pnum``), ① (``circ``). A label at the start of a line is always taken (gaps and restarts
are warned about).
Documents pasted from web pages often run a whole plan into one line, so labels are also found
inside a line, but only where the numbering expects them: the next sibling of an open level, or
the first item of a deeper level (a continuation such as 21. after 20. in an earlier section also
counts). Inside a line a label must follow a sentence end, a closing bracket or a colon; right
after a Chinese character only when the open item is still a bare heading (no 。 yet). This keeps
"到2020年，二、三级医院" and "统一、规范" out of the tree.

A label used twice among siblings (a restart after a lost heading) keeps its label, but its path
gets its position instead ([3]), so that paths stay unique.

Circled numbers are turned into (1) … (20) by core.text.normalize; `protect_circled` maps them to
private-use characters first so that ① stays a level of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from weijian.core.text.numerals import CN_DIGITS, cn_to_int

RANKS = {"article": 0, "cn": 1, "pcn": 2, "num": 3, "pnum": 4, "circ": 5}
_PUA = 0xE000  # ① … ⑳ → U+E000 … U+E013 before normalising
CIRCLED = "".join(chr(0x2460 + i) for i in range(20))
_PROTECT = {0x2460 + i: chr(_PUA + i) for i in range(20)}
_RESTORE = {_PUA + i: chr(0x2460 + i) for i in range(20)}

_CN = f"[{CN_DIGITS}]{{1,4}}"
_CANDIDATE = re.compile(
    rf"第(?P<article>{_CN}|\d{{1,3}})(?:条|章|节|部分)"
    rf"|\((?P<pcn>{_CN})\)\s*[、.]?"
    r"|\((?P<pnum>\d{1,3})\)\s*[、.]?"
    r"|(?P<circ>[\ue000-\ue013])"
    rf"|(?P<cn>{_CN})\s*(?:、|\.(?!\d))"
    r"|(?P<num>\d{1,3})\s*(?:[、.](?!\d)|\)(?=\s*[^\s\d]))"
    # 1.65岁及以上…: a label glued to a number, taken only where that label is due next
    r"|(?P<numdot>\d{1,3})\.(?=\d)"
)
_BOUNDARY = set("。;；!！?？)）:：”\"'") | {" "}
_HAN = re.compile(r"[\u3400-\u9fff]")
# The end of a marker written without brackets (…牵头，…等部门参与) closes an item like ")" does.
_MARKER_END = re.compile(r"牵头[^。]{0,400}(?:参与|配合|协助|协办)$")


def protect_circled(text: str) -> str:
    return text.translate(_PROTECT)


def restore_circled(text: str) -> str:
    return text.translate(_RESTORE)


@dataclass
class Node:
    style: str
    number: int
    label: str  # as in paths: 三 (二) 1 (1) ①
    line: int
    path: str = ""
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    chunks: list[tuple[int, str]] = field(default_factory=list)  # (line, text)

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    def heading_only(self) -> bool:
        return not any("。" in text for _, text in self.chunks)


def make_label(style: str, number_text: str, number: int) -> str:
    if style == "pcn":
        return f"({number_text})"
    if style == "pnum":
        return f"({number})"
    if style == "circ":
        return chr(0x2460 + number - 1)
    if style == "article":
        return f"第{number_text}"
    return number_text if style == "cn" else str(number)


class TreeBuilder:
    """Feed it numbered segments (`feed`); read `roots` and `preamble` afterwards."""

    def __init__(self, warn: Callable[[int, str], None]) -> None:
        self.warn = warn
        self.roots: list[Node] = []
        self.stack: list[Node] = []
        self.last_number: dict[str, int] = {}
        self.preamble: list[tuple[int, str]] = []
        self.unplaced: list[tuple[int, str]] = []  # text after `close`, before the next label

    @property
    def started(self) -> bool:
        return bool(self.roots)

    def feed(self, line: int, text: str) -> None:
        """One segment (a line, or part of one): split it at labels and grow the tree."""
        position = cursor = 0
        while (match := _CANDIDATE.search(text, position)) is not None:
            pending = text[cursor : match.start()]
            at_start = not text[: match.start()].strip()
            opened = self._label(match, line, at_start=at_start, pending=pending)
            if opened is None:
                position = match.start() + 1
                continue
            self._add_text(line, pending)
            self._open(*opened, line=line)
            cursor = position = match.end()
        self._add_text(line, text[cursor:])

    def close(self) -> None:
        """The open items end here (after a table): text before the next label is no task's."""
        self.stack = []

    def _add_text(self, line: int, text: str) -> None:
        text = text.strip()
        if not text:
            return
        if self.stack:
            self.stack[-1].chunks.append((line, text))
        else:
            (self.unplaced if self.roots else self.preamble).append((line, text))

    def _label(
        self, match: re.Match[str], line: int, *, at_start: bool, pending: str
    ) -> tuple[str, int, str, int] | None:
        """(style, number, label, depth) when the candidate is a label here, else None."""
        style = next(name for name, value in match.groupdict().items() if value is not None)
        number_text = match.group(style)
        strict = style == "numdot"
        if strict:
            if not at_start:
                return None
            style = "num"
        number = ord(number_text) - _PUA + 1 if style == "circ" else cn_to_int(number_text)
        if number is None or not 0 < number < 1000:
            return None
        if not at_start and not self._inline_ok(pending):
            return None
        glued = not at_start and self._glued(pending)
        label = make_label(style, number_text, number)
        depth = self._place(
            style, number, label, at_start=at_start, glued=glued, line=line, strict=strict
        )
        if depth is None:
            return None
        return style, number, label, depth

    def _glued(self, before: str) -> bool:
        return bool(before) and bool(_HAN.match(before[-1]))

    def _inline_ok(self, pending: str) -> bool:
        if not pending.strip() or pending[-1:] in _BOUNDARY or _MARKER_END.search(pending):
            return True
        if self._glued(pending):
            heading = bool(self.stack) and self.stack[-1].heading_only() and "。" not in pending
            return heading and not pending.endswith("第")
        return False

    def _place(
        self,
        style: str,
        number: int,
        label: str,
        *,
        at_start: bool,
        glued: bool,
        line: int,
        strict: bool = False,
    ) -> int | None:
        """The depth at which the label goes, or None when it is not a label here. A `strict`
        label (one that might be a decimal) is taken only where it is the next number due."""
        for depth, node in enumerate(self.stack):
            if node.style == style:
                if number == node.number + 1:
                    return depth
                if strict:
                    return None
                if at_start and not glued:
                    self.warn(line, f"编号“{node.label}”之后出现“{label}”，编号不连续")
                    return depth
                return None
        deepest = RANKS[self.stack[-1].style] if self.stack else -1
        fresh = number == 1 or number == self.last_number.get(style, -1) + 1
        if fresh and (RANKS[style] > deepest or at_start):
            if glued and number != 1:
                return None
            return len(self.stack)
        if strict:
            return None
        if at_start and not self.roots:
            return 0  # a plan that starts at 三、: keep it
        if at_start and RANKS[style] > deepest:
            self.warn(line, f"编号从“{label}”开始，前面的编号可能缺失")
            return len(self.stack)
        return None

    def _open(self, style: str, number: int, label: str, depth: int, *, line: int) -> None:
        del self.stack[depth:]
        parent = self.stack[-1] if self.stack else None
        node = Node(style, number, label, line, parent=parent)
        siblings = parent.children if parent else self.roots
        node.path = f"{parent.path}.{label}" if parent else label
        if any(sibling.path == node.path for sibling in siblings):
            position = f"[{len(siblings) + 1}]"  # a label used twice: paths stay unique
            node.path = f"{parent.path}.{position}" if parent else position
            self.warn(line, f"编号“{label}”重复，该任务记为“{node.path}”，请核对")
        siblings.append(node)
        self.stack.append(node)
        self.last_number[style] = number
