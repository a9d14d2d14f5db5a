"""`parse_profile`: cut the text into blocks, let each block's reader take its lines, and try
the readers that work anywhere (contacts, staffing, office hours, the opening sentence) on the
rest. What no reader takes becomes a warning with its line number."""

from __future__ import annotations

import re
from typing import Protocol

from weijian.core.text.lines import Line, is_boilerplate, split_lines
from weijian.core.text.normalize import HAN, HAN_RE, display

from .committees import CommitteeHandler, meeting_rule
from .departments import DepartmentsHandler, StructureHandler, add_listed, find_department
from .duties import DutiesHandler
from .leaders import LeadersHandler
from .model import ParsedProfile
from .office_hours import Hours
from .organization import (
    ORG_SUFFIX,
    Contacts,
    document_title,
    fill_titles_from_rosters,
    fuller_name,
    read_intro,
    short_subject,
    title_name,
)
from .sections import COMMITTEE_WORDS, Block, Kind, segment
from .staffing import looks_like_staffing, parse_staffing


class Handler(Protocol):
    def feed(self, line: Line) -> bool: ...

    def extend(self, line: Line) -> bool: ...


_LOOSE = {Kind.PREAMBLE, Kind.OTHER, Kind.ATTACHMENT}
_FULL_NAME = re.compile(rf"^[{HAN}]{{2,}}?(省|自治区|市|州|盟|县|区|旗).*{ORG_SUFFIX.pattern}")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


class ProfileParser:
    def __init__(self) -> None:
        self.result = ParsedProfile()
        self.known: set[str] = set()
        self.contacts = Contacts(self.result.organization)
        self.hours = Hours(self.result.office_hours)
        self.loose_rules: list[tuple[Line, str]] = []
        self.title_line = 0
        self._title_text = ""
        self._first_line = 0
        self._text = ""
        self.signature: dict[int, str] = {}  # the issuer's name on the line before the date

    def _signature(self, lines: list[Line]) -> None:
        for before, line in zip(lines, lines[1:], strict=False):
            text = before.text
            if _DATE_LINE.match(line.text) and 4 <= len(text) <= 30 and ORG_SUFFIX.search(text):
                if not re.search(r"[,。;:\s]", text):
                    self.signature[before.no] = text

    def parse(self, text: str) -> ParsedProfile:
        lines = split_lines(text)
        self._text = "\n".join(line.text for line in lines)
        self._title(lines)
        self._signature(lines)
        for block in segment(lines):
            self._block(block)
        self._finish()
        return self.result

    def _title(self, lines: list[Line]) -> None:
        organization = self.result.organization
        self._title_text = lines[0].text if lines else ""
        self._first_line = lines[0].no if lines else 0
        for line in lines[:6]:
            name = title_name(line.text)
            if name:
                organization.name = name
                organization.document_title = document_title(line.text)
                self.title_line = line.no
                return
        for line in lines[:6]:
            text = line.text
            if is_boilerplate(text) or ":" in text or len(re.findall(HAN_RE, text)) < 6:
                continue
            organization.document_title = document_title(text)
            self.title_line = line.no
            return

    def _block(self, block: Block) -> None:
        handler = self._handler(block)
        if block.heading is not None and block.kind != Kind.COMMITTEE:
            self._heading(block)
        unplaced: list[Line] = []
        for line in block.lines:
            if line.no == self.title_line and block.kind == Kind.PREAMBLE:
                continue
            repeated_issuer = line.text == self._title_text and line.no > self._first_line
            if _DATE_LINE.match(line.text) or repeated_issuer or line.no in self.signature:
                continue  # the signature: the issuer repeated and the date
            if handler is not None and handler.feed(line):
                continue
            if self._anywhere(line, block.kind):
                continue
            if handler is not None and handler.extend(line):
                continue
            unplaced.append(line)
        finish = getattr(handler, "finish", None)
        if finish is not None:
            finish()
        self._report(block, unplaced)

    def _handler(self, block: Block) -> Handler | None:
        kind = block.kind
        if kind in (Kind.DUTIES, Kind.TRANSFORMATION, Kind.BOUNDARIES):
            return DutiesHandler(self.result, kind)
        if kind == Kind.DEPARTMENTS:
            return DepartmentsHandler(self.result, block.heading)
        if kind == Kind.STRUCTURE:
            return StructureHandler(self.result)
        if kind == Kind.LEADERS:
            return LeadersHandler(self.result, self.known)
        if kind == Kind.COMMITTEE:
            return CommitteeHandler(self.result, self.known)
        return None

    def _heading(self, block: Block) -> None:
        """A heading line may carry content: 工作时间：星期一至星期五, "…主要职责是：", 设N个…."""
        if block.heading is None:
            return
        text = block.heading.text
        organization = self.result.organization
        if block.kind == Kind.HOURS:
            self.hours.feed(text, in_section=True)
        elif block.kind in (Kind.DUTIES, Kind.DEPARTMENTS) and not organization.short_name:
            organization.short_name = short_subject(re.split(r"[。,]", text)[-1]) or (
                short_subject(text)
            )

    def _anywhere(self, line: Line, kind: Kind) -> bool:
        """Readers that apply in any block."""
        text = line.text
        if kind in _LOOSE and meeting_rule(text) and re.search(COMMITTEE_WORDS, text):
            self.loose_rules.append((line, text))
        if self.contacts.feed(text):
            return True
        if looks_like_staffing(text) and kind != Kind.COMMITTEE:
            found, subject = parse_staffing(
                text, self.result.staffing, lambda message: self.result.warn(line.no, message)
            )
            if subject and not self.result.organization.short_name:
                self.result.organization.short_name = subject
            if found:
                return True
        if self.hours.feed(text, in_section=kind == Kind.HOURS):
            return True
        if kind in (Kind.PREAMBLE, Kind.STAFFING, Kind.OTHER) and re.search(r"个(内设)?机构", text):
            if add_listed(self.result, line):
                return True
        if kind in (Kind.PREAMBLE, Kind.STAFFING) or "牌子" in text or "规格" in text:
            return read_intro(text, self.result.organization)
        return False

    def _report(self, block: Block, unplaced: list[Line]) -> None:
        if not unplaced:
            return
        if block.kind in _LOOSE:
            first = unplaced[0]
            heading = f"“{display(block.heading.text)}”部分" if block.heading else "开头部分"
            self.result.warn(
                first.no, f"{heading}共{len(unplaced)}行未能识别为简介、分工或名单内容，已跳过"
            )
            return
        for line in unplaced:
            self.result.warn(line.no, f"未能识别的内容，已跳过：“{display(line.text)[:40]}”")

    def _finish(self) -> None:
        self.hours.finish()
        organization = self.result.organization
        if not organization.name and organization.short_name and self._is_profile():
            organization.name = organization.short_name
        if re.match(r"^(区|县|市|旗|州)", organization.name):
            organization.name = fuller_name(organization.name, self._text) or organization.name
        if not organization.name and self.result.leaders:
            organization.name = self._issuer()
        fill_titles_from_rosters(self.result)
        for line, text in self.loose_rules:
            self._attach_rule(line, text)
        self._check_supervised()
        if self._is_profile() and not organization.name:
            self.result.warn(1, "未能识别单位名称，请在导入时指定单位")

    def _issuer(self) -> str:
        """Whose leaders these are, when no profile title names the body: the issuer of the
        rosters (附件一 "呼伦贝尔市卫生局"), else the notice's signature."""
        hosts = [c.host for c in self.result.committees if c.host]
        for name in [*hosts, *self.signature.values()]:
            if _FULL_NAME.match(name) and not re.search(r"^中共|党组$|党委$|党工委$", name):
                return display(name)
        return ""

    def _is_profile(self) -> bool:
        result = self.result
        return bool(result.duties or result.departments or result.staffing.posts)

    def _attach_rule(self, line: Line, text: str) -> None:
        rule = meeting_rule(text)
        for committee in self.result.committees:
            if committee.kind in text or committee.kind_label and committee.kind_label in text:
                if not committee.meeting_rule:
                    committee.meeting_rule, committee.meeting_rule_text = rule, display(text)
                return

    def _check_supervised(self) -> None:
        if not self.result.departments:
            return
        for leader in self.result.leaders:
            for name in leader.supervises + leader.assists:
                if find_department(self.result, name) is None:
                    self.result.warn(leader.line, f"{leader.name}分管的“{name}”未在内设机构中找到")


def parse_profile(text: str) -> ParsedProfile:
    """Parse the text of an agency profile, a leaders' division notice or a committee roster.

    Never raises on damaged input: what cannot be read is reported in `warnings`."""
    try:
        return ProfileParser().parse(text)
    except Exception:  # a bug must not stop an import preview; the text is still reported
        result = ParsedProfile()
        result.warn(0, "解析过程中出现内部错误，未能完成识别，请联系管理员")
        return result
