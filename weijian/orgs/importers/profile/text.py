"""Small helpers for joining paragraph text."""

from __future__ import annotations

import re

from weijian.core.text.normalize import display
from weijian.core.text.numerals import Label
from weijian.core.text.numerals import split_label as core_split_label

_SENTENCE_END = re.compile(r"[。;:!?」”)]$")


def is_prose(text: str) -> bool:
    """A line of running text (not a short label or a stray word)."""
    return len(text) > 15 or bool(re.search(r"[。;,]", text))


def join(existing: str, addition: str, new_item: bool = False) -> str:
    """Append a wrapped line directly, a new sentence or sub-item on its own line."""
    addition = display(addition)
    if not existing:
        return addition
    if new_item or _SENTENCE_END.search(existing) or existing.endswith(("。", "；", "：")):
        return f"{existing}\n{addition}"
    return existing + addition


_DECIMAL = re.compile(
    r"^(\d{1,2})\.(\d{1,2})(?![\d.])\s*(?![亿万千百元倍%个名人次年月日米])(?=\S)(.*)$"
)


def split_label(text: str) -> Label | None:
    """`core.text.numerals.split_label`, plus decimal numbering ("1.1 贯彻…", "2.3 办公室：…")
    read as style "dec" with the number after the dot."""
    label = core_split_label(text)
    if label is not None:
        return label
    match = _DECIMAL.match(text)
    if match and 0 < int(match.group(2)) < 1000 and int(match.group(1)) > 0:
        return Label("dec", int(match.group(2)), match.group(3).strip())
    return None
