"""The page of a generated 公文 (RULES.md "Documents", after GB/T 9704-2012): A4, margins
37/35/28/26 mm (top/bottom/left/right), so a text block of 156 × 225 mm holding 22 lines of 28
characters of 3号 (16 pt) body text; the title in 2号 (22 pt); the 版记 and page numbers in
4号 (14 pt). Lengths here are in points."""

from __future__ import annotations

MM = 72 / 25.4  # points per millimetre

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
LINES, CHARS = 22, 28

BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
NOTE_PT = 14.0  # 4号: 版记, page numbers

PAGE_WIDTH, PAGE_HEIGHT = PAGE_WIDTH_MM * MM, PAGE_HEIGHT_MM * MM
TOP, BOTTOM, LEFT, RIGHT = TOP_MM * MM, BOTTOM_MM * MM, LEFT_MM * MM, RIGHT_MM * MM
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT  # 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM  # 225 mm
LINE_PITCH = TEXT_HEIGHT / LINES  # ≈ 28.99 pt
CHAR_PITCH = TEXT_WIDTH / CHARS  # ≈ 15.79 pt: a 16 pt character, slightly condensed
INDENT = 2 * BODY_PT  # the first line of a paragraph: two characters
PAGE_NUMBER_GAP = 7 * MM  # the page number sits 7 mm below the text block

# 版记 rules: the first and last thick (0.35 mm), the ones between thin (0.25 mm).
THICK_RULE, THIN_RULE = 0.35 * MM, 0.25 * MM
HEADER_RULE = 0.5 * MM  # the red rule under the 发文字号
RED = (255, 0, 0)


def text_width_chars(text: str) -> float:
    """The width of `text` in body characters: a CJK (full-width) character is one, anything
    else half (digits and Latin letters in a 仿宋 body are half-width)."""
    return sum(1.0 if _full_width(ch) else 0.5 for ch in text)


def _full_width(ch: str) -> bool:
    code = ord(ch)
    return code >= 0x2E80 and not 0xFF61 <= code <= 0xFFDC


def signature_offsets(issuer: str, date: str) -> tuple[float, float]:
    """How many characters the issuer's line and the date's line stand in from the right margin
    (a notice without a seal, GB/T 9704-2012 §7.3.5.2): the issuer two, the date's first
    character two to the right of the issuer's; when the date would then stand in less than two,
    it stands in two and the issuer moves left to keep the two-character step."""
    issuer_width, date_width = text_width_chars(issuer), text_width_chars(date)
    date_right = issuer_width - date_width
    if date_right >= 2:
        return 2.0, date_right
    return 2.0 + date_width + 2.0 - issuer_width, 2.0
