"""Chinese numerals (一 … 九十九, and a little beyond) and the labels that number paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_DIGITS |= {"七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100}
CN_DIGITS = "零〇一二两三四五六七八九十百"


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十八 → 18, 二十 → 20, 九十九 → 99, 一百零五 → 105; ASCII digits pass through."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    total = 0
    pending: int | None = None
    for ch in text:
        if ch in _DIGITS:
            if pending is not None and pending != 0:
                return None  # two digits in a row (一二) is not a number
            pending = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            total += (pending if pending else 1) * unit
            pending = None
    return total + (pending or 0)


def int_to_cn(number: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (1 … 999); other numbers as digits."""
    if not 0 < number < 1000:
        return str(number)
    digits = "零一二三四五六七八九"
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    text = f"{digits[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    return text + (digits[ones] if ones else "")


def parse_count(text: str) -> int | None:
    """A count written with digits or Chinese numerals ("16", "十六", "两")."""
    return cn_to_int(text)


@dataclass(frozen=True)
class Label:
    """The numbering in front of a paragraph: its style, its value and the text after it."""

    style: str  # "cn" 一、  "pcn" (一)  "num" 1.  "pnum" (1)  "article" 第一条
    number: int
    rest: str


_LABELS = [
    ("pcn", re.compile(rf"^\(([{CN_DIGITS}]{{1,4}})\)\s*(.*)$")),
    ("pnum", re.compile(r"^\((\d{1,3})\)\s*(.*)$")),
    ("article", re.compile(rf"^第([{CN_DIGITS}\d]{{1,4}})(?:条|章|节|部分)\s*(.*)$")),
    ("cn", re.compile(rf"^([{CN_DIGITS}]{{1,4}})\s*[、.]\s*(.*)$")),
    ("num", re.compile(r"^(\d{1,3})(?:[、.](?!\d)|\))\s*(.*)$")),
]


def split_label(text: str) -> Label | None:
    """Recognise a paragraph label in a normalised line, or None."""
    for style, pattern in _LABELS:
        match = pattern.match(text)
        if match:
            number = cn_to_int(match.group(1))
            if number is not None and 0 < number < 1000:
                return Label(style, number, match.group(2).strip())
    return None
