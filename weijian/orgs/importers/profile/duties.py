"""Numbered duties under 主要职责 (and 职能转变), and duty boundaries 与XX的有关职责分工."""

from __future__ import annotations

import re

from weijian.core.text.lines import Line
from weijian.core.text.normalize import display, split_outside_brackets

from .model import Boundary, Duty, ParsedProfile
from .sections import Kind
from .text import is_prose, join, split_label

_BOUNDARY = re.compile(r"^与(.+?)(?:之间)?(?:的)?(?:有关)?(?:职责|职能)分工[。:;.]?\s*(.*)$")
_BOUNDARY_HEAD = re.compile(r"^(有关|其他)?(职责|职能)分工[。:.]?$")
_TRANSFORMATION = re.compile(r"^职能转变[。:.]?\s*(.*)$")
_ASSIGNED = re.compile(r"^(完成|承办|办理).{0,24}交办的其他")


class DutiesHandler:
    """Reads one block. Numbered items of the first style seen are duties; other styles and
    unnumbered running text continue the current item."""

    def __init__(self, result: ParsedProfile, kind: Kind) -> None:
        self.result = result
        self.mode = kind
        self.style: str | None = None
        self.boundary_style: str | None = None
        self.current: Duty | Boundary | None = None

    def feed(self, line: Line) -> bool:
        label = split_label(line.text)
        rest = label.rest if label else line.text
        boundary = _BOUNDARY.match(rest)
        if boundary and len(boundary.group(1)) <= 60:
            self._boundary(line, boundary.group(1), boundary.group(2))
            self.boundary_style = label.style if label else None
            return True
        if _BOUNDARY_HEAD.match(rest):
            self.mode, self.current = Kind.BOUNDARIES, None
            return True
        if self.mode == Kind.BOUNDARIES:
            return False
        if label and (self.style is None or label.style == self.style):
            self.style = label.style
            self._duty(line, label.number, rest)
            return True
        if not label and (_TRANSFORMATION.match(rest) or _ASSIGNED.match(rest)) and self.style:
            self._duty(line, self._next_number(), rest)
            return True
        return False

    def extend(self, line: Line) -> bool:
        label = split_label(line.text)
        if self.current is None:
            if line.text.endswith(":"):
                return True  # a lead-in such as "主要职责是："
            if self.mode != Kind.BOUNDARIES and not label and is_prose(line.text):
                self._duty(line, self._next_number(), line.text)
                return True
            return False
        if isinstance(self.current, Boundary):
            self.current.text = join(self.current.text, line.text, new_item=label is not None)
        else:
            self.current.text = join(self.current.text, line.text, new_item=label is not None)
        return True

    def _next_number(self) -> int:
        numbers = [duty.number for duty in self.result.duties]
        return max(numbers, default=0) + 1

    def _duty(self, line: Line, number: int, rest: str) -> None:
        kind = "duty"
        transformation = _TRANSFORMATION.match(rest)
        if transformation or self.mode == Kind.TRANSFORMATION:
            kind = "transformation"
            rest = transformation.group(1) if transformation else rest
        duty = Duty(number, display(rest), kind, line.no)
        self.result.duties.append(duty)
        self.current = duty

    def _boundary(self, line: Line, with_text: str, rest: str) -> None:
        names = [
            part
            for item in split_outside_brackets(with_text, "、,")
            for part in re.split(r"(?<=[局委院所站心会办])(?:和|及)", item)
            if part
        ]
        boundary = Boundary(
            display(with_text), display(rest), [display(name) for name in names], line.no
        )
        self.result.boundaries.append(boundary)
        self.mode = Kind.BOUNDARIES
        self.current = boundary
