"""Table rows inside text: a .docx row as read by `document.read_docx` (cells joined by two
spaces, empty cells kept) or a row copied from a spreadsheet (cells joined by tabs).

`split_cells(raw)` gives a row's cells (normalised) or None for a line that is no row;
`header_roles(cells, words)` reads a header row: for each column, the role its header names
(`words` maps a role to the header words that name it, matched exactly after spaces and bracketed
notes are removed, else by the first word contained), or None when some header cell is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from weijian.core.text.normalize import normalize

_SEPARATOR = re.compile(r"\t|  ")
_NOTE = re.compile(r"[(（〔\[【][^)）〕\]】]*[)）〕\]】]")
MAX_HEADER_CELL = 12


def split_cells(raw: str) -> list[str] | None:
    """The normalised cells of a table row; None when the line has no cell separator.

    Tabs separate cells when there are any; else runs of two spaces do (document.py squeezes a
    cell's own spaces, so two spaces only ever separate cells). Full-width spaces (paragraph
    indents) are not separators."""
    raw = raw.rstrip("\r\n")
    parts = raw.split("\t") if "\t" in raw else _SEPARATOR.split(raw)
    if len(parts) < 2:
        return None
    return [normalize(part) for part in parts]


def header_key(cell: str) -> str:
    """A header cell as compared: no spaces, no bracketed note ("配合单位（部门）" → 配合单位)."""
    return re.sub(r"\s+", "", _NOTE.sub("", cell)).strip(":：*")


def cell_role(cell: str, words: Mapping[str, Sequence[str]]) -> str | None:
    """The role one header cell names, or None (see `header_roles`)."""
    key = header_key(cell)
    if not key or len(key) > MAX_HEADER_CELL:
        return None
    role = next((r for r, names in words.items() if key in names), None)
    return role or next((r for r, names in words.items() if any(n in key for n in names)), None)


def header_roles(
    cells: Sequence[str], words: Mapping[str, Sequence[str]]
) -> list[str | None] | None:
    """The role of each column (None for an empty header cell), or None when this is no header:
    fewer than two named columns, a header cell too long to be a header, or one no role names."""
    roles: list[str | None] = []
    for cell in cells:
        if not header_key(cell):
            roles.append(None)
            continue
        role = cell_role(cell, words)
        if role is None:
            return None
        roles.append(role)
    return roles if sum(role is not None for role in roles) >= 2 else None
