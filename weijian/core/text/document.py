"""Reading a profile file: .txt in UTF-8 or GB18030, .docx through the standard library
(word/document.xml: paragraphs in order, each table row as one line with cells spaced apart)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree  # noqa: S405 (the XML is checked for DTDs before parsing)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_XML = 50 * 1024 * 1024


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
            info = archive.getinfo("word/document.xml")
            if info.file_size > _MAX_XML:
                raise DocumentError("文档内容过大，无法读取")
            data = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DocumentError("无法读取该 .docx 文件，文件可能已损坏") from exc
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise DocumentError("文档包含不允许的 XML 声明，无法读取")
    try:
        root = ElementTree.fromstring(data)  # noqa: S314 (no DTD, size-limited)
    except ElementTree.ParseError as exc:
        raise DocumentError("无法解析 .docx 文件内容，文件可能已损坏") from exc
    body = root.find(f"{_W}body")
    lines: list[str] = []
    if body is not None:
        _walk(body, lines)
    return "\n".join(lines)


def _walk(element: ElementTree.Element, lines: list[str]) -> None:
    for child in element:
        if child.tag == f"{_W}p":
            lines.append(_paragraph(child))
        elif child.tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                cells = [
                    " ".join(_paragraph(p) for p in cell.iter(f"{_W}p")).strip()
                    for cell in row.iter(f"{_W}tc")
                ]
                lines.append("  ".join(cell for cell in cells if cell))
        else:
            _walk(child, lines)  # content controls, custom XML and the like


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
