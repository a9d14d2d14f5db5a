"""A 公文 as PDF, drawn with fpdf2 (pure Python; it embeds a subset of an OpenType CJK font,
CFF outlines and .ttc collections included, through fontTools).

The text is set on the page grid of layout.py: body lines 28.99 pt apart, 28 characters to a
full line (each 16 pt character condensed to the 15.79 pt pitch), lines justified but the last
of a paragraph, broken by wrap.py. Tables are drawn here too (fpdf2's own table is too slow
for the 3,000 rows of a province's ranking)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fpdf import FPDF
from fpdf.fonts import TTFFont

from weijian.core.dates import chinese_date
from weijian.core.documents import layout as L
from weijian.core.documents.fonts import PROBE, FontFile, PdfFonts, pdf_fonts, unusable
from weijian.core.documents.model import (
    Document,
    Heading,
    Paragraph,
    Table,
    cc_line,
    one_line,
    printable,
)
from weijian.core.documents.wrap import balanced, wrap

BODY, TITLE, HEADING = "body", "title", "heading"
ASCENT = 0.88  # the baseline of a CJK font, from the top of its em box
TITLE_PITCH = 1.6 * L.TITLE_PT
BASE_SPACING = L.CHAR_PITCH - L.BODY_PT  # the condensing that puts 28 characters on a line
CELL_PAD = 3.0
CC_LABEL = "抄送："
# 一、 in the heading font (黑体), （一） in the bold title face (as the .docx bolds it).
HEADING_FAMILIES = {1: HEADING, 2: TITLE}
RULE_COLOR = (0, 0, 0)


class _Canvas(FPDF):
    """fpdf2 with the 公文 page number: — 3 — in 4号, odd pages right, even pages left, one
    character in from the text block's edge, 7 mm below it."""

    def footer(self) -> None:
        self.set_char_spacing(0)
        self.set_font(BODY, size=L.NOTE_PT)
        text = f"— {self.page_no()} —"
        width = self.get_string_width(text)
        inset = L.NOTE_PT
        x = L.PAGE_WIDTH - L.RIGHT - inset - width if self.page_no() % 2 else L.LEFT + inset
        baseline = L.PAGE_HEIGHT - L.BOTTOM + L.PAGE_NUMBER_GAP + ASCENT * L.NOTE_PT
        self.text(x, baseline, text)


def pdf_bytes(document: Document, *, fonts: PdfFonts | None = None) -> bytes:
    """The document as PDF. Raises fonts.FontError when no usable font is configured."""
    return _Writer(fonts or pdf_fonts()).write(document)


class _Writer:
    def __init__(self, fonts: PdfFonts) -> None:
        pdf = _Canvas(unit="pt", format="A4")
        pdf.set_margins(L.LEFT, L.TOP, L.RIGHT)
        pdf.set_auto_page_break(False)
        for family, font in ((BODY, fonts.body), (TITLE, fonts.title), (HEADING, fonts.heading)):
            _add_font(pdf, family, font)
        pdf.set_lang("zh-CN")
        self.pdf = pdf
        self.y = L.TOP
        self._widths: dict[tuple[str, float], dict[str, float]] = {}

    # --- the document --------------------------------------------------------------------

    def write(self, document: Document) -> bytes:
        pdf = self.pdf
        pdf.set_title(document.title)
        if document.issuer:
            pdf.set_author(document.issuer)
        self._new_page()
        if document.number:
            self._number(document.number)
        self._title(document.title)
        if document.addressee:
            self._text(f"{document.addressee}：", BODY, first_indent=0)
        for block in document.numbered():
            self._block(block)
        self._signature(document)
        self._record(document)
        return bytes(pdf.output())

    def _block(self, block: Heading | Paragraph | Table) -> None:
        if isinstance(block, Heading):
            family = HEADING_FAMILIES.get(block.level, BODY)
            self._text(block.text, family, keep_with=1)
        elif isinstance(block, Paragraph):
            for part in block.text.splitlines() or [""]:
                self._text(part.strip(), BODY)
        else:
            self._table(block)

    def _number(self, number: str) -> None:
        """发文字号 centred, the red rule 4 mm below it, a blank line."""
        self._centred([number], BODY, L.BODY_PT, L.LINE_PITCH)
        rule = self.y + 4 * L.MM - (L.LINE_PITCH - L.BODY_PT) / 2
        self.pdf.set_draw_color(*L.RED)
        self.pdf.set_line_width(L.HEADER_RULE)
        self.pdf.line(L.LEFT, rule, L.PAGE_WIDTH - L.RIGHT, rule)
        self.pdf.set_draw_color(*RULE_COLOR)
        self.y += L.LINE_PITCH

    def _title(self, title: str) -> None:
        """The title in 2号, centred, a blank line after it."""
        self._set_font(TITLE, L.TITLE_PT)
        lines = balanced(title, L.TEXT_WIDTH, self._measure(TITLE, L.TITLE_PT))
        self._centred(lines, TITLE, L.TITLE_PT, TITLE_PITCH)
        self.y += L.LINE_PITCH

    def _signature(self, document: Document) -> None:
        """落款: a blank line, the issuer, the date below it (layout.signature_offsets)."""
        if not document.issuer and document.date is None:
            return
        date = chinese_date(document.date) if document.date else ""
        issuer_right, date_right = L.signature_offsets(document.issuer, date)
        self._room(3 * L.LINE_PITCH)
        self.y += L.LINE_PITCH
        for text, right in ((document.issuer, issuer_right), (date, date_right)):
            if text:
                self._set_font(BODY, L.BODY_PT)
                width = self._width(text, BODY, L.BODY_PT) + BASE_SPACING * (len(text) - 1)
                x = L.PAGE_WIDTH - L.RIGHT - right * L.CHAR_PITCH - width
                self._draw(text, x, L.BODY_PT, BASE_SPACING)
                self.y += L.LINE_PITCH

    # --- paragraphs ------------------------------------------------------------------------

    def _text(
        self, text: str, family: str, *, first_indent: float = L.INDENT, keep_with: int = 0
    ) -> None:
        """A paragraph of body size: justified lines on the grid, the first indented."""
        size = L.BODY_PT
        self._set_font(family, size)
        measure = self._measure(family, size, BASE_SPACING)
        lines = wrap(text, L.TEXT_WIDTH, measure, first=L.TEXT_WIDTH - first_indent)
        self._room(L.LINE_PITCH * min(len(lines) + keep_with, 2 + keep_with))
        for number, line in enumerate(lines):
            self._room(L.LINE_PITCH)
            self._set_font(family, size)
            indent = first_indent if number == 0 else 0.0
            last = number == len(lines) - 1
            self._draw(line, L.LEFT + indent, size, self._spacing(line, family, indent, last))
            self.y += L.LINE_PITCH

    def _spacing(self, line: str, family: str, indent: float, last: bool) -> float:
        """The character spacing that makes a line end at the right margin (justified); the
        base condensing on a paragraph's last line, or when stretching would gape."""
        if last or len(line) < 2:
            return BASE_SPACING
        glyphs = self._width(line, family, L.BODY_PT)
        spacing = (L.TEXT_WIDTH - indent - glyphs) / (len(line) - 1)
        return spacing if spacing <= L.BODY_PT / 2 else BASE_SPACING

    def _centred(self, lines: Sequence[str], family: str, size: float, pitch: float) -> None:
        for line in lines:
            self._room(pitch)
            self._set_font(family, size)
            x = L.LEFT + (L.TEXT_WIDTH - self._width(line, family, size)) / 2
            self._draw(line, x, size, 0.0, pitch=pitch)
            self.y += pitch

    def _draw(
        self, text: str, x: float, size: float, spacing: float, *, pitch: float = L.LINE_PITCH
    ) -> None:
        """One line of text in the line box starting at self.y, its em box centred."""
        self.pdf.set_char_spacing(round(spacing, 2))
        self.pdf.text(x, self.y + (pitch - size) / 2 + ASCENT * size, printable(text))
        self.pdf.set_char_spacing(0)

    # --- tables ----------------------------------------------------------------------------

    def _table(self, table: Table) -> None:
        widths = table.column_widths(L.TEXT_WIDTH)
        header = self._cells(list(table.header), widths, HEADING, table.size)
        self._room(header[0] + self._row_height(table, widths, 0))
        self._row(header, widths, HEADING, table.size, centred=True)
        aligns = [table.column_align(column) for column in range(len(widths))]
        for row in table.rows:
            cells = self._cells([str(value) for value in row], widths, BODY, table.size)
            if self.y + cells[0] > L.PAGE_HEIGHT - L.BOTTOM:
                self._new_page()
                self._row(header, widths, HEADING, table.size, centred=True)
            self._row(cells, widths, BODY, table.size, aligns=aligns)
        self.y += L.LINE_PITCH / 2

    def _row_height(self, table: Table, widths: list[float], index: int) -> float:
        if not table.rows:
            return 0.0
        cells = [str(value) for value in table.rows[index]]
        return self._cells(cells, widths, BODY, table.size)[0]

    def _cells(
        self, values: list[str], widths: list[float], family: str, size: float
    ) -> tuple[float, list[list[str]]]:
        """The row's height and each cell's lines."""
        measure = self._measure(family, size)
        lines = [
            wrap(one_line(value), width - 2 * CELL_PAD, measure)
            for value, width in zip(values, widths, strict=True)
        ]
        height = max(len(cell) for cell in lines) * size * 1.35 + 2 * CELL_PAD
        return height, lines

    def _row(
        self,
        cells: tuple[float, list[list[str]]],
        widths: list[float],
        family: str,
        size: float,
        *,
        centred: bool = False,
        aligns: Sequence[str] = (),
    ) -> None:
        height, lines = cells
        pdf = self.pdf
        pdf.set_line_width(0.5)
        self._set_font(family, size)
        x = L.LEFT
        for column, (cell, width) in enumerate(zip(lines, widths, strict=True)):
            pdf.rect(x, self.y, width, height)
            align = "center" if centred else (aligns[column] if aligns else "left")
            for number, line in enumerate(cell):
                used = self._width(line, family, size)
                left = {"left": CELL_PAD, "right": width - CELL_PAD - used}.get(
                    align, (width - used) / 2
                )
                baseline = self.y + CELL_PAD + number * size * 1.35 + 0.175 * size + ASCENT * size
                pdf.text(x + left, baseline, printable(line))
            x += width
        self.y += height

    # --- 版记 ------------------------------------------------------------------------------

    def _record(self, document: Document) -> None:
        """抄送 and 印发 at the foot of the last page, between a thick rule above and below and a
        thin one between; continuation lines of 抄送 align with the first name."""
        printed = chinese_date(document.printed_on) + "印发" if document.printed_on else ""
        names = self._cc_lines(cc_line(document.cc))
        has_printer = bool(document.printer or printed)
        if not names and not has_printer:
            return
        height = (len(names) + has_printer) * L.LINE_PITCH
        if self.y + L.LINE_PITCH + height > L.PAGE_HEIGHT - L.BOTTOM:
            self._new_page()
        self.y = L.PAGE_HEIGHT - L.BOTTOM - height
        self._rule(L.THICK_RULE)
        left = L.LEFT + L.NOTE_PT
        label_width = self._width(CC_LABEL, BODY, L.NOTE_PT)
        for number, line in enumerate(names):
            if number == 0:
                self._draw(CC_LABEL, left, L.NOTE_PT, 0.0)
            self._draw(line, left + label_width, L.NOTE_PT, 0.0)
            self.y += L.LINE_PITCH
        if has_printer:
            if names:
                self._rule(L.THIN_RULE)
            self._draw(document.printer, left, L.NOTE_PT, 0.0)
            width = self._width(printed, BODY, L.NOTE_PT)
            self._draw(printed, L.PAGE_WIDTH - L.RIGHT - L.NOTE_PT - width, L.NOTE_PT, 0.0)
            self.y += L.LINE_PITCH
        self._rule(L.THICK_RULE)

    def _cc_lines(self, cc: str) -> list[str]:
        """The names after 抄送： broken into lines one character in from either side."""
        if not cc:
            return []
        self._set_font(BODY, L.NOTE_PT)
        width = L.TEXT_WIDTH - 2 * L.NOTE_PT - self._width(CC_LABEL, BODY, L.NOTE_PT)
        return wrap(cc[len(CC_LABEL) :], width, self._measure(BODY, L.NOTE_PT))

    def _rule(self, width: float) -> None:
        self.pdf.set_line_width(width)
        self.pdf.line(L.LEFT, self.y, L.PAGE_WIDTH - L.RIGHT, self.y)

    # --- pages, fonts and measures ---------------------------------------------------------

    def _new_page(self) -> None:
        self.pdf.add_page()
        self.y = L.TOP

    def _room(self, height: float) -> None:
        """A new page unless `height` fits below the current line."""
        if self.y + height > L.PAGE_HEIGHT - L.BOTTOM + 0.01:
            self._new_page()

    def _set_font(self, family: str, size: float) -> None:
        self.pdf.set_font(family, size=size)

    def _width(self, text: str, family: str, size: float) -> float:
        """The glyphs' advance, without character spacing (cached per character)."""
        cache = self._widths.setdefault((family, size), {})
        total = 0.0
        for ch in text:
            width = cache.get(ch)
            if width is None:
                font = self.pdf.fonts[family]
                width = cache[ch] = font.get_text_width(ch, size, None)[1]
            total += width
        return total

    def _measure(self, family: str, size: float, spacing: float = 0.0) -> Callable[[str], float]:
        def measure(text: str) -> float:
            return self._width(text, family, size) + spacing * len(text)

        return measure


def _add_font(pdf: FPDF, family: str, font: FontFile) -> None:
    try:
        pdf.add_font(family, "", str(font.path), collection_font_number=font.member)
    except Exception as exc:  # fpdf2 and fontTools raise many kinds for a file they cannot use
        raise unusable(font, str(exc) or type(exc).__name__) from None
    loaded = pdf.fonts[family]
    if not isinstance(loaded, TTFFont) or ord(PROBE) not in loaded.cmap:
        raise unusable(font, "不含中文字符")
