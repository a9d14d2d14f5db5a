"""Normalising names as documents write them: 梁  东 is 梁东; （） and () are the same bracket.

The services store what these return and the importers match with them; both build on the
text helpers in core.text."""

from __future__ import annotations

import re

from weijian.core.text.normalize import HAN, display, normalize, squeeze

_SPACE_BETWEEN_HAN = re.compile(f"(?<=[{HAN}])\\s+(?=[{HAN}])")


def normalize_name(value: str) -> str:
    """An organization or department name: half-width letters and digits, Chinese punctuation
    next to Chinese text, no space between Chinese characters."""
    return _SPACE_BETWEEN_HAN.sub("", display(normalize(value or "")))


def normalize_person(value: str) -> str:
    """A person's name: no spaces at all (梁  东, 梁\u3000东 → 梁东)."""
    return squeeze(normalize(value or ""))


def normalize_names(values: list[str]) -> list[str]:
    """Normalised, without blanks or repeats, in their first order."""
    seen: dict[str, None] = {}
    for value in values:
        name = normalize_name(value)
        if name:
            seen.setdefault(name, None)
    return list(seen)
