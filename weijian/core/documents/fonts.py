"""The fonts of generated documents, from settings.

仿宋_GB2312, 方正小标宋 and 黑体 are commercial; by default the documents use the free Noto CJK
fonts (Debian's fonts-noto-cjk): Noto Serif CJK SC for the body, its bold face for the title
and Noto Sans CJK SC for first-level headings. A deployment names other fonts:
WEIJIAN_DOCUMENT_FONT / _TITLE_FONT / _HEADING_FONT are font names written into the .docx (the
reader's Word substitutes a font it lacks); WEIJIAN_PDF_FONT / _TITLE_FONT / _HEADING_FONT are
font files embedded in the .pdf (.ttf, .otf, or a .ttc/.otc collection, whose Simplified Chinese
member is taken). An empty title or heading setting means the body font."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from fontTools.ttLib import TTCollection, TTLibError

PROBE = "国"  # a font without this character cannot set a Chinese document


class FontError(Exception):
    """No usable font: the message says which setting to change, in Chinese."""


@dataclass(frozen=True)
class DocxFonts:
    body: str
    title: str
    heading: str


@dataclass(frozen=True)
class FontFile:
    path: Path
    member: int = 0  # the font's index inside a collection (.ttc/.otc)
    setting: str = ""  # the setting that named it, for the messages


@dataclass(frozen=True)
class PdfFonts:
    body: FontFile
    title: FontFile
    heading: FontFile


def docx_fonts() -> DocxFonts:
    body = settings.WEIJIAN_DOCUMENT_FONT
    return DocxFonts(
        body=body,
        title=settings.WEIJIAN_DOCUMENT_TITLE_FONT or body,
        heading=settings.WEIJIAN_DOCUMENT_HEADING_FONT or body,
    )


def pdf_fonts() -> PdfFonts:
    """The PDF's font files, checked: raises FontError naming the setting at fault."""
    body = font_file(settings.WEIJIAN_PDF_FONT, "WEIJIAN_PDF_FONT")
    title, heading = settings.WEIJIAN_PDF_TITLE_FONT, settings.WEIJIAN_PDF_HEADING_FONT
    return PdfFonts(
        body=body,
        title=font_file(title, "WEIJIAN_PDF_TITLE_FONT") if title else body,
        heading=font_file(heading, "WEIJIAN_PDF_HEADING_FONT") if heading else body,
    )


def font_file(value: str, setting: str) -> FontFile:
    path = Path(value) if value else None
    if path is None or not path.is_file():
        where = f"找不到字体文件“{value}”" if value else "没有设置字体文件"
        raise FontError(
            f"无法生成 PDF：{where}（设置项 {setting}）。请安装中文字体（如 Debian 的 "
            f"fonts-noto-cjk），或将环境变量 {setting} 设为已安装的 .ttf、.otf 或 .ttc 字体文件。"
        )
    try:
        member = _member(str(path), path.stat().st_mtime)
    except (TTLibError, OSError, KeyError, AssertionError) as exc:
        raise unusable(FontFile(path, 0, setting), str(exc)) from None
    return FontFile(path, member, setting)


def unusable(font: FontFile, why: str) -> FontError:
    return FontError(f"无法生成 PDF：字体文件“{font.path}”不能使用（设置项 {font.setting}）：{why}")


@functools.lru_cache(maxsize=16)
def _member(path: str, mtime: float) -> int:
    """The member of a collection (.ttc/.otc) to use: the Simplified Chinese one (its family
    name ends in SC), else the first; 0 for a single font. Reads only the name tables."""
    with open(path, "rb") as handle:
        if handle.read(4) != b"ttcf":
            return 0
    fonts = TTCollection(path, lazy=True).fonts
    families = [str(font["name"].getDebugName(1) or "") for font in fonts]
    return next((index for index, name in enumerate(families) if name.endswith(" SC")), 0)
