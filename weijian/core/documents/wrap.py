"""Breaking Chinese text into lines of a given width, with the usual rules (禁则): a line does
not start with closing punctuation (，。、；：？！）》” …) nor end with an opening one (（《“ …),
and a run of Latin letters, digits and their punctuation (2024、95.2%、ABC-1) is not split
unless it is longer than a line. Pure: the caller measures text."""

from __future__ import annotations

import re
from collections.abc import Callable

NO_START = frozenset("，。、；：？！）》」』】〕〉”’…—·%‰,.;:?!)]}")
NO_END = frozenset("（《「『【〔〈“‘([{")

# A run that stays together: ASCII without spaces. Everything else is one token per character.
_TOKENS = re.compile(r"[!-~]+|.", re.DOTALL)


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def wrap(
    text: str, width: float, measure: Callable[[str], float], *, first: float | None = None
) -> list[str]:
    """The lines of `text` (a paragraph without line breaks), each at most `width` wide as
    `measure` gives it (the first at most `first`, when given: an indented first line).
    A token wider than a whole line is cut where it must be."""
    lines: list[list[str]] = [[]]
    used = 0.0
    for token in _fitting(tokens(text), width, measure):
        size = measure(token)
        limit = first if first is not None and len(lines) == 1 else width
        if used + size <= limit or not lines[-1]:
            lines[-1].append(token)
            used += size
            continue
        carried = _carry(lines[-1], token)
        lines.append([*carried, token])
        used = sum(measure(part) for part in lines[-1])
    return ["".join(line) for line in lines if line] or [""]


def _carry(line: list[str], token: str) -> list[str]:
    """The tokens to move from the end of a full line to the next one, so that the next line
    does not start with `token` if it is closing punctuation and this one does not end with an
    opening one. Nothing moves when that would empty the line."""
    count = 0
    if token[0] in NO_START and len(line) > 1:
        count = 1
        while count < len(line) - 1 and line[-count][0] in NO_START:
            count += 1
    while count < len(line) - 1 and line[len(line) - count - 1][-1] in NO_END:
        count += 1
    if count == 0:
        return []
    carried = line[-count:]
    del line[-count:]
    return carried


def _fitting(parts: list[str], width: float, measure: Callable[[str], float]) -> list[str]:
    """Cut the tokens wider than a line into pieces that fit."""
    result: list[str] = []
    for part in parts:
        if len(part) == 1 or measure(part) <= width:
            result.append(part)
            continue
        piece = ""
        for ch in part:
            if piece and measure(piece + ch) > width:
                result.append(piece)
                piece = ""
            piece += ch
        result.append(piece)
    return result


def balanced(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """The lines of a title: as few as `wrap` needs, of even length (GB/T 9704-2012 §7.3.1 wants
    a title's lines even and its words whole). Two lines break where the halves are closest in
    length, never inside 《》 or （）, preferring a break next to them or after 的, 和 ….
    """
    lines = wrap(text, width, measure)
    if len(lines) == 2:
        return _two_lines(text, width, measure) or lines
    if len(lines) < 2:
        return lines
    step = max(measure(ch) for ch in text) / 4
    narrow = measure(text) / len(lines)
    while narrow < width:
        tried = wrap(text, narrow, measure)
        if len(tried) == len(lines):
            return tried
        narrow += step
    return lines


GOOD_AFTER = frozenset("》）的于和与及、，")
GOOD_BEFORE = frozenset("《（关")


def _two_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str] | None:
    parts = tokens(text)
    em = max(measure(ch) for ch in text)
    best: tuple[float, int] | None = None
    for cut in range(1, len(parts)):
        first, second = "".join(parts[:cut]), "".join(parts[cut:])
        if measure(first) > width or measure(second) > width:
            continue
        if first[-1] in NO_END or second[0] in NO_START or _inside_brackets(first):
            continue
        good = first[-1] in GOOD_AFTER or second[0] in GOOD_BEFORE
        score = abs(measure(first) - measure(second)) - (3 * em if good else 0)
        if best is None or score < best[0]:
            best = (score, cut)
    if best is None:
        return None
    return ["".join(parts[: best[1]]), "".join(parts[best[1] :])]


def _inside_brackets(before: str) -> bool:
    """Whether a break after `before` would split a 《book title》 or a （parenthesis）."""
    return before.count("《") > before.count("》") or before.count("（") > before.count("）")
