"""Masked display of personal data: shown masked by default, revealed only with a permission.

Each function takes whatever a template may hand it (None, a number, a lazy string) and
returns a string of the same length as the trimmed input, with hidden characters as "*".
"""

from __future__ import annotations

import re

MASK = "*"

MOBILE = re.compile(r"^(?P<prefix>(?:\+?86)?)(?P<number>1\d{10})$")
# Area codes: 010 and 02x have three digits, every other one four (0xxx).
LANDLINE = re.compile(
    r"^(?P<area>0(?:10|2\d|[3-9]\d{2}))(?P<sep>[-\s]?)(?P<local>\d{7,8})(?P<ext>(?:\D.*)?)$"
)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _keep(text: str, head: int, tail: int) -> str:
    """Keep `head` leading and `tail` trailing characters; mask everything if that hides none."""
    if len(text) <= head + tail:
        return MASK * len(text)
    return text[:head] + MASK * (len(text) - head - tail) + text[len(text) - tail :]


def mask_resident_id(value: object) -> str:
    """360102199003070015 → 360***********0015: first 3 and last 4 kept."""
    return _keep(_text(value), 3, 4)


def mask_phone(value: object) -> str:
    """13812345678 → 138****5678; 0791-86123456 → 0791-****3456 (area code and last 4 kept).

    "+86" or "86" before a mobile number is kept; an extension after a landline is masked.
    Anything else keeps only its last 4 characters.
    """
    text = _text(value)
    compact = re.sub(r"[\s-]", "", text)
    mobile = MOBILE.match(compact)
    if mobile:
        return mobile["prefix"] + _keep(mobile["number"], 3, 4)
    landline = LANDLINE.match(text)
    if landline:
        hidden_ext = re.sub(r"\d", MASK, landline["ext"])
        return landline["area"] + landline["sep"] + _keep(landline["local"], 0, 4) + hidden_ext
    return _keep(text, 0, 4)


def mask_name(value: object) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the first character kept; "·" in minority names kept."""
    text = _text(value)
    if len(text) <= 1:
        return MASK * len(text)
    rest = "".join(ch if ch in "·•." else MASK for ch in text[1:])
    return text[0] + rest
