"""Reading a profile or plan file: .txt in UTF-8 or GB18030, .docx through the standard library
(word/document.xml: paragraphs in order, each table row as one line).

A table row becomes one line with its cells joined by `CELL_SEPARATOR` (two spaces). The columns
stay aligned so that a reader can map cells to the header row: a cell's own whitespace is
squeezed to single spaces (two spaces only ever separate cells), an empty cell is kept (its
neighbours are then four spaces apart), a cell spanning several grid columns (gridSpan) is
followed by empty cells for the columns it covers, and a vertically merged cell (vMerge) repeats
the text of the cell it continues. Word's automatic numbering is written out in front of the
paragraphs it numbers (docx_numbering.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree  # noqa: S405 (the XML is checked for DTDs before parsing)

from weijian.core.text.docx_numbering import Numbering

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_XML = 50 * 1024 * 1024
_WRAPPERS = (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag")
CELL_SEPARATOR = "  "


class DocumentError(ValueError):
    """The file cannot be read; the message is for the user."""


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (what a Chinese Windows saves)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError("无法识别文件编码，请保存为 UTF-8 或 GB18030 编码的文本文件")


def read_document(path: str | Path) -> str:
    """The text of a .txt or .docx file, one paragraph per line."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise DocumentError("不支持旧版 Word（.doc）文件，请另存为 .docx 或 .txt 后再导入")
    if suffix == ".docx":
        return read_docx(path)
    return decode(path.read_bytes())


def read_docx(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            root = _xml(archive, "word/document.xml")
            numbering = Numbering(
                _optional_xml(archive, "word/numbering.xml"),
                _optional_xml(archive, "word/styles.xml"),
            )
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DocumentError("无法读取该 .docx 文件，文件可能已损坏") from exc
    body = root.find(f"{_W}body")
    lines: list[str] = []
    if body is not None:
        _walk(body, lines, numbering)
    return "\n".join(lines)


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = archive.getinfo(name)
    if info.file_size > _MAX_XML:
        raise DocumentError("文档内容过大，无法读取")
    data = archive.read(info)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise DocumentError("文档包含不允许的 XML 声明，无法读取")
    try:
        return ElementTree.fromstring(data)  # noqa: S314 (no DTD, size-limited)
    except ElementTree.ParseError as exc:
        raise DocumentError("无法解析 .docx 文件内容，文件可能已损坏") from exc


def _optional_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    """A part that may be missing or unreadable (numbering, styles): None then."""
    try:
        return _xml(archive, name)
    except (KeyError, DocumentError):
        return None


def _walk(element: ElementTree.Element, lines: list[str], numbering: Numbering) -> None:
    for child in element:
        if child.tag == f"{_W}p":
            lines.append(numbering.label(child) + _paragraph(child))
        elif child.tag == f"{_W}tbl":
            _table(child, lines, numbering)
        else:
            _walk(child, lines, numbering)  # content controls, custom XML and the like


def _table(table: ElementTree.Element, lines: list[str], numbering: Numbering) -> None:
    above: dict[int, str] = {}  # grid column → text of the cell a vMerge continues
    for row in _children(table, "tr"):
        cells: list[str] = []
        for cell in _children(row, "tc"):
            properties = cell.find(f"{_W}tcPr")
            span_element = properties.find(f"{_W}gridSpan") if properties is not None else None
            merge = properties.find(f"{_W}vMerge") if properties is not None else None
            span = _int(span_element.get(f"{_W}val") if span_element is not None else None)
            paragraphs = (numbering.label(p) + _paragraph(p) for p in cell.iter(f"{_W}p"))
            text = " ".join(" ".join(paragraphs).split())
            column = len(cells)
            if merge is not None and merge.get(f"{_W}val", "continue") == "continue":
                text = above.get(column, "")
            above[column] = text
            cells.extend([text] + [""] * (span - 1))
        lines.append(CELL_SEPARATOR.join(cells))


def _children(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    """Direct children named `name`, also inside content controls (not nested tables)."""
    found = []
    for child in element:
        if child.tag == f"{_W}{name}":
            found.append(child)
        elif child.tag in _WRAPPERS:
            found.extend(_children(child, name))
    return found


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 64))
    except ValueError:
        return 1


def _paragraph(paragraph: ElementTree.Element) -> str:
    parts: list[str] = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)
