"""Small helpers for joining paragraph text."""

from __future__ import annotations

import re

from weijian.core.text.normalize import display

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
