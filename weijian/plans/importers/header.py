"""The head and tail of a plan document: the notice (关于印发X的通知), the plan's title X (repeated
before the body, sometimes broken over two or three lines), the 发文字号, the signing year, and
the attachment titles listed after the body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from weijian.core.docnumbers import DocNumber, find_docnumbers
from weijian.core.text.normalize import display
from weijian.plans.importers.tree import restore_circled

NOTICE = re.compile(r"关于(?:印发|转发|下发|公布)(?P<title>.{2,80}?)的通知$")
TITLE_WORDS = re.compile(
    r"(方案|规划|纲要|计划|意见|要点|清单|分工|办法|措施|任务|分工表|任务表)(?:\([^()]{2,20}\))?$"
)
_DATE = re.compile(r"(\d{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_CN_DIGITS = "〇○零一二三四五六七八九"
_CN_TO_ARABIC = str.maketrans(_CN_DIGITS, "000123456789")
SIGNED = re.compile(
    rf"^(?:\d{{4}}|[{_CN_DIGITS}]{{4}})\s*年\s*(?:\d{{1,2}}|[一二三四五六七八九十]{{1,2}})\s*月"
    r"\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$"
)
_ATTACHMENT_LINE = re.compile(r"^附件\s*(?P<number>\d+)?\s*:?\s*(?P<rest>.*)$")
_ITEM_SPLIT = re.compile(r"[\s;；]+(?=\d{1,2}\s*[.、](?!\d))")  # 附件：1.X 2.Y on one line
_LIST_ITEM = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[.、](?!\d)\s*(?P<title>.+)$")


def signed_year(tail: list[tuple[int, str]]) -> int | None:
    """The year of the signing date after the body (2021年6月8日 / 二〇二一年六月八日)."""
    for _, seg in tail[:12]:
        digits = seg[:4].translate(_CN_TO_ARABIC)
        if SIGNED.match(seg) and digits.isdigit():
            return int(digits)
    return None


def title_year(title: str) -> int | None:
    """The year a title names (2023年重点工作任务; 2022—2024年: its first year)."""
    found = re.search(r"(?<!\d)(\d{4})\s*(?:年|[-—~至到]\s*\d{4}\s*年)", title)
    return int(found[1]) if found and 1949 <= int(found[1]) <= 2100 else None


def attachments(tail: list[tuple[int, str]], plan_title: str) -> list[str]:
    """Titles listed after 附件： (1.X / 2.Y, or 附件1：X / 附件2：Y), or else the line after
    each 附件N that opens an attachment's own pages. The plan itself (a notice's 附件) is left
    out."""
    titles: list[str] = []
    listing = pages = False
    for index, (_, seg) in enumerate(tail):
        found = _ATTACHMENT_LINE.match(seg)
        if found and found["rest"]:
            for part in _ITEM_SPLIT.split(found["rest"]):
                item = _LIST_ITEM.match(part)
                titles.append(item["title"] if item else part)
            listing = True
        elif found and found["number"] is None:
            listing = True  # 附件： alone, the list follows
        elif found:
            if titles and not pages:
                break  # the attachments' own pages begin after the list
            pages = True
            if index + 1 < len(tail):
                titles.append(tail[index + 1][1])
        elif listing and not pages and (item := _LIST_ITEM.match(seg)):
            titles.append(item["title"])
        elif listing and not pages:
            break
    key = _title_key(plan_title)
    result: list[str] = []
    for title in (_display(t.strip(" 。;")) for t in titles):
        if title and _title_key(title) != key and title not in result:
            result.append(title)
    return result


@dataclass
class Header:
    title: str = ""
    number: str | None = None
    year: int | None = None
    body_start: int = 0

    @classmethod
    def read(cls, segs: list[tuple[int, str]]) -> Header:
        header = cls()
        notice = max((i for i, (_, s) in enumerate(segs) if NOTICE.search(s)), default=None)
        if notice is not None:
            match = NOTICE.search(segs[notice][1])
            header.title = match["title"].strip("《》") if match else ""
            header.body_start = notice + 1
            key = _title_key(header.title)
            for index in range(notice + 1, len(segs)):
                parts = _title_parts(segs, index, key)
                if parts:
                    header.body_start = index + parts
                    break
        else:
            for index, (_, seg) in enumerate(segs[:15]):
                if len(seg) <= 60 and "。" not in seg and TITLE_WORDS.search(seg):
                    header.title, header.body_start = seg, index + 1
                    break
        header.title = _display(header.title)
        head = [seg for _, seg in segs[: max(header.body_start, 1)]]
        number = _document_number(head)
        header.number = str(number) if number else None
        dates = [int(m[1]) for seg in head for m in _DATE.finditer(seg)]
        signed = signed_year([(0, seg) for seg in reversed(head)])  # 二〇二一年六月八日
        header.year = (number.year if number else None) or (dates[-1] if dates else signed)
        return header


def _title_parts(segs: list[tuple[int, str]], index: int, key: str) -> int:
    """How many segments from `index` on repeat the title (a long title breaks over two or three
    lines), or 0."""
    joined = ""
    for count in range(1, 4):
        if index + count > len(segs):
            break
        joined += _title_key(segs[index + count - 1][1])
        if joined == key:
            return count
        if not key.startswith(joined):
            break
    return 0


def _title_key(text: str) -> str:
    text = re.sub(r"^附件\s*\d*\s*[:：]?", "", text)
    return re.sub(r"[\s《》“”\"'「」]", "", text)


def _document_number(head: list[str]) -> DocNumber | None:
    for seg in head:
        labelled = re.search(r"文件编号|发文字号|文号", seg)
        if labelled or re.fullmatch(r"\S{2,12}〔\d{4}〕\d+号", seg):
            found = find_docnumbers(seg)
            if found:
                return found[0]
    for seg in head:
        found = find_docnumbers(seg)
        if found and not re.search(r"《|根据|按照|依据", seg):
            return found[0]
    return None


def _display(text: str) -> str:
    return display(restore_circled(text))
