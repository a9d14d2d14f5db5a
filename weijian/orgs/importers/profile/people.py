"""People's names: spacing (梁  东 → 梁东), and telling a name from the post written after it,
with or without a space between (田晓川市卫生局局长, 黄 强  副市长)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from weijian.core.text.normalize import HAN, display, is_han, split_outside_brackets, squeeze

_COMPOUND_SURNAMES = {
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "夏侯",
    "长孙",
    "宇文",
    "司徒",
    "端木",
    "独孤",
    "南宫",
    "西门",
    "申屠",
    "呼延",
    "万俟",
    "澹台",
}
_NOT_NAME = re.compile(
    r"成员|单位|组长|主任|工作|负责|职责|领导|办公|部门|科室|联系|分管|协助|同志"
)
# What a post written right after a name starts with: a place or body, or a title.
_POST_START = re.compile(
    r"^(市|县|区|省|州|旗|盟|镇|乡|街道|自治|人民|中国|国家|武警|林业|农垦|中共|共青团|团|"
    r"党组|党委|党工委|纪委|纪检|监察|副|常务|主任|局长|书记|院长|所长|科长|站长|处长|部长|"
    r"调研员|巡视员|委员|主席|秘书|组长|行长|关长|台长|校长|经理|董事|总|一级|二级|三级|四级)"
)
_TITLE_ONLY = re.compile(
    r"^(副|常务副)?(局长|主任|书记|院长|所长|科长|站长|处长|部长|组长|"
    r"市长|县长|区长|调研员|巡视员|委员|主席|秘书长)$"
)
_CONCURRENT = re.compile(r"\((兼|兼任|兼职)\)")


@dataclass(frozen=True)
class Person:
    name: str
    post: str = ""
    concurrent: bool = False
    sure: bool = True  # False when the name/post split was a guess


def clean_name(text: str) -> str | None:
    """A person's name without inner spaces, or None when it cannot be one."""
    name = squeeze(text)
    if "·" in name:
        ok = 3 <= len(name) <= 12 and is_han(name.replace("·", ""))
    else:
        ok = 2 <= len(name) <= 4 and is_han(name)
    return name if ok and not _NOT_NAME.search(name) else None


def split_spaced(text: str) -> tuple[str, str] | None:
    """ "梁 东 党组书记、局长" → (梁东, 党组书记、局长); the name is rebuilt from short tokens."""
    tokens = text.split()
    if not tokens or not is_han(tokens[0].replace("·", "")):
        return None
    name = tokens[0]
    index = 1
    while index < len(tokens) and len(name) < 4 and is_han(tokens[index]):
        joinable = len(name) == 1 or len(tokens[index]) == 1 or name in _COMPOUND_SURNAMES
        if not joinable or len(name) + len(tokens[index]) > 4:
            break
        name += tokens[index]
        index += 1
    cleaned = clean_name(name)
    if cleaned is None:
        return None
    return cleaned, "".join(tokens[index:])


def split_known(text: str, known: set[str]) -> list[str] | None:
    """ "牧仁桂罕林" → [牧仁, 桂罕林] when the names run together and some are known."""
    names: list[str] = []
    rest = text
    while rest:
        match = next((n for n in sorted(known, key=len, reverse=True) if rest.startswith(n)), None)
        if match is None:
            break
        names.append(match)
        rest = rest[len(match) :]
    if rest:
        if clean_name(rest) is None or _POST_START.match(rest):
            return None
        names.append(rest)
    return names if len(names) > 1 and any(name in known for name in names) else None


def split_joined(text: str) -> tuple[str, str, bool]:
    """A name and a post written together: try the lengths a name usually has."""
    lengths = (4, 3, 2) if text[:2] in _COMPOUND_SURNAMES else (3, 2, 4)
    for length in lengths:
        head, tail = text[:length], text[length:]
        if tail and clean_name(head) and _POST_START.match(tail):
            return head, tail, True
    return text[:3], text[3:], False


def parse_person(chunk: str, known: set[str]) -> list[Person] | None:
    """One roster entry: "黄 强 副市长", "张三(市财政局局长)", "田晓川市卫生局局长",
    "谢福林(兼)"."""
    chunk = chunk.strip().rstrip("。.;")
    concurrent = bool(_CONCURRENT.search(chunk))
    chunk = _CONCURRENT.sub("", chunk).strip()
    bracket = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", chunk)
    if bracket and clean_name(bracket.group(1)):
        name = clean_name(bracket.group(1)) or ""
        return [Person(name, display(bracket.group(2)), concurrent)]
    if " " in chunk:
        spaced = split_spaced(chunk)
        if spaced is None:
            return None
        return [Person(spaced[0], display(spaced[1]), concurrent)]
    if not re.fullmatch(f"[{HAN}·]+", chunk[: min(len(chunk), 2)] or "x"):
        return None
    several = split_known(chunk, known)
    if several:
        return [Person(name) for name in several]
    if clean_name(chunk):
        if len(chunk) == 4 and _TITLE_ONLY.match(chunk[2:]):
            return [Person(chunk[:2], chunk[2:], concurrent)]
        return [Person(chunk, "", concurrent)]
    if len(chunk) > 40 or re.search(r"[。,;:]", chunk):
        return None
    name, post, sure = split_joined(chunk)
    if clean_name(name) is None:
        return None
    return [Person(name, display(post), concurrent, sure)]


def parse_people(value: str, known: set[str]) -> list[Person] | None:
    """Several entries on one line, separated by 、，；. None when the line is not a roster."""
    chunks = split_outside_brackets(value.strip().rstrip("。."), "、,;")
    merged: list[str] = []
    for chunk in chunks:
        if merged and (_TITLE_ONLY.match(chunk) or not re.match(f"[{HAN}]", chunk)):
            merged[-1] += "、" + chunk  # "党组书记、局长": the post goes on
        else:
            merged.append(chunk)
    people: list[Person] = []
    for chunk in merged:
        parsed = parse_person(chunk, known)
        if parsed is None:
            return None
        people.extend(parsed)
    return people or None
