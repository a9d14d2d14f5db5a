"""A 公文 as .docx, written with python-docx on the page of layout.py.

Word keeps the grid itself: the section's document grid is 22 lines × 28 characters
(linesAndChars), body paragraphs have an exact line spacing of one grid line and a first-line
indent of two characters (firstLineChars), fonts are named for Latin and East-Asian text alike
(w:rFonts w:eastAsia), the language is zh-CN (Word's line-breaking rules for Chinese). Page
numbers (— 3 —) sit right on odd pages and left on even ones. Table rows past the first are
copied from it, so a ranking of thousands of units is written in a moment."""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row, CT_Tbl
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_Ind
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run

from weijian.core.dates import chinese_date
from weijian.core.documents import layout as L
from weijian.core.documents.fonts import DocxFonts, docx_fonts
from weijian.core.documents.model import (
    Document,
    Heading,
    Paragraph,
    Table,
    cc_line,
    one_line,
    printable,
)
from weijian.core.documents.wrap import balanced

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
TITLE_PITCH = 1.6 * L.TITLE_PT
TWIPS = 20  # per point
# Border widths in eighths of a point (w:sz).
THICK, THIN, HEADER = round(L.THICK_RULE * 8), round(L.THIN_RULE * 8), round(L.HEADER_RULE * 8)


def docx_bytes(document: Document, *, fonts: DocxFonts | None = None) -> bytes:
    writer = _Writer(fonts or docx_fonts())
    writer.write(document)
    buffer = io.BytesIO()
    writer.doc.save(buffer)
    return buffer.getvalue()


class _Writer:
    def __init__(self, fonts: DocxFonts) -> None:
        self.fonts = fonts
        self.doc: WordDocument = docx.Document()
        _page(self.doc)
        _normal_style(self.doc, fonts.body)
        _page_numbers(self.doc, fonts.body)

    def write(self, document: Document) -> None:
        properties = self.doc.core_properties
        properties.title = document.title
        properties.author = document.issuer
        properties.language = "zh-CN"
        _clear_body(self.doc)
        if document.number:
            self._number(document.number)
        self._title(document.title)
        if document.addressee:
            self._text(f"{document.addressee}：", indent=False, align="justify")
        for block in document.numbered():
            self._block(block)
        self._signature(document)
        self._record(document)

    def _block(self, block: Heading | Paragraph | Table) -> None:
        if isinstance(block, Heading):
            font = self.fonts.heading if block.level == 1 else self.fonts.body
            paragraph = self._text(block.text, font=font, bold=block.level == 2)
            paragraph.paragraph_format.keep_with_next = True
        elif isinstance(block, Paragraph):
            for part in block.text.splitlines() or [""]:
                self._text(part.strip())
        else:
            _table(self.doc, block, self.fonts)

    # --- parts -----------------------------------------------------------------------------

    def _number(self, number: str) -> None:
        """发文字号 centred over the red rule, then a blank line."""
        paragraph = self._text(number, indent=False, align="center")
        _border(paragraph, "bottom", size=HEADER, color="FF0000", space=4)
        self._text("", indent=False)

    def _title(self, title: str) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _exact(paragraph, TITLE_PITCH)
        lines = balanced(title, L.TEXT_WIDTH, lambda text: L.text_width_chars(text) * L.TITLE_PT)
        for number, line in enumerate(lines):
            run = _run(paragraph, line, self.fonts.title, L.TITLE_PT, bold=True)
            if number < len(lines) - 1:
                run.add_break()
        self._text("", indent=False)

    def _signature(self, document: Document) -> None:
        if not document.issuer and document.date is None:
            return
        date = chinese_date(document.date) if document.date else ""
        issuer_right, date_right = L.signature_offsets(document.issuer, date)
        self._text("", indent=False)
        for text, right in ((document.issuer, issuer_right), (date, date_right)):
            if text:
                paragraph = self._text(text, indent=False, align="right")
                _indent(paragraph, "right", right, L.CHAR_PITCH)

    def _record(self, document: Document) -> None:
        """版记: 抄送 and 印发 between full-width rules (thick, thin between, thick)."""
        cc = cc_line(document.cc)
        printed = chinese_date(document.printed_on) + "印发" if document.printed_on else ""
        if not cc and not (document.printer or printed):
            return
        self._text("", indent=False)
        self._rule(THICK)
        if cc:
            paragraph = self._note(cc)
            label = 3 * L.NOTE_PT  # 抄送：
            paragraph.paragraph_format.left_indent = Pt(L.NOTE_PT + label)
            paragraph.paragraph_format.first_line_indent = Pt(-label)
        if document.printer or printed:
            if cc:
                self._rule(THIN)
            paragraph = self._note(document.printer)
            stop = L.TEXT_WIDTH - L.NOTE_PT  # (tab stops count from the page's left margin)
            paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(stop), WD_TAB_ALIGNMENT.RIGHT)
            if printed:
                _run(paragraph, "\t" + printed, self.fonts.body, L.NOTE_PT)
        self._rule(THICK)

    def _note(self, text: str) -> WordParagraph:
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Pt(L.NOTE_PT)
        paragraph.paragraph_format.right_indent = Pt(L.NOTE_PT)
        _exact(paragraph, L.LINE_PITCH)
        if text:
            _run(paragraph, text, self.fonts.body, L.NOTE_PT)
        return paragraph

    def _rule(self, size: int) -> None:
        """A full-width rule: an empty paragraph one point high with a bottom border."""
        paragraph = self.doc.add_paragraph()
        _exact(paragraph, 1)
        _no_grid(paragraph)
        _border(paragraph, "bottom", size=size, color="000000", space=0)

    def _text(
        self,
        text: str,
        *,
        font: str | None = None,
        bold: bool = False,
        indent: bool = True,
        align: str = "justify",
    ) -> WordParagraph:
        """A body paragraph: 3号, one grid line high, first line indented two characters."""
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = ALIGN[align]
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(L.INDENT)
            _ind(paragraph).set(qn("w:firstLineChars"), "200")
        if text:
            _run(paragraph, text, font or self.fonts.body, L.BODY_PT, bold=bold)
        return paragraph


# --- the page, the styles, the footers -------------------------------------------------------


def _page(doc: WordDocument) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(L.PAGE_WIDTH_MM), Mm(L.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(L.TOP_MM), Mm(L.BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(L.LEFT_MM), Mm(L.RIGHT_MM)
    section.header_distance = Pt(15 * L.MM)
    # The page number's top 7 mm below the text block; the footer distance is to its bottom.
    section.footer_distance = Pt(L.BOTTOM - L.PAGE_NUMBER_GAP - 1.2 * L.NOTE_PT)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(int(L.LINE_PITCH * TWIPS)))
    # charSpace: the grid's character pitch minus the default font size, in 1/4096 pt.
    grid.set(qn("w:charSpace"), str(round((L.CHAR_PITCH - L.BODY_PT) * 4096)))


def _normal_style(doc: WordDocument, font: str) -> None:
    style = doc.styles["Normal"]
    style.font.size = Pt(L.BODY_PT)
    _font_names(style.element.get_or_add_rPr(), font)
    rpr = style.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    paragraph = style.paragraph_format
    paragraph.space_before = paragraph.space_after = Pt(0)
    paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.line_spacing = Pt(L.LINE_PITCH)


def _page_numbers(doc: WordDocument, font: str) -> None:
    """— PAGE — in 4号: right (one character in) on odd pages, left on even pages."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = ALIGN[side]
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _indent(paragraph, side, 1, L.NOTE_PT)
        _run(paragraph, "— ", font, L.NOTE_PT)
        _page_field(paragraph, font)
        _run(paragraph, " —", font, L.NOTE_PT)


def _page_field(paragraph: WordParagraph, font: str) -> None:
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("", "1")):
        run = _run(paragraph, "", font, L.NOTE_PT)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind:
            run._r.append(_fld_char(kind))
        else:
            run.text = text
    _run(paragraph, "", font, L.NOTE_PT)._r.append(_fld_char("end"))


def _fld_char(kind: str) -> BaseOxmlElement:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def _clear_body(doc: WordDocument) -> None:
    """The default template starts with no paragraph; keep it so (the section stays)."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


# --- tables ----------------------------------------------------------------------------------


def _table(doc: WordDocument, table: Table, fonts: DocxFonts) -> None:
    widths = [Pt(width) for width in table.column_widths(L.TEXT_WIDTH)]
    word = doc.add_table(rows=1, cols=len(widths))
    word.style = doc.styles["Table Grid"]
    word.alignment = WD_TABLE_ALIGNMENT.CENTER
    word.autofit = False
    header = word.rows[0]
    _repeat_header(header._tr)
    for column, (cell, width) in enumerate(zip(header.cells, widths, strict=True)):
        cell.width = width
        _cell(cell, table.header[column], fonts.heading, table.size, "center")
    if table.rows:
        template = word.add_row()
        aligns = [table.column_align(column) for column in range(len(widths))]
        for column, (cell, width) in enumerate(zip(template.cells, widths, strict=True)):
            cell.width = width
            _cell(cell, str(table.rows[0][column]), fonts.body, table.size, aligns[column])
        _copy_rows(word._tbl, template._tr, table.rows[1:])
    _after_table(doc)


def _cell(cell: _Cell, text: str, font: str, size: float, align: str) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = ALIGN[align]
    _exact(paragraph, size * 1.35)
    _no_grid(paragraph)
    # Always one run with one w:t, so that the copied rows can be filled in place.
    # (one_line: a tab or a break would become an element of its own in the run)
    text = one_line(text)
    _run(paragraph, text, font, size)
    if not text:
        paragraph.runs[0]._r.append(OxmlElement("w:t"))


def _copy_rows(tbl: CT_Tbl, template: CT_Row, rows: Sequence[Sequence[object]]) -> None:
    for row in rows:
        tr = copy.deepcopy(template)
        for element, value in zip(tr.findall(".//" + qn("w:t")), row, strict=True):
            element.text = one_line(value)
        tbl.append(tr)


def _repeat_header(tr: CT_Row) -> None:
    properties = tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        properties.append(OxmlElement(tag))


def _after_table(doc: WordDocument) -> None:
    """Word needs a paragraph between a table and what follows; half a line."""
    paragraph = doc.add_paragraph()
    _exact(paragraph, L.LINE_PITCH / 2)
    _no_grid(paragraph)


# --- runs and paragraph properties -----------------------------------------------------------


def _run(paragraph: WordParagraph, text: str, font: str, size: float, *, bold: bool = False) -> Run:
    run = paragraph.add_run(printable(text))
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    _font_names(run._r.get_or_add_rPr(), font)
    return run


def _font_names(rpr: CT_RPr, font: str) -> None:
    """The font for every script: ascii, hAnsi, East-Asian and complex."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), font)


def _exact(paragraph: WordParagraph, points: float) -> None:
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(points)


def _no_grid(paragraph: WordParagraph) -> None:
    element = OxmlElement("w:snapToGrid")
    element.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().insert_element_before(element, *_after("w:snapToGrid"))


def _ind(paragraph: WordParagraph) -> CT_Ind:
    return paragraph._p.get_or_add_pPr().get_or_add_ind()


def _indent(paragraph: WordParagraph, side: str, chars: float, pitch: float) -> None:
    """An indent of `chars` characters, in points and in Word's character units."""
    setattr(paragraph.paragraph_format, f"{side}_indent", Pt(chars * pitch))
    _ind(paragraph).set(qn(f"w:{side}Chars"), str(round(chars * 100)))


def _border(paragraph: WordParagraph, side: str, *, size: int, color: str, space: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)
    ppr.insert_element_before(borders, *_after("w:pBdr"))


# The children of w:pPr in schema order: a new one goes before the first present successor.
PPR_ORDER = (
    *("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr"),
    *("w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs"),
    *("w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct"),
    *("w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid"),
    *("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap"),
    *("w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl"),
    *("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
)


def _after(tag: str) -> tuple[str, ...]:
    return PPR_ORDER[PPR_ORDER.index(tag) + 1 :]
