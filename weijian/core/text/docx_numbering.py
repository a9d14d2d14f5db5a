"""Word's automatic paragraph numbering, rendered as text.

A .docx paragraph numbered by Word (w:numPr: a list id and a level) does not hold its number in
its text: the number comes from word/numbering.xml (each level's format and pattern, such as
"（%1）" in chineseCounting) and from the paragraphs numbered before it. `Numbering.label`
gives the text Word shows ("一、", "（二）", "3.", "①"), so that a numbered task keeps its label.
Numbering may also come from the paragraph's style (word/styles.xml: a style with a numPr, or
one it is based on). Bullets and unknown formats give no label.
"""

from __future__ import annotations

from xml.etree import ElementTree  # noqa: S405 (the caller checks the XML for DTDs first)

from weijian.core.text.numerals import int_to_cn

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l")]
_ROMAN += [(40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _val(element: ElementTree.Element | None, name: str, default: str = "") -> str:
    found = element.find(f"{_W}{name}") if element is not None else None
    return found.get(f"{_W}val", default) if found is not None else default


def _number(value: str, default: int = 1) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def format_number(number: int, fmt: str) -> str | None:
    """One number in a Word numbering format; None for bullets and formats not known."""
    if fmt in ("decimal", "decimalZero", "decimalFullWidth", "decimalHalfWidth"):
        return str(number)
    if fmt.startswith("chinese") or fmt.startswith("ideograph") or fmt == "taiwaneseCounting":
        return int_to_cn(number)
    if fmt.startswith("decimalEnclosedCircle") and 0 < number <= 20:
        return chr(0x2460 + number - 1)
    if fmt in ("upperLetter", "lowerLetter") and 0 < number <= 26:
        letter = chr(ord("A") + number - 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 0 < number < 4000:
        text, rest = "", number
        for value, numeral in _ROMAN:
            while rest >= value:
                text, rest = text + numeral, rest - value
        return text.upper() if fmt == "upperRoman" else text
    return None


class Numbering:
    """The numbering definitions of one document and the counters of its lists."""

    def __init__(
        self, root: ElementTree.Element | None = None, styles: ElementTree.Element | None = None
    ) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstract id → levels
        self.lists: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstract, starts)
        self.counters: dict[str, dict[int, int]] = {}
        self.styles: dict[str, tuple[str, str, str]] = {}  # style id → (numId, ilvl, based on)
        if root is not None:
            self._read(root)
        if styles is not None:
            for style in styles.iter(f"{_W}style"):
                properties = style.find(f"{_W}pPr")
                numbering = properties.find(f"{_W}numPr") if properties is not None else None
                self.styles[style.get(f"{_W}styleId", "")] = (
                    _val(numbering, "numId"),
                    _val(numbering, "ilvl"),
                    _val(style, "basedOn"),
                )

    def _read(self, root: ElementTree.Element) -> None:
        for abstract in root.iter(f"{_W}abstractNum"):
            levels = {}
            for level in abstract.iter(f"{_W}lvl"):
                ilvl = _number(level.get(f"{_W}ilvl", "0"), 0)
                start = _number(_val(level, "start", "1"))
                levels[ilvl] = (_val(level, "numFmt", "decimal"), _val(level, "lvlText"), start)
            self.levels[abstract.get(f"{_W}abstractNumId", "")] = levels
        for num in root.iter(f"{_W}num"):
            starts: dict[int, int] = {}
            for override in num.iter(f"{_W}lvlOverride"):
                written = _val(override, "startOverride")
                if written:
                    starts[_number(override.get(f"{_W}ilvl", "0"), 0)] = _number(written)
            self.lists[num.get(f"{_W}numId", "")] = (_val(num, "abstractNumId"), starts)

    def label(self, paragraph: ElementTree.Element) -> str:
        """The number Word shows in front of the paragraph, or "" (and count it)."""
        properties = paragraph.find(f"{_W}pPr")
        numbering = properties.find(f"{_W}numPr") if properties is not None else None
        num_id, level = _val(numbering, "numId"), _val(numbering, "ilvl")
        if not num_id:
            num_id, style_level = self._style_numbering(_val(properties, "pStyle"))
            level = level or style_level
        if not num_id:
            return ""
        ilvl = _number(level or "0", 0)
        abstract, starts = self.lists.get(num_id, ("", {}))
        levels = self.levels.get(abstract)
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, starts.get(ilvl, levels[ilvl][2]) - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        fmt, pattern, _ = levels[ilvl]
        return self._render(pattern, fmt, levels, counters, starts)

    def _style_numbering(self, style: str) -> tuple[str, str]:
        """(numId, ilvl) a paragraph style gives, following basedOn (at most 10 styles up)."""
        for _ in range(10):
            if style not in self.styles:
                break
            num_id, ilvl, based_on = self.styles[style]
            if num_id:
                return num_id, ilvl
            style = based_on
        return "", ""

    def _render(
        self,
        pattern: str,
        fmt: str,
        levels: dict[int, tuple[str, str, int]],
        counters: dict[int, int],
        starts: dict[int, int],
    ) -> str:
        if fmt in ("bullet", "none") or not pattern:
            return ""
        text = pattern
        for level, (level_fmt, _, start) in levels.items():
            placeholder = f"%{level + 1}"
            if placeholder in text:
                value = counters.get(level, starts.get(level, start))
                shown = format_number(value, level_fmt)
                if shown is None:
                    return ""
                text = text.replace(placeholder, shown)
        if text.strip().isdigit():
            return text.strip() + "."  # "%1" alone: give the tree the dot it reads
        if text.strip() and text.strip()[-1] not in ".、．)）" and fmt.startswith("chinese"):
            return text.strip() + "、"
        return text
