"""Normalising names as documents write them: 梁  东 is 梁东; （） and () are the same bracket.

Pure functions: the services store what these return, the importers match with them."""

from __future__ import annotations

import re
import unicodedata

# After NFKC (which makes full-width letters, digits and punctuation half-width), names take
# the Chinese full-width forms of these marks back, as official documents print them.
_TO_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"})
_SPACE = re.compile(r"\s+")
_SPACE_BETWEEN_CJK = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def normalize_name(value: str) -> str:
    """An organization or department name: half-width letters and digits, full-width Chinese
    brackets, no space between Chinese characters, single spaces elsewhere."""
    text = unicodedata.normalize("NFKC", value or "").translate(_TO_FULL_WIDTH)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return _SPACE.sub(" ", text).strip()


def normalize_person(value: str) -> str:
    """A person's name: no spaces at all (梁  东, 梁\u3000东 → 梁东)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", value or ""))


def normalize_names(values: list[str]) -> list[str]:
    """Normalised, without blanks or repeats, in their first order."""
    seen: dict[str, None] = {}
    for value in values:
        name = normalize_name(value)
        if name:
            seen.setdefault(name, None)
    return list(seen)
