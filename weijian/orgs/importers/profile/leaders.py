"""Leaders and their division of work: profile sections ("梁  东  党组书记、局长" then 负责…,
分管科室：…, 联系单位：…), division notices ("一、X同志 主持…工作；分管…；协助分管…；联系…")
and contact regions ("X重点联系A、B")."""

from __future__ import annotations

import re

from weijian.core.text.lines import Line
from weijian.core.text.normalize import HAN, display, split_outside_brackets, strip_brackets

from .departments import Department, add_department, split_name
from .model import Leader, ParsedProfile
from .organization import GRADE
from .people import clean_name, split_spaced
from .sections import Kind, classify_heading
from .text import is_prose, join, split_label

_KEYWORDS = (
    r"协助分管|协管|分管科室|分管部门|分管单位|分管|联系单位|联系科室|联系部门|联系点|"
    r"对口联系|重点联系|挂钩联系|挂点联系|包点联系|联系|主持|负责(?!人\s*:)"
)
_FIELD = re.compile(rf"^({_KEYWORDS})\s*:?\s*(.*)$")
_CLAUSE_SPLIT = re.compile(rf"[。;]|,(?=(?:{_KEYWORDS}))")
_NOTICE = re.compile(r"^(.{1,8}?)\s*同志\s*[:,]?\s*(.*)$")
_CONTACT = re.compile(
    rf"^([{HAN} ]{{2,8}}?)\s*(重点联系|对口联系|挂钩联系|挂点联系|联系点\s*:?)\s*(.+)$"
)
_REGION_KEYS = ("联系点", "对口联系", "重点联系", "挂钩联系", "挂点联系", "包点联系")
# "局长 张  伟：主持…", "副局长（兼区疾控局局长）马  林：负责…": the post, the name, a colon.
_TITLE_NAME = re.compile(
    rf"^(?P<title>.{{1,30}}?[长任记员席)])\s*(?P<name>[{HAN}](?:\s*[{HAN}]){{1,3}})$"
)
# What closes a notice rather than continues the last leader's work.
_CLOSING = re.compile(
    r"^(以上|上述)|特此(通知|通报|函告)|(外出|出差|休假|学习|不在岗)期间|"
    r"(自|从).{0,12}起(执行|施行|实行)|遵照执行|原.{0,12}(同时)?(废止|停止执行)"
)
_SIGN_OFF = re.compile(r"^特此(通知|通报|函告)。?$")
_KEYED = re.compile(r"^(姓\s*名|职\s*务|(?:工作)?分\s*工|职\s*责|简\s*历)\s*:\s*(.*)$")
_TITLE_FIRST = re.compile(r"^(.{2,30}?)\s*:\s*(.{2,8})$")
_TITLE_LIKE = re.compile(
    r"书记|长|主任|科员|调研员|巡视员|委员|成员|主席|专员|总师|督学|总监|负责人|干部|助理"
)
_REGION = re.compile(r"(镇|乡|街道|县|区|旗|市|村|社区|苏木|嘎查|盟|州)$")
_WORK = re.compile(r"(等)?(相关|有关)?(的)?(工作|事务|事项)$|等(科室|部门|单位|科|股室)?$")


def _items(value: str) -> list[str]:
    """ "办公室(人事科、安全生产科)、基金监管科和待遇保障科工作" → the names, brackets kept."""
    value = _WORK.sub("", value.strip().rstrip("。.;"))
    items: list[str] = []
    for item in split_outside_brackets(value, "、,"):
        item = _WORK.sub("", item).strip()
        parts = re.split(r"(?:和|及|以及)", item)
        if len(parts) > 1 and all(split_name(part) for part in parts):
            items.extend(parts)
        elif item:
            items.append(item)
    return items


class LeadersHandler:
    def __init__(self, result: ParsedProfile, known: set[str]) -> None:
        self.result = result
        self.known = known
        self.current: Leader | None = None
        self.pending: Line | None = None  # a name alone on its line, before 职务：/分工：
        self.closed = False  # the notice's closing lines have begun

    def feed(self, line: Line) -> bool:
        label = split_label(line.text)
        rest = label.rest if label else line.text
        keyed = _KEYED.match(rest)
        if keyed:
            return self._keyed(keyed.group(1).replace(" ", ""), keyed.group(2), line)
        self._drop_pending()
        if not label and len(rest) <= 9 and clean_name(rest) and not _TITLE_LIKE.search(rest):
            self.pending = line
            return True
        notice = _NOTICE.match(rest)
        if notice and clean_name(notice.group(1)):
            leader = self._start(clean_name(notice.group(1)) or "", line)
            self._clauses(leader, notice.group(2))
            return True
        contact = _CONTACT.match(rest)
        if contact and clean_name(contact.group(1)):
            leader = self._start(clean_name(contact.group(1)) or "", line)
            self._field(leader, "对口联系", contact.group(3))
            return True
        field = _FIELD.match(rest)
        if field:
            if self.current is None:
                return False
            self._clauses(self.current, rest)
            return True
        if classify_heading(line.text, Kind.LEADERS) == Kind.LEADERS:
            return True  # a title such as "领导医改对口联系地区"
        return self._header(rest, line)

    def extend(self, line: Line) -> bool:
        if self.current is None:
            return line.text.endswith(":")  # addressees and the lead-in of a notice
        if _SIGN_OFF.match(line.text):
            self.closed = True
            return True
        if self.closed or _CLOSING.search(line.text):
            self.closed = True
            return False  # rules of the notice, not the last leader's work: a warning
        if not is_prose(line.text):
            return False
        self.current.responsibilities = join(self.current.responsibilities, line.text)
        return True

    def finish(self) -> None:
        self._drop_pending()

    def _drop_pending(self) -> None:
        if self.pending is not None:
            text = display(self.pending.text)
            self.result.warn(self.pending.no, f"未能识别的内容，已跳过：“{text}”")
            self.pending = None

    def _keyed(self, key: str, value: str, line: Line) -> bool:
        """Pages that list each leader as 姓名：… / 职务：… / 工作分工：…, the name given as
        姓名：… or alone on the line before."""
        if self.pending is not None and key in ("职务", "分工", "工作分工", "职责"):
            self._start(clean_name(self.pending.text) or "", self.pending)
            self.pending = None
        if key == "姓名":
            name = clean_name(value)
            if name:
                self._start(name, line)
            return name is not None
        if self.current is None:
            return False
        if key == "职务":
            self._titles(self.current, value)
        elif key != "简历":
            self._clauses(self.current, value)
        return True

    def _header(self, rest: str, line: Line) -> bool:
        spaced = split_spaced(rest) if " " in rest else None
        if spaced:
            name, remainder = spaced
            parts = re.split(r"(?=主持|负责(?!人\s*:))", remainder, maxsplit=1)
            titles = parts[0]
            responsibility = parts[1] if len(parts) > 1 else ""
            if _TITLE_LIKE.search(titles) and len(titles) <= 60:
                leader = self._start(name, line)
                self._titles(leader, titles)
                if responsibility:
                    self._clauses(leader, responsibility)
                return True
        head, colon, body = rest.partition(":")
        title_name = _TITLE_NAME.match(head.strip()) if colon else None
        if title_name and _TITLE_LIKE.search(title_name.group("title")):
            person = clean_name(title_name.group("name"))
            if person and not _TITLE_LIKE.search(person):
                leader = self._start(person, line)
                self._titles(leader, title_name.group("title"))
                self._clauses(leader, body)
                return True
        title_first = _TITLE_FIRST.match(rest)
        if title_first and _TITLE_LIKE.search(title_first.group(1)):
            first_name = clean_name(title_first.group(2))
            if first_name:
                leader = self._start(first_name, line)
                self._titles(leader, title_first.group(1))
                return True
        return False

    def _start(self, name: str, line: Line) -> Leader:
        self.known.add(name)
        existing = next((leader for leader in self.result.leaders if leader.name == name), None)
        if existing is None:
            existing = Leader(name, line=line.no)
            self.result.leaders.append(existing)
        self.current = existing
        return existing

    def _titles(self, leader: Leader, text: str) -> None:
        for title in split_outside_brackets(text, "、,"):
            base, notes = strip_brackets(title)
            if GRADE.match(display(base)):
                leader.grade = leader.grade or display(base)
            else:
                _add(leader.titles, base)
            for note in notes:
                _add(leader.notes, note)

    def _clauses(self, leader: Leader, text: str) -> None:
        for clause in _CLAUSE_SPLIT.split(text):
            clause = clause.strip()
            if not clause:
                continue
            field = _FIELD.match(clause)
            if field and field.group(1) not in ("主持", "负责"):
                self._field(leader, field.group(1), field.group(2))
            else:
                sentence = clause if clause.endswith(("。", ";")) else clause + "。"
                leader.responsibilities += display(sentence)

    def _field(self, leader: Leader, keyword: str, value: str) -> None:
        for item in _items(value):
            if keyword in ("协助分管", "协管"):
                _add(leader.assists, item)
            elif keyword in ("分管单位", "联系单位", "联系科室", "联系部门"):
                _add(leader.liaisons, item)
            elif keyword in _REGION_KEYS:
                _add(leader.liaison_regions, item)
            elif keyword == "联系":
                _add(leader.liaison_regions if _REGION.search(item) else leader.liaisons, item)
            else:
                self._supervise(leader, item)

    def _supervise(self, leader: Leader, item: str) -> None:
        parsed = split_name(item)
        name = parsed[0] if parsed else display(item)
        _add(leader.supervises, name)
        _add(leader.supervises_as_written, item)
        if parsed and parsed[2] == "内设科室":
            department = Department(name, parsed[1], "", "内设科室", "领导分工", leader.line)
            add_department(self.result, department)


def _add(target: list[str], item: str) -> None:
    item = display(item)
    if item and item not in target:
        target.append(item)
