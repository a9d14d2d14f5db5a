"""The 公文 writer: line breaking, heading numbers and the 落款 offsets without files; then a
sample notice written as .docx (opened with python-docx) and as .pdf (its text extracted and its
first page rendered to test-artifacts/documents-sample.png for a person to look at)."""

from __future__ import annotations

import datetime
import io

import pypdfium2 as pdfium
import pytest
from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from weijian.conftest import ARTIFACTS
from weijian.core.documents import (
    Document,
    FontError,
    Heading,
    Paragraph,
    Table,
    docx_bytes,
    pdf_bytes,
)
from weijian.core.documents.layout import signature_offsets, text_width_chars
from weijian.core.documents.model import cc_line, heading_label
from weijian.core.documents.wrap import NO_START, balanced, wrap


def chars(text: str) -> float:
    """A measure: one unit per Chinese character, half for anything else."""
    return text_width_chars(text)


# --- pure parts ----------------------------------------------------------------------------


def test_wrap_fills_lines_and_keeps_latin_runs_whole():
    lines = wrap("本期报送率为95.2%，及时率为88.0%，均较上月提高。", 10, chars)
    assert "".join(lines) == "本期报送率为95.2%，及时率为88.0%，均较上月提高。"
    assert all(chars(line) <= 10 for line in lines)
    assert not any("95.2%" not in text and "95" in text for text in lines)


def test_a_line_never_starts_with_closing_punctuation():
    text = "一二三四五六七八九十，一二三四五六七八九十。一二三四五六七八九十》"
    for width in range(4, 14):
        lines = wrap(text, width, chars)
        assert "".join(lines) == text
        assert all(line[0] not in NO_START for line in lines[1:]), (width, lines)


def test_a_line_never_ends_with_opening_punctuation():
    lines = wrap("一二三四五六七八九《十一》", 10, chars)
    assert lines == ["一二三四五六七八九", "《十一》"]


def test_an_indented_first_line_is_shorter():
    lines = wrap("一" * 30, 28, chars, first=26)
    assert [len(line) for line in lines] == [26, 4]


def test_a_title_breaks_evenly_and_never_inside_a_book_title():
    title = "关于2024年5月《健康萍乡行动方案》任务进展情况的通报"
    assert balanced(title, 20, chars) == ["关于2024年5月《健康萍乡行动方案》", "任务进展情况的通报"]
    assert balanced("关于印发工作要点的通知", 20, chars) == ["关于印发工作要点的通知"]


def test_headings_are_numbered_per_level_and_restart_below():
    document = Document(
        title="t",
        blocks=[
            Heading("甲"),
            Heading("甲一", 2),
            Heading("甲二", 2),
            Heading("细", 3),
            Heading("更细", 4),
            Heading("乙"),
            Heading("乙一", 2),
        ],
    )
    texts = [block.text for block in document.numbered() if isinstance(block, Heading)]
    assert texts == [
        *("一、甲", "（一）甲一", "（二）甲二", "1.细", "（1）更细"),
        *("二、乙", "（一）乙一"),
    ]
    assert heading_label(1, 11) == "十一、"


def test_signature_centres_the_issuer_over_the_date():
    # A long issuer stands in two characters; the date starts two characters to its right.
    # (2024年6月5日 is six characters wide: its digits are half-width.)
    assert signature_offsets("萍乡市卫生健康委员会", "2024年6月5日") == (2.0, 4.0)
    # A short issuer: the date stands in two, the issuer keeps the two-character step.
    assert signature_offsets("某局", "2024年10月15日") == (9.0, 2.0)


def test_cc_line_joins_names_with_commas_and_ends_with_a_full_stop():
    assert cc_line(["市委办公室", " 市政府办公室。", ""]) == "抄送：市委办公室，市政府办公室。"
    assert cc_line([]) == ""


# --- files ---------------------------------------------------------------------------------

SAMPLE = Document(
    title="关于2024年5月《健康萍乡行动方案》任务进展情况的通报",
    number="萍卫通〔2024〕5号",
    addressee="各有关单位",
    blocks=[
        Paragraph("现将2024年5月各单位任务进展报送情况通报如下。"),
        Heading("总体情况"),
        Paragraph("本期应报送单位2个，报送率83.3%，及时率66.7%。"),
        Heading("各单位排名"),
        Heading("计分方法", 2),
        Table(
            header=["位次", "单位", "报送率"],
            rows=[["1", "莲花县卫生健康委员会", "100.0%"], ["2", "莲花县人民医院", "50.0%"]],
            widths=[1, 4, 2],
            align=["center", "left", "right"],
        ),
    ],
    issuer="萍乡市卫生健康委员会",
    date=datetime.date(2024, 6, 5),
    cc=["市委办公室", "市政府办公室"],
    printer="萍乡市卫生健康委员会",
    printed_on=datetime.date(2024, 6, 5),
)


def east_asian(run) -> str:
    """The East-Asian font a run names (w:rFonts w:eastAsia)."""
    return "".join(run._r.xpath("./w:rPr/w:rFonts/@w:eastAsia"))


def _texts(word) -> list[str]:
    return [paragraph.text for paragraph in word.paragraphs]


@pytest.fixture(scope="module")
def sample_docx() -> bytes:
    return docx_bytes(SAMPLE)


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return pdf_bytes(SAMPLE)


def test_docx_page_fonts_and_grid(sample_docx):
    word = open_docx(io.BytesIO(sample_docx))
    section = word.sections[0]
    # Word keeps lengths in twips: 210 mm is 11906 twips.
    sizes = [section.page_width, section.page_height]
    assert [size.twips for size in sizes if size is not None] == [11906, 16838]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(margin.mm) for margin in margins if margin is not None] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert 22 * int(grid.get(qn("w:linePitch"))) <= Mm(225).twips < 23 * 579
    normal = word.styles["Normal"]
    assert normal.font.size == Pt(16)
    fonts = normal.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "Noto Serif CJK SC"
    assert normal.element.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_docx_title_body_signature_and_cc(sample_docx):
    word = open_docx(io.BytesIO(sample_docx))
    texts = _texts(word)
    title = next(p for p in word.paragraphs if "通报" in p.text and p.text.startswith("关于"))
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(run.font.size == Pt(22) and run.font.bold for run in title.runs)
    assert title.text == "关于2024年5月《健康萍乡行动方案》\n任务进展情况的通报"
    assert texts[0] == "萍卫通〔2024〕5号"
    assert "各有关单位：" in texts
    body = next(p for p in word.paragraphs if p.text.startswith("本期应报送"))
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert body.paragraph_format._element.pPr.ind.get(qn("w:firstLineChars")) == "200"
    assert body.runs[0].font.size == Pt(16)
    assert ["一、总体情况", "二、各单位排名", "（一）计分方法"] == [
        text for text in texts if text and text[0] in "一二（"
    ]
    heading = next(p for p in word.paragraphs if p.text == "一、总体情况")
    assert east_asian(heading.runs[0]) == "Noto Sans CJK SC"
    issuer = texts.index("萍乡市卫生健康委员会")
    assert texts[issuer + 1] == "2024年6月5日"
    assert word.paragraphs[issuer].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert "抄送：市委办公室，市政府办公室。" in texts
    assert texts[-2] == "萍乡市卫生健康委员会\t2024年6月5日印发"


def test_docx_table_and_page_numbers(sample_docx):
    word = open_docx(io.BytesIO(sample_docx))
    (table,) = word.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [
        ["位次", "单位", "报送率"],
        ["1", "莲花县卫生健康委员会", "100.0%"],
        ["2", "莲花县人民医院", "50.0%"],
    ]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert table.rows[2].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    section = word.sections[0]
    assert word.settings.odd_and_even_pages_header_footer
    for footer, side in ((section.footer, "RIGHT"), (section.even_page_footer, "LEFT")):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == getattr(WD_ALIGN_PARAGRAPH, side)
        assert "PAGE" in paragraph._p.xml and paragraph.text.startswith("— ")


def test_a_large_table_is_written_quickly_in_order():
    rows = [[str(n), f"单位{n}", f"{n}%"] for n in range(1, 3001)]
    document = Document(title="排名", blocks=[Table(["位次", "单位", "比例"], rows)])
    word = open_docx(io.BytesIO(docx_bytes(document)))
    table = word.tables[0]
    assert len(table.rows) == 3001
    assert [cell.text for cell in table.rows[3000].cells] == ["3000", "单位3000", "3000%"]


def test_table_cells_lose_tabs_breaks_and_control_characters():
    rows = [["", "甲\t乙"], ["丙\n丁", "\x0b"], ["戊", ""]]
    document = Document(title="表", blocks=[Table(["一", "二"], rows)])
    word = open_docx(io.BytesIO(docx_bytes(document)))
    assert [[cell.text for cell in row.cells] for row in word.tables[0].rows] == [
        ["一", "二"],
        ["", "甲 乙"],
        ["丙 丁", ""],
        ["戊", ""],
    ]
    assert "甲乙" in flat(pdf_text(pdf_bytes(document)))


def pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def flat(text: str) -> str:
    return "".join(text.split())


def test_pdf_has_the_text_on_a4_and_renders_readably(sample_pdf):
    data = sample_pdf
    assert data.startswith(b"%PDF")
    text = flat(pdf_text(data))
    for expected in [
        "萍卫通〔2024〕5号",
        "关于2024年5月《健康萍乡行动方案》任务进展情况的通报",
        "各有关单位：",
        "一、总体情况",
        "（一）计分方法",
        "1莲花县卫生健康委员会100.0%",
        "2莲花县人民医院50.0%",
        "萍乡市卫生健康委员会2024年6月5日",
        "抄送：市委办公室，市政府办公室。",
        "2024年6月5日印发",
        "—1—",
    ]:
        assert expected in text, expected
    pdf = pdfium.PdfDocument(data)
    page = pdf[0]
    assert [round(side) for side in page.get_size()] == [595, 842]
    ARTIFACTS.mkdir(exist_ok=True)
    image = page.render(scale=1.5).to_pil()
    image.save(ARTIFACTS / "documents-sample.png")
    # Ink on the page: the title and body are drawn with the embedded font, not left blank.
    assert image.convert("L").getextrema()[0] < 64
    pdf.close()


def test_pdf_embeds_its_fonts(sample_pdf):
    data = sample_pdf
    assert data.count(b"/FontFile3") + data.count(b"/FontFile2") >= 3


def test_a_missing_font_file_names_the_setting(settings):
    settings.WEIJIAN_PDF_FONT = "/nonexistent/fangsong.ttf"
    with pytest.raises(FontError, match="WEIJIAN_PDF_FONT") as raised:
        pdf_bytes(SAMPLE)
    assert "找不到字体文件“/nonexistent/fangsong.ttf”" in str(raised.value)


def test_a_file_that_is_not_a_font_is_refused(settings, tmp_path):
    fake = tmp_path / "fake.ttf"
    fake.write_bytes(b"not a font at all")
    settings.WEIJIAN_PDF_TITLE_FONT = str(fake)
    with pytest.raises(FontError, match="WEIJIAN_PDF_TITLE_FONT"):
        pdf_bytes(SAMPLE)


def test_empty_title_and_heading_fonts_mean_the_body_font(settings):
    settings.WEIJIAN_PDF_TITLE_FONT = ""
    settings.WEIJIAN_PDF_HEADING_FONT = ""
    settings.WEIJIAN_DOCUMENT_TITLE_FONT = ""
    settings.WEIJIAN_DOCUMENT_FONT = "仿宋_GB2312"
    assert "一、总体情况" in flat(pdf_text(pdf_bytes(SAMPLE)))
    word = open_docx(io.BytesIO(docx_bytes(SAMPLE)))
    title = next(p for p in word.paragraphs if p.text.startswith("关于"))
    assert east_asian(title.runs[0]) == "仿宋_GB2312"
