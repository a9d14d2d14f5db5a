"""Internal departments: "(一)办公室(人事科、安全生产科)。负责…", the party organisation
("机关党组织。负责…"), and the plain list under 机构设置."""

from __future__ import annotations

import re

from weijian.core.text.lines import Line
from weijian.core.text.normalize import display, split_outside_brackets, strip_brackets
from weijian.core.text.numerals import parse_count

from .model import Department, ParsedProfile
from .text import is_prose, join, split_label

DEPT_SUFFIX = re.compile(
    r"(科|室|股|处|办|中心|队|所|站|部|组|委|局|支部|总支|组织|纪委|会|办公室)$"
)
PARTY = re.compile(r"党(组织|委|总支|支部|工委)|纪(委|检)")
_VERB_START = re.compile(
    r"^(负责|承担|拟订|拟定|贯彻|落实|完成|开展|推进|建立|研究|制定|做好|执行|根据|按照|核定)"
)
_KIND_NOTES = {"内设科室": "内设科室", "内设机构": "内设机构", "机关党组织": "机关党组织"}
_EXPECTED = re.compile(r"(?:设|内设)\s*(\d+|[一二三四五六七八九十]+)\s*个")
# "局机关设办公室、医政医管科（中医科）、…、基层卫生科4个内设机构。"
_LISTED = re.compile(
    r"(?:内设|设置|设有|设)(?:下列|以下)?(?:内设机构|职能科室|科室|股室)?\s*:?\s*(?P<list>[^。;:]+?)"
    r"(?:等|共)?\s*(?:(?P<count>\d+|[一二三四五六七八九十]+)\s*个"
    r"(?:内设机构|职能科室|内设科室|科室|股室|机构|部门)?)?\s*[。;]?$"
)


def split_name(text: str) -> tuple[str, list[str], str] | None:
    """ "办公室(人事科、安全生产科)" → (办公室, [人事科, 安全生产科], ""); "宣传科(内设科室)" →
    (宣传科, [], "内设科室"). None when the text is not a department's name."""
    base, brackets = strip_brackets(text.strip())
    aliases: list[str] = []
    kind = ""
    for inner in brackets:
        plate = re.match(r"^(?:加挂|挂)(.+?)(?:的)?牌子$", inner)
        if inner in _KIND_NOTES:
            kind = _KIND_NOTES[inner]
        elif plate:
            aliases.append(display(plate.group(1)))
        elif not re.search(r"级$|挂职|兼", inner):
            aliases.extend(display(a) for a in split_outside_brackets(inner, "、,;"))
    if not (2 <= len(base) <= 25) or _VERB_START.match(base) or re.search(r"[,。;:\s]", base):
        return None
    if not (DEPT_SUFFIX.search(base) or PARTY.search(base)):
        return None
    return display(base), aliases, kind


def kind_of(name: str, note: str = "") -> str:
    if note:
        return note
    return "机关党组织" if PARTY.search(name) else "内设机构"


def _cut_name(text: str) -> tuple[str, str, bool]:
    """Split "办公室(…)。负责…" into the name, the duty text and whether a delimiter was seen."""
    depth = 0
    for index, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif depth == 0 and ch in "。:;, ":
            return text[:index], text[index + 1 :].strip(), True
    match = re.match(
        r"^(.{2,20}?(?:科|室|股|处|办|中心|队|所|站|部))(\(.*?\))?(?=负责|承担|主要)", text
    )
    if match:
        name = match.group(0)
        return name, text[len(name) :], True
    return text, "", False


def add_department(result: ParsedProfile, department: Department) -> Department:
    """Add, or merge into the department already known under one of its names."""
    for known in result.departments:
        if known.names() & department.names():
            known.aliases.extend(a for a in department.aliases if a not in known.names())
            known.duties = known.duties or department.duties
            return known
    result.departments.append(department)
    return department


def find_department(result: ParsedProfile, name: str) -> Department | None:
    return next((d for d in result.departments if name in d.names()), None)


def listed_departments(text: str) -> tuple[list[tuple[str, list[str], str]], int | None] | None:
    """The departments a sentence lists ("设办公室、…、基层卫生科4个内设机构"), with the
    count it states; None unless every item reads as a department's name."""
    match = _LISTED.search(text)
    if match is None:
        return None
    items = split_outside_brackets(match.group("list"), "、,")
    if items:
        last = re.split(r"(?<=[科室股处办队所站部])(?:和|及|以及)", items[-1])
        items = items[:-1] + [part for part in last if part]
    parsed = [split_name(item) for item in items]
    if len(items) < 2 or any(entry is None for entry in parsed):
        return None
    count = parse_count(match.group("count")) if match.group("count") else None
    return [entry for entry in parsed if entry is not None], count


def add_listed(result: ParsedProfile, line: Line, source: str = "内设机构") -> bool:
    listed = listed_departments(line.text)
    if listed is None:
        return False
    entries, count = listed
    for name, aliases, note in entries:
        add_department(result, Department(name, aliases, "", kind_of(name, note), source, line.no))
    found = len([entry for entry in entries if kind_of(entry[0], entry[2]) != "机关党组织"])
    if count is not None and count != found:
        result.warn(line.no, f"文中写明设{count}个内设机构，实际识别出{found}个，请核对")
    return True


class DepartmentsHandler:
    def __init__(self, result: ParsedProfile, heading: Line | None) -> None:
        self.result = result
        self.style: str | None = None
        self.current: Department | None = None
        self.start = len(result.departments)
        expected = _EXPECTED.search(heading.text) if heading else None
        self.expected = parse_count(expected.group(1)) if expected else None
        self.heading_line = heading.no if heading else 0

    def feed(self, line: Line) -> bool:
        label = split_label(line.text)
        if label and self.style not in (None, label.style):
            return False
        if not label and add_listed(self.result, line):
            self.expected = None  # the sentence stated its own count
            return True
        name_part, rest, delimited = _cut_name(label.rest if label else line.text)
        parsed = split_name(name_part)
        if parsed is None or (not label and not delimited):
            return False
        if not label and len(parsed[0]) > 15:
            return False
        name, aliases, note = parsed
        if label:
            self.style = label.style
        department = Department(name, aliases, display(rest), kind_of(name, note), line=line.no)
        self.current = add_department(self.result, department)
        return True

    def extend(self, line: Line) -> bool:
        if self.current is None:
            return line.text.endswith(":")
        label = split_label(line.text)
        if label is None and not is_prose(line.text):
            return False
        if label is not None and label.style == self.style:
            return False  # an item of the list that could not be read as a department
        self.current.duties = join(self.current.duties, line.text, new_item=label is not None)
        return True

    def finish(self) -> None:
        added = self.result.departments[self.start :]
        found = len([d for d in added if d.kind != "机关党组织"])
        if self.expected is not None and found != self.expected:
            self.result.warn(
                self.heading_line,
                f"文中写明设{self.expected}个内设机构，实际识别出{found}个，请核对",
            )


class StructureHandler:
    """ "XX局机构设置：办公室(…)、…、机关党组织。" adds what the department list lacked."""

    def __init__(self, result: ParsedProfile) -> None:
        self.result = result

    def feed(self, line: Line) -> bool:
        head, sep, body = line.text.partition(":")
        if not sep or "机构" not in head:
            body = line.text
        items = split_outside_brackets(body.rstrip("。"), "、")
        parsed = [split_name(item) for item in items]
        if len(items) < 2 or any(p is None for p in parsed):
            return False
        for entry in parsed:
            if entry is not None:
                name, aliases, note = entry
                department = Department(name, aliases, "", kind_of(name, note), "机构设置", line.no)
                add_department(self.result, department)
        return True

    def extend(self, line: Line) -> bool:
        return False
