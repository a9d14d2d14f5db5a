"""Text copied out of a PDF: page furniture, letter-spaced titles, lines broken every ~30 chars.

`unwrap(segments, keep=…)` takes the parser's numbered segments (normalised lines) and gives them
back as paragraphs:

- page furniture is dropped: page numbers on a line of their own (— 3 —, - 12 -, 第3页) and a
  running header, a line of 6 to 40 characters repeated on three pages or more (the first
  occurrence stays: it is often the document's own title);
- a letter-spaced line (黎 阳 市 推 进 …, 一、 总 体 要 求) loses the spaces between its characters;
- a line broken in mid-sentence is joined to the next one. Always when it leaves a bracket open
  that the next line closes ("（市卫生健康委牵" / "头，市财政局配合）"), or ends with a comma or
  an enumeration comma; and, in a document most of whose lines run to the same width without
  ending a sentence (a PDF copy), whenever a full-width line does not end a sentence or a
  responsibility marker. A line that starts a numbered item, a key (牵头单位：), an attachment,
  a dash bullet (——) or a note (注：) is never joined to the line before it.
- a note (注：…) that interrupts a broken sentence (a footnote at the foot of a page) is taken
  out of the sentence and put after the paragraph, where the parser reports it.

The joined paragraph keeps the number of its first line. Segments of table rows (`keep`) and
pieces of one line (split at &nbsp; residue) are left as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from weijian.core.text.lines import is_boilerplate
from weijian.core.text.normalize import HAN
from weijian.core.text.numerals import split_label
from weijian.plans.importers.deadlines import parse_deadline
from weijian.plans.importers.header import TITLE_WORDS
from weijian.plans.importers.markers import UNIT_KEYS, find_markers, is_key_line, looks_like_units
from weijian.plans.importers.table_rows import TABLE_END

_PAGE_NUMBER = re.compile(
    r"^(?:[-—~]+\s*\d{1,4}\s*[-—~]+|第\s*\d{1,4}\s*页(?:\s*[/,，]?\s*共\s*\d{1,4}\s*页)?)$"
)
_SPACED_GAP = re.compile(f"(?<=[{HAN}])\\s(?=[{HAN}])")
_HAN_PAIR = re.compile(f"(?<=[{HAN}])(?=[{HAN}])")
_SPACE_BY_CJK = re.compile(f"(?<=[{HAN}\u3001\u3002\u201c\u201d\u300a\u300b])\\s+|\\s+(?=[{HAN}])")
_NOTE = re.compile(r"^(?:注|附注|备注)\s*\d{0,2}\s*[:：]")
_OPEN_KEY = re.compile(r"【\s*(?:" + "|".join(UNIT_KEYS) + r")\s*】$")
# Not ; or :, which go on: …其他为配合单位； / 各市… and 完成时限： / 2024年底前.
_SENTENCE_END = "。.!?！？"
_OPENERS, _CLOSERS = "(（〔[【", ")）〕]】"
_BLOCK_START = re.compile(r"^(?:附件|——|[\ue000-\ue013]|第[一二三四五六七八九十百\d]+[条章节部分])")
_SIGNED = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")

MIN_LINE = 20  # a PDF's line is at least this wide (in Chinese characters)
SLACK = 3.0  # a full line may be this much narrower: punctuation hangs, digits are narrow
HEADER_REPEATS = 3
MIN_BROKEN = 4  # lines running to the full width without ending a sentence: a PDF copy


def unwrap(
    segments: list[tuple[int, str]], *, keep: Iterable[int] = (), widths: dict[int, float]
) -> list[tuple[int, str]]:
    """The segments with page furniture dropped and broken lines joined (see the docstring).
    `widths` gives each line's width as written (`width_of` the raw line)."""
    kept = set(keep)
    segments = [(n, _unspace(t)) if n not in kept else (n, t) for n, t in segments]
    segments = _drop_furniture(segments, kept)
    width = _page_width(segments, kept, widths)
    return _Joiner(width, kept, widths).run(segments)


def width_of(text: str) -> float:
    """Columns a line takes as written (before normalising): a Chinese character, a full-width
    digit or mark 1, an ASCII letter, digit or mark ½."""
    text = text.rstrip()  # a first line's indent takes its place on the page
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def _unspace(text: str) -> str:
    """黎 阳 市 推 进 → 黎阳市推进, when most neighbouring Chinese characters are spaced."""
    gaps = len(_SPACED_GAP.findall(text))
    if gaps < 3 or gaps < len(_HAN_PAIR.findall(text)):
        return text
    return _SPACE_BY_CJK.sub("", text)


def _drop_furniture(segments: list[tuple[int, str]], kept: set[int]) -> list[tuple[int, str]]:
    counts = Counter(text for number, text in segments if number not in kept)
    seen: set[str] = set()
    result = []
    for number, text in segments:
        if number in kept:
            result.append((number, text))
            continue
        if _PAGE_NUMBER.match(text):
            continue
        if counts[text] >= HEADER_REPEATS and _running_header(text):
            if text in seen:
                continue
            seen.add(text)
        result.append((number, text))
    return result


def _running_header(text: str) -> bool:
    """Whether a repeated line may be a page header: short, no sentence, no task, no unit."""
    deadline = parse_deadline(text, doc_year=2000)
    return (
        6 <= len(text) <= 40
        and not re.search(r"[。;；,，]", text)
        and not (deadline.on or deadline.open_ended)
        and not _starts_block(text)
        and not looks_like_units(text)
        and not find_markers(text)
    )


def _page_width(
    segments: list[tuple[int, str]], kept: set[int], written: dict[int, float]
) -> float | None:
    """The width of a full line when most lines run to it without ending a sentence (a PDF
    copy), else None."""
    lines = [(n, t) for n, t in segments if n not in kept]
    widths = [written.get(n, width_of(t)) for n, t in lines]
    unended = [
        w for w, (_, t) in zip(widths, lines, strict=True) if w >= MIN_LINE - SLACK and not _ends(t)
    ]
    if len(unended) < MIN_BROKEN:
        return None
    best = max({round(w) for w in unended}, key=lambda c: (_near(unended, c), c))
    full = [w for w in widths if best - SLACK <= w <= best + 0.5]
    broken = _near(unended, best)
    wider = sum(w > best + 2 for w in widths)  # a page has no line wider than its width
    if best < MIN_LINE or broken < MIN_BROKEN or broken < 0.5 * len(full):
        return None
    return float(best) if wider <= max(2, 0.1 * len(full)) else None


def _near(widths: list[float], centre: int) -> int:
    """How many lines run (nearly) to `centre`."""
    return sum(centre - SLACK <= w <= centre + 0.5 for w in widths)


def _ends(text: str) -> bool:
    """Whether a line ends a sentence or a responsibility marker."""
    if text[-1] in _SENTENCE_END:
        return True
    if _OPEN_KEY.search(text):
        return False  # …【牵头单位】: the units follow on the next line
    if text[-1] in _CLOSERS:
        start = _last_group(text)
        return start is not None and bool(find_markers(text[start:]))
    return False


def _last_group(text: str) -> int | None:
    """The start of the bracket group that closes the text (None when the text does not end
    with a closing bracket)."""
    if not text or text[-1] not in _CLOSERS:
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] in _CLOSERS:
            depth += 1
        elif text[index] in _OPENERS:
            depth -= 1
            if depth == 0:
                return index
    return None


def _starts_block(text: str) -> bool:
    """Whether a line starts something of its own: an item, a key, a note, an attachment, a
    bracketed line ((2024年2月19日通过), (市卫健委牵头))."""
    return bool(
        _last_group(text) == 0
        or split_label(text)
        or _BLOCK_START.match(text)
        or _NOTE.match(text)
        or _SIGNED.match(text)
        or is_key_line(text)
        or is_boilerplate(text)
    )


def _split_number(before: str, text: str) -> bool:
    """A number broken over two lines (提高到4 / 0%, 2０ / ２４年)."""
    if before[-1].isdigit():
        return text[0].isdigit() or text[0] in "%‰."
    return before[-1] == "." and before[-2:-1].isdigit() and text[0].isdigit()  # 4. / 5级


def _unclosed(text: str) -> bool:
    return sum(text.count(ch) for ch in _OPENERS) > sum(text.count(ch) for ch in _CLOSERS)


def _closes(text: str) -> bool:
    """Whether the line closes a bracket before opening one."""
    for ch in text:
        if ch in _OPENERS:
            return False
        if ch in _CLOSERS:
            return True
    return False


class _Joiner:
    """Joins broken lines; `tails` holds the last physical line of each paragraph so far."""

    def __init__(self, width: float | None, kept: set[int], widths: dict[int, float]) -> None:
        self.width = width
        self.kept = kept
        self.widths = widths

    def run(self, segments: list[tuple[int, str]]) -> list[tuple[int, str]]:
        result: list[tuple[int, str]] = []
        tails: list[tuple[int, str]] = []
        notes: list[tuple[int, str]] = []  # notes met inside the open paragraph
        index = 0
        while index < len(segments):
            segment = segments[index]
            index += 1
            if tails and self.joins(tails[-1], segment):
                result[-1] = (result[-1][0], result[-1][1] + segment[1])
                tails[-1] = segment
                continue
            if tails and _NOTE.match(segment[1]) and self.open(tails[-1]):
                note, after = self.note(segments, index - 1)
                if after < len(segments) and self.joins(tails[-1], segments[after]):
                    notes.append(note)  # a footnote inside a broken sentence: after it
                    index = after
                    continue
            result.extend(notes)
            tails.extend(notes)
            notes = []
            result.append(segment)
            tails.append(segment)
        return result + notes

    def note(self, segments: list[tuple[int, str]], index: int) -> tuple[tuple[int, str], int]:
        """A note and the lines it runs over; the index after it."""
        number, text = segments[index]
        tail = segments[index]
        index += 1
        while index < len(segments) and self.joins(tail, segments[index]):
            tail = segments[index]
            text += tail[1]
            index += 1
        return (number, text), index

    def open(self, line: tuple[int, str]) -> bool:
        """Whether a physical line leaves its sentence open (full width, no sentence end)."""
        number, text = line
        if self.width is None or number in self.kept or not text:
            return False
        written = self.widths.get(number, width_of(text))
        # a title's last line ends it (no punctuation in it), but a notice goes on to its 的通知
        title = bool(TITLE_WORDS.search(text)) and not re.search(r"关于|[:：,，、。;；]", text)
        title = title or text.endswith("通知")
        return written >= self.width - SLACK and not _ends(text) and not title

    def joins(self, previous: tuple[int, str], segment: tuple[int, str]) -> bool:
        """Whether `segment` continues the physical line before it."""
        (before_number, before), (number, text) = previous, segment
        if number in self.kept or before_number in self.kept or number == before_number:
            return False
        if not before or not text or TABLE_END in (before, text) or split_label(text):
            return False
        if _unclosed(before) and (_closes(text) or before[-1] in _OPENERS or self.open(previous)):
            return True  # (市卫生健康委牵 / 头，…), even before a key: …。（ / 牵头单位：…
        if before[-1] in ",，、" or text[0] == "的" or _split_number(before, text):
            return True  # 责任单位：A、 / B, …方案 / 的通知, or 提高到4 / 0%
        return not _starts_block(text) and self.open(previous)
