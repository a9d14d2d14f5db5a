"""The body a profile describes: its name (from the title or the opening sentence), plates
(加挂…牌子), rank (正科级 …) and contact details (负责人, 邮政编码, 联系电话 …)."""

from __future__ import annotations

import re

from weijian.core.text.normalize import HAN, display, split_outside_brackets, squeeze

from .model import Organization, ParsedProfile

_EXTENSION = re.compile(r"\.(docx?|txt|pdf|wps)$", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(
    r"(机关|单位|部门|机构)?(简介|概况|基本情况|职能简介|机构职能|机构概况|主要职责|职能配置|"
    r"机构设置|领导分工|领导信息|领导简介|信息公开指南|职责)$"
)
ORG_SUFFIX = re.compile(r"(局|委|委员会|办|办公室|中心|院|所|站|厅|部|会|处|政府|管委会|队|馆|社)$")
_SUBJECT = re.compile(r"^(.{2,30}?)(?:是|为|系)(?:[^,。;]{0,24}?)(?:部门|机构|单位|机关)")
_SHORT_SUBJECT = re.compile(r"^(.{2,20}?)(?:贯彻|坚持|负责|是|为|设下列|的主要职责|主要职责)")
_PLATES = re.compile(r"(?:加挂|挂)(.+?)(?:的)?牌子")
_RANK = re.compile(r"(正|副)(部|厅|司|局|处|县|科|股|乡|镇)级")
_CONTACT_KEYS = {
    "办公地址": "address",
    "地址": "address",
    "通讯地址": "address",
    "联系地址": "address",
    "联系电话": "phone",
    "电话": "phone",
    "办公电话": "phone",
    "咨询电话": "phone",
    "邮政编码": "postcode",
    "邮编": "postcode",
    "传真": "fax",
    "电子邮箱": "email",
    "邮箱": "email",
    "政府网站": "website",
    "网址": "website",
    "网站": "website",
    "负责人": "head",
    "发布时间": "published",
    "发布日期": "published",
}
_CONTACT = re.compile(rf"^({'|'.join(sorted(_CONTACT_KEYS, key=len, reverse=True))})\s*:\s*(.*)$")


def title_name(text: str) -> str:
    """ "临江市卫生健康和医疗保障局机关简介" → the body's name; "" when the title is not one."""
    text = _EXTENSION.sub("", text).strip()
    base = _TITLE_SUFFIX.sub("", text).strip()
    if base == text and not (len(text) <= 25 and ORG_SUFFIX.search(text)):
        return ""
    if not (2 <= len(base) <= 40) or re.search(r"[,。;:\s]", base):
        return ""
    return display(base) if ORG_SUFFIX.search(base) else ""


def document_title(text: str) -> str:
    return display(_EXTENSION.sub("", text).strip())


def read_intro(text: str, organization: Organization) -> bool:
    """The opening sentence: subject, 加挂…牌子, 为正科级. True when something was taken."""
    found = False
    plates = _PLATES.search(text)
    if plates and not organization.plates:
        names = split_outside_brackets(plates.group(1), "、,")
        organization.plates = [display(name) for part in names for name in _split_and(part)]
        found = True
    rank = _RANK.search(text)
    if rank and not organization.rank and not re.search(r"编制|职数", text):
        organization.rank = rank.group(0)
        found = True
    subject = _SUBJECT.match(text)
    if subject and (found or "部门" in text):
        if not organization.name and ORG_SUFFIX.search(subject.group(1)):
            organization.name = display(subject.group(1))
        found = True
    return found


def _split_and(text: str) -> list[str]:
    parts = re.split(r"(?<=[局委院所站中心会办])(?:和|及)", text)
    return [part.strip() for part in parts if part.strip()]


def short_subject(text: str) -> str:
    """ "区卫生健康委贯彻落实…" or "区卫生健康委设下列内设机构" → 区卫生健康委."""
    match = _SHORT_SUBJECT.match(text)
    if match and ORG_SUFFIX.search(match.group(1)) and not re.search(r"[,。;:]", match.group(1)):
        return display(re.sub(r"^(根据.*?,)", "", match.group(1)))
    return ""


class Contacts:
    """Lines "KEY: value"; an empty value may continue on the next line
    (政府网站: / http: / //…)."""

    def __init__(self, organization: Organization) -> None:
        self.organization = organization
        self.pending: str | None = None

    def feed(self, text: str) -> bool:
        match = _CONTACT.match(text)
        if match:
            key = _CONTACT_KEYS[match.group(1)]
            value = match.group(2).strip()
            self.pending = key if not value else None
            if value:
                self._store(key, value)
            return True
        if self.pending and len(text) <= 80 and not re.search(r"[。;]", text):
            key = self.pending
            current = self.organization.contacts.get(key, "")
            if current.endswith(":") or not current:
                self._store(key, current + text, replace=True)
                self.pending = key if text.endswith(":") else None
                return True
        self.pending = None
        return False

    def _store(self, key: str, value: str, replace: bool = False) -> None:
        if key == "head":
            value = squeeze(value) if len(squeeze(value)) <= 4 else value
        elif key == "phone":
            value = value.replace("—", "-")
        if replace or key not in self.organization.contacts:
            self.organization.contacts[key] = value if key == "website" else display(value)


# 职级 (grades) rather than posts: 一级主任科员, 二级调研员, 调研员 ….
GRADE = re.compile(
    r"^(?:[一二三四]级)?(?:巡视员|副巡视员|调研员|副调研员|主任科员|副主任科员)$|^(?:一级|二级)?(?:科员|办事员)$"
)
_BOUNDARY = r"(?:^|(?<=[\n,。;:、(“《\s])|(?<=由|与|和|及|向|经|是))"
_NOT_PLACE = r"[的了在向与及对由为是将应当时各所其该并按根据经承担负责会同和]|委员会"
_PLACE = rf"(?:[{HAN}]{{2,6}}?(?:省|自治区|市|自治州|州|盟|地区))*[{HAN}]{{1,6}}?"


def fuller_name(short: str, text: str) -> str:
    """ "区卫生健康委" → "北湖区卫生健康委员会" when the text writes the full name somewhere
    (at the start of a line or clause, or after 由/与/和…); "" when it never does."""
    level, core = short[0], re.escape(short[1:])
    variants = [core + "员会", core] if short.endswith("委") else [core]
    pattern = re.compile(rf"{_BOUNDARY}({_PLACE}{level}(?:{'|'.join(variants)}))")
    found = [m.group(1) for m in pattern.finditer(text) if len(m.group(1)) > len(short)]
    place = len(short)  # the place name before the short name must read as one
    found = [name for name in found if not re.search(_NOT_PLACE, name[: len(name) - place])]
    return display(max(found, key=len)) if found else ""


def _own_forms(name: str) -> list[str]:
    """ "呼伦贝尔市卫生局" → ["市卫生局", "卫生局", "局"…]: how its posts may name it."""
    forms = [name[index:] for index, ch in enumerate(name) if ch in "省市州盟县区旗"]
    forms += [name[index + 1 :] for index, ch in enumerate(name) if ch in "省市州盟县区旗"]
    return sorted({form for form in forms if len(form) >= 2}, key=len, reverse=True)


def fill_titles_from_rosters(result: ParsedProfile) -> None:
    """Leaders listed without posts (a contact-region list) take the post a roster gives them:
    田晓川 "市卫生局局长" → 局长 when the roster's body is the organization."""
    people: dict[str, str] = {}

    def collect(committees: list) -> None:  # type: ignore[type-arg]
        for committee in committees:
            for member in committee.members:
                if member.post and member.name not in people:
                    people[member.name] = member.post
            collect(committee.subgroups)

    collect(result.committees)
    own = _own_forms(result.organization.name) if result.organization.name else []
    for leader in result.leaders:
        post = people.get(leader.name, "")
        if leader.titles or leader.grade or not post:
            continue
        form = next((f for f in own if post.startswith(f) and len(post) > len(f)), "")
        title = post[len(form) :] if form else post
        if GRADE.match(title):
            leader.grade = display(title)
        else:
            leader.titles.append(display(title))
