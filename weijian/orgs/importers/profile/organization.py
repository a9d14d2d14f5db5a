"""The body a profile describes: its name (from the title or the opening sentence), plates
(加挂…牌子), rank (正科级 …) and contact details (负责人, 邮政编码, 联系电话 …)."""

from __future__ import annotations

import re

from weijian.core.text.normalize import display, split_outside_brackets, squeeze

from .model import Organization

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
