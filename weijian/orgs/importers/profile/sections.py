"""Cutting the lines into blocks by their headings: duties, departments, staffing, leaders,
committees, office hours, attachments and the parts the parser does not know."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from weijian.core.text.lines import Line, is_boilerplate

from .text import split_label


class Kind(StrEnum):
    PREAMBLE = "preamble"
    DUTIES = "duties"
    TRANSFORMATION = "transformation"
    BOUNDARIES = "boundaries"
    DEPARTMENTS = "departments"
    STAFFING = "staffing"
    LEADERS = "leaders"
    STRUCTURE = "structure"
    HOURS = "hours"
    CONTACT = "contact"
    COMMITTEE = "committee"
    ATTACHMENT = "attachment"
    OTHER = "other"


@dataclass
class Block:
    kind: Kind
    heading: Line | None = None
    lines: list[Line] = field(default_factory=list)


_HEADINGS: list[tuple[Kind, re.Pattern[str]]] = [
    (
        Kind.LEADERS,
        re.compile(
            r"^(局|委|院|中心|市|县|区)?(领导|班子成员|领导班子(成员)?|领导成员)(职责)?"
            r"(与|和|及)?(分工|简介|信息|介绍|职责)?$|^(工作)?分工$"
        ),
    ),
    (
        Kind.STAFFING,
        re.compile(
            r"^(人员)?编制(和|与|及)?(领导)?(职数)?(情况)?$|^人员编制.{0,8}$|^(领导)?职数$|^机构编制$"
        ),
    ),
    (
        Kind.DEPARTMENTS,
        re.compile(
            r"^(机关)?内设(机构|科室|股室)(及|和|与)?(其)?(主要)?(职责|职能|设置)?$|"
            r"^(职能)?科室(设置|职责)?$|^职能科室$|设下列(内设)?(机构|科室|股室)|"
            r"内设(机构|科室|股室)(如下|有)|设(\d+|[一二三四五六七八九十]+)个(内设机构|职能科室|科室|股室)$"
        ),
    ),
    (Kind.STRUCTURE, re.compile(r"^(组织)?机构设置$|^组织机构$")),
    (Kind.TRANSFORMATION, re.compile(r"^职能转变$")),
    (Kind.BOUNDARIES, re.compile(r"^(其他事项|(有关)?职责分工|职责边界)$")),
    (
        Kind.DUTIES,
        re.compile(
            r"^(部门|单位|机构|机关)?(的)?主要(职责|职能)(任务|是|如下|和任务)?$|^(主要)?职能职责$|"
            r"^(部门|机构)(主要)?职责$|^职责(任务)?$|^工作职责$|主要职责(是|如下)$"
        ),
    ),
    (Kind.HOURS, re.compile(r"^(办公|工作|作息)时间")),
    (Kind.CONTACT, re.compile(r"^联系(方式|我们)$")),
]
_CONTENT = {Kind.DUTIES, Kind.TRANSFORMATION, Kind.BOUNDARIES, Kind.DEPARTMENTS, Kind.LEADERS}
_IN_COMMITTEE = {Kind.LEADERS, Kind.STAFFING, Kind.DEPARTMENTS, Kind.STRUCTURE, Kind.HOURS}
COMMITTEE_WORDS = r"领导小组|联席会议|委员会|工作专班|指挥部|推进组|工作组"
_COMMITTEE_TITLE = re.compile(COMMITTEE_WORDS)
_LEADERS_TITLE = re.compile(r"(领导|班子).{0,8}分工|对口联系|联系点|领导(信息|简介)|领导班子")
_ESTABLISH = re.compile(rf"成立(?:了)?(.{{2,40}}?(?:{COMMITTEE_WORDS}))")
ROLE_START = re.compile(
    r"^(组\s*长|副\s*组\s*长|常务副组长|第一组长|召\s*集\s*人|副召集人|总指挥|指\s*挥\s*长)\s*:"
)
# A roster's title inside another roster (a .docx with two tables): a new committee begins.
_ROSTER_TITLE = re.compile(
    r"^(?!领导小组|联席会议|委员会)[^,。;:\s]{4,36}?(?:领导小组|联席会议|委员会|指挥部)"
    r"(?:成员单位(?:及|和)?(?:联络员)?|(?:组成)?人员|成员)?(?:名单)?$"
)
_ROSTER_LINE = re.compile(r"^(组\s*长|副\s*组\s*长|成\s*员|召\s*集\s*人|副召集人)")
_ATTACH_MARKER = re.compile(r"^附\s*件\s*([0-9一二三四五六七八九十]{1,3})?\s*[:.、]?\s*(.*)$")
_ATTACH_LIST = re.compile(r"^附\s*件\s*:\s*\S")
_SENTENCE = re.compile(r"[。,;]")
_DEPT_NAME = re.compile(r"(科|室|股|处|办|中心|队|所|站|部)(\(.*\))?$")


def _heading_key(text: str) -> tuple[str, bool]:
    """The words that decide whether a line is a heading, and whether it carried a label."""
    label = split_label(text)
    core = (label.rest if label else text).strip()
    ends_with_colon = core.endswith(":")
    core = core.rstrip(":。;. ")
    head, sep, _ = core.partition(":")
    if sep and len(head) <= 12:
        core = head
    elif ends_with_colon and len(core) > 20:
        core = re.split(r"[。,;]", core)[-1]
    return core.strip(), label is not None


def classify_heading(text: str, current: Kind) -> Kind | None:
    """The kind of block this line opens, or None when it is not a heading."""
    if "同志" in text:
        return None
    key, labelled = _heading_key(text)
    if current == Kind.LEADERS and re.match(r"^[^:]{1,12}:\s*\S", text):
        return Kind.HOURS if re.match(r"^(办公|工作|作息)时间", text) else None
    if not key or len(key) > 40:
        return None
    if len(key) <= 24:
        for kind, pattern in _HEADINGS:
            if current == Kind.COMMITTEE and kind not in _IN_COMMITTEE:
                continue
            if pattern.search(key):
                return kind
    if labelled or _SENTENCE.search(key):
        return _unknown_heading(text, key, current) if labelled else None
    if text.endswith("。"):
        return None
    if current != Kind.COMMITTEE and _COMMITTEE_TITLE.search(key):
        return Kind.COMMITTEE
    if _LEADERS_TITLE.search(key):
        return Kind.LEADERS
    return None


def _unknown_heading(text: str, key: str, current: Kind) -> Kind | None:
    label = split_label(text)
    if label is None or label.style not in ("cn", "article") or current == Kind.COMMITTEE:
        return None
    if len(key) > 15 or _SENTENCE.search(key):
        return None
    if current in (Kind.DEPARTMENTS, Kind.STRUCTURE) and _DEPT_NAME.search(key):
        return None
    if current in _CONTENT and (len(key) > 10 or "、" in key):
        return None  # more likely an item of the list (一、完成…交办的其他任务) than a heading
    return Kind.OTHER


def establishes_committee(text: str) -> bool:
    """A sentence such as "…决定成立XX领导小组，组成人员如下：" opens a roster."""
    return bool(_ESTABLISH.search(text)) and bool(re.search(r"如下\s*:?$", text))


def establish_name(text: str) -> str:
    match = _ESTABLISH.search(text)
    return match.group(1) if match else ""


def _is_title_like(line: Line) -> bool:
    return len(line.text) <= 40 and not _SENTENCE.search(line.text.rstrip("。"))


def segment(lines: list[Line]) -> list[Block]:
    """Group the lines under their headings. Boilerplate and attachment lists are dropped."""
    blocks = [Block(Kind.PREAMBLE)]
    in_attachment_list = False
    for line in lines:
        text = line.text
        if is_boilerplate(text):
            continue
        if _ATTACH_LIST.match(text):
            in_attachment_list = True
            continue
        if in_attachment_list and split_label(text) and len(text) <= 60:
            continue
        in_attachment_list = False
        marker = _ATTACH_MARKER.match(text)
        if marker and (marker.group(1) or not marker.group(2)):
            blocks.append(Block(Kind.ATTACHMENT, line))
            if marker.group(2):
                _place(blocks, Line(line.no, marker.group(2)))
            continue
        _place(blocks, line)
    return blocks


def _place(blocks: list[Block], line: Line) -> None:
    current = blocks[-1]
    text = line.text
    kind = classify_heading(text, current.kind)
    if kind is None and current.kind != Kind.COMMITTEE:
        if ROLE_START.match(text) or establishes_committee(text):
            kind = Kind.COMMITTEE
    elif kind is None and _ROSTER_TITLE.match(text) and split_label(text) is None:
        if any(_ROSTER_LINE.match(known.text) for known in current.lines):
            blocks.append(Block(Kind.COMMITTEE, line, [line]))
            return
    if kind is None:
        current.lines.append(line)
    elif current.kind == Kind.ATTACHMENT and kind in (Kind.COMMITTEE, Kind.LEADERS):
        current.kind = kind
        current.lines.append(line)
    elif kind == Kind.COMMITTEE:
        carried: list[Line] = []
        while current.lines and len(carried) < 3 and _is_title_like(current.lines[-1]):
            carried.insert(0, current.lines.pop())
        blocks.append(Block(kind, line, [*carried, line]))
    else:
        blocks.append(Block(kind, line))
