"""Committee rosters: 组长：name post / 副组长：… / 成员：…, the office (办公室设在…,
X兼任办公室主任), sub-groups (工作推进组 …) with their leaders and member organizations,
the member units of a joint meeting (…等33个部门为联席会议成员单位), duties and the meeting
rule (每半年召开1次)."""

from __future__ import annotations

import re

from weijian.core.text.lines import Line
from weijian.core.text.normalize import display, split_outside_brackets, squeeze, strip_brackets
from weijian.core.text.numerals import CN_DIGITS, parse_count

from .model import Committee, Member, MemberOrganization, ParsedProfile
from .organization import ORG_SUFFIX
from .people import clean_name, parse_people
from .sections import establish_name
from .text import split_label

_ROLE = re.compile(
    r"^(?P<role>组\s*长|副\s*组\s*长|常务副组长|第一组长|执行组长|召\s*集\s*人|副召集人|成\s*员|"
    r"委\s*员|主\s*任|副\s*主\s*任|常务副主任|秘\s*书\s*长|副秘书长|办公室主任|办公室副主任|"
    r"顾\s*问|联\s*络\s*员|总指挥|副总指挥|指\s*挥\s*长|副指挥长|成员单位(?:及联络员)?|"
    r"成员部门(?:和|及)?单位|参加单位|组成单位|工作职责|主要职责|职\s*责|工作规则|议事规则)"
    r"(?:\s*:|\s+(?=[^\s:]))\s*(?P<value>.*)$"
)
_ORG_ROLES = {
    "成员单位",
    "成员单位及联络员",
    "成员部门和单位",
    "成员部门及单位",
    "成员部门单位",
    "参加单位",
    "组成单位",
}
_DUTY_ROLES = {"工作职责", "主要职责", "职责"}
_RULE_ROLES = {"工作规则", "议事规则"}
_OFFICE_ROLES = {"办公室主任": "主任", "办公室副主任": "副主任"}
_FIELD_HEADING = re.compile(
    r"^(?:(?P<duties>(?:领导小组|联席会议|委员会|办公室)?(?:主要|工作)?职责(?:任务)?)|"
    r"(?P<orgs>成员单位(?:及联络员)?|组成单位)|(?P<rules>(?:工作|议事)?规则.*|会议制度|工作要求)|"
    r"(?P<roster>(?:领导小组)?(?:组成人员|人员组成|成员名单|组成)))$"
)
_SUBGROUP = re.compile(r"^(?!.*下设)[^,。;:]{2,30}?(组|专班)$")
_OFFICE_HOST = re.compile(r"(?:下设办公室|办公室)(?:,\s*办公室)?\s*(?:设在|在)\s*([^,。;:]+)")
_DIRECTOR = re.compile(r"([^,。;、:\s]{2,4}?)(?:同志)?(兼任|担任|任)(?:办公室)?(副)?主任")
_APPOINTED = re.compile(r"(?:兼任|担任|同志任)(?:办公室)?(?:副)?主任")
_DIRECTOR_BY = re.compile(r"办公室(副)?主任由([^,。;]{2,8}?)(?:同志)?(?:兼任|担任)")
_CONVENER = re.compile(r"由(.{2,30}?)(?:担任|任|为)(?:联席会议)?(副)?召集人")
_EXPECTED = re.compile(rf"下设(\d+|[{CN_DIGITS}]+)个[^,。]{{0,12}}?组")
_ORG_COUNT = re.compile(rf"等\s*(\d+|[{CN_DIGITS}]+)\s*个(?:部门|单位|成员单位)")
_MEETING = re.compile(
    rf"每(?P<period>月|季度|季|半年|年|周|旬|两个月|\d+个月|[一二三四五六]个月)[^,。;]{{0,12}}?"
    rf"(?P<count>\d+|[{CN_DIGITS}]+)\s*次"
)
_SENTENCE = re.compile(r"[。,;]")
# The header row of a roster table ("序号 单位 联络员 职务", "职务 姓名 单位及职务").
_HEADER_WORDS = {
    "序号", "单位", "成员单位", "单位名称", "工作单位", "所在单位", "部门", "联络员", "联络员姓名",
    "姓名", "职务", "职称", "职务职称", "职务/职称", "单位及职务", "联系电话", "电话", "办公电话",
    "手机", "移动电话", "联系方式", "备注", "组内职务", "小组职务",
}  # fmt: skip
_PHONE = r"(?:\d[\d\-— ]{5,}\d)"
# "县卫生健康局 联络员：陈静（疾控股股长） 电话：138…", "县教育局（联络员：黄伟）"
_LIAISON = re.compile(
    rf"^(?P<org>[^\s:()]{{2,30}}?)\s*\(?\s*联络员\s*:?\s*(?P<name>[^\s:()\d](?:\s?[^\s:()\d]){{1,5}}?)"
    rf"\s*(?:\((?P<post>[^()]+)\))?\s*\)?\s*(?:(?:联系)?电话\s*:?\s*(?P<phone>{_PHONE}))?$"
)
# "县公安局：孙强（治安大队副大队长）"
_ORG_PERSON = re.compile(
    r"^(?P<org>[^\s:()]{3,30}?)\s*:\s*(?P<name>[^\s:()]{2,4})\s*(?:\((?P<post>[^()]+)\))?$"
)


def is_header_row(text: str) -> bool:
    tokens = text.split()
    return len(tokens) >= 2 and all(token.strip(":") in _HEADER_WORDS for token in tokens)


def liaison_row(text: str) -> MemberOrganization | None:
    """One member unit with its liaison, written in the ways rosters and their tables do."""
    text = re.sub(r"^\d{1,3}\s+", "", text.strip().rstrip("。;"))
    label = split_label(text)
    text = label.rest if label else text
    match = _LIAISON.match(text) or _ORG_PERSON.match(text)
    if match:
        org, name = match.group("org"), clean_name(match.group("name"))
        if name is None or not ORG_SUFFIX.search(strip_brackets(org)[0]):
            return None
        phone = match.groupdict().get("phone") or ""
        post = display(match.group("post") or "")
        return MemberOrganization(display(org), name, post, phone.replace(" ", ""))
    tokens = text.split()
    if len(tokens) < 2 or len(tokens[0]) < 3 or not ORG_SUFFIX.search(strip_brackets(tokens[0])[0]):
        return None
    rest = tokens[1:]
    name = clean_name(rest[0]) if len(rest[0]) >= 2 else None
    used = 1
    if name is None and len(rest) >= 2 and len(rest[0]) == 1 and len(rest[1]) <= 2:
        name, used = clean_name(rest[0] + rest[1]), 2
    if name is None:
        return None
    phone = next((t for t in rest[used:] if re.fullmatch(_PHONE, t)), "")
    post = "".join(t for t in rest[used:] if t != phone)
    if post and (re.search(r"\d", post) or len(post) > 30):
        return None
    return MemberOrganization(display(tokens[0]), name, display(post), phone)


_NOT_ORG = re.compile(r"召开|研究|负责|承担|会议|工作中|\d+次")


def committee_kind(name: str, default: str = "领导小组") -> tuple[str, str]:
    """(kind, the word the name used): kinds are 领导小组, 联席会议, 工作推进组 and 办公室."""
    for word, kind in (
        ("联席会议", "联席会议"),
        ("领导小组", "领导小组"),
        ("委员会", "领导小组"),
        ("指挥部", "领导小组"),
        ("推进组", "工作推进组"),
        ("工作组", "工作推进组"),
        ("专项组", "工作推进组"),
        ("专班", "工作推进组"),
        ("小组", "工作推进组"),
        ("办公室", "办公室"),
    ):
        if name.endswith(word) or word in name:
            return kind, word
    return default, ""


def meeting_rule(text: str) -> str:
    """ "原则上每半年召开1次" → 每半年1次; "" when the text sets no meeting rhythm."""
    for clause in re.split(r"[,。;]", text):
        match = _MEETING.search(clause)
        if match and re.search(r"会|召开|举行", clause):
            return f"每{match.group('period')}{parse_count(match.group('count'))}次"
    return ""


def _name_from(pre: list[Line]) -> tuple[str, str]:
    """The committee's name and host from the lines before its roster."""
    for line in pre:
        name = establish_name(line.text)
        if name:
            return display(name), _host(pre)
    titles = [ln.text for ln in pre if len(ln.text) <= 40 and not _SENTENCE.search(ln.text)]
    name = re.sub(r"^关于(成立|调整|印发)?", "", "".join(titles))
    name = re.sub(
        r"(的通知|成员名单|人员名单|组成人员(名单)?|名单|制度|组成|的决定|"
        r"成员单位(?:及|和|与)?(?:联络员)?|(?:及|和)?联络员)+$",
        "",
        name,
    )
    return display(name), _host(pre)


def _host(pre: list[Line]) -> str:
    for line in pre:
        text = line.text
        if len(text) <= 15 and ORG_SUFFIX.search(text) and not _SENTENCE.search(text):
            if committee_kind(text)[1] in ("", "办公室") and "小组" not in text:
                return display(text)
    return ""


class CommitteeHandler:
    def __init__(self, result: ParsedProfile, known: set[str]) -> None:
        self.result = result
        self.known = known
        self.pre: list[Line] = []
        self.main: Committee | None = None
        self.current: Committee | None = None
        self.field: str | None = None
        self.role = ""
        self.expected_orgs: tuple[int, int] | None = None

    # -- structure -------------------------------------------------------------------------
    def _ensure_main(self, line: Line) -> Committee:
        if self.main is None:
            name, host = _name_from(self.pre)
            kind, label = committee_kind(name)
            self.main = Committee(name, kind, label, host, line=(self.pre or [line])[0].no)
            self.result.committees.append(self.main)
            if not name:
                self.result.warn(line.no, "未能确定领导小组（委员会）的名称")
            self.current = self.main
        return self.main

    def _target(self, line: Line) -> Committee:
        main = self._ensure_main(line)
        return self.current or main

    def _office(self, line: Line, host: str = "") -> Committee:
        main = self._ensure_main(line)
        office = next((g for g in main.subgroups if g.kind == "办公室"), None)
        if office is None:
            office = Committee(f"{main.name}办公室", "办公室", "办公室", line=line.no)
            main.subgroups.append(office)
        office.host = office.host or display(host.strip())
        self.current = office
        return office

    # -- lines -----------------------------------------------------------------------------
    def feed(self, line: Line) -> bool:
        text = line.text
        if is_header_row(text):
            if "联络员" in text or text.split()[0].endswith("单位") or "序号 单位" in text:
                self._target(line)
                self.field = "orgs"
            return True
        role = _ROLE.match(text)
        if role:
            return self._role(line, squeeze(role.group("role")), role.group("value"))
        label = split_label(text)
        key = (label.rest if label else text).rstrip(":。 ")
        heading = _FIELD_HEADING.match(key)
        if heading and (label or text.endswith(":")):
            self._ensure_main(line)
            self.current = self.main
            self.field = heading.lastgroup
            self.role = "成员"
            return True
        if _EXPECTED.search(text):
            return self._sentences(line)
        if _SUBGROUP.match(key) and (self.main is not None or label):
            main = self._ensure_main(line)
            kind, word = committee_kind(key, default="工作推进组")
            group = Committee(display(key), kind, word, line=line.no)
            main.subgroups.append(group)
            self.current, self.field = group, None
            return True
        if self.main is None and self._is_preamble(line):
            self.pre.append(line)
            return True
        return self._sentences(line) or self._content(line)

    def extend(self, line: Line) -> bool:
        return False

    def _is_preamble(self, line: Line) -> bool:
        text = line.text
        return bool(establish_name(text)) or text.endswith(":") or not _SENTENCE.search(text)

    def _role(self, line: Line, role: str, value: str) -> bool:
        if role in _ORG_ROLES:
            self._target(line)
            self.field = "orgs"
            return not value or self._orgs(line, value)
        if role in _DUTY_ROLES or role in _RULE_ROLES:
            self._target(line)
            self.field = "duties" if role in _DUTY_ROLES else "rules"
            return not value or self._content(line, value)
        if role in _OFFICE_ROLES:
            self._office(line)
            role = _OFFICE_ROLES[role]
        else:
            self._target(line)
        self.field, self.role = "roster", role
        return not value or self._people(line, value)

    def _sentences(self, line: Line) -> bool:
        """Prose that states the office, the convener, the number of sub-groups or members."""
        text = line.text
        placed = False
        expected = _EXPECTED.search(text)
        if expected:
            main = self._ensure_main(line)
            main.expected_subgroups = parse_count(expected.group(1))
            self.current, self.field, placed = main, None, True
        convener = _CONVENER.search(text)
        if convener:
            target = self._target(line)
            who = convener.group(1)
            name = clean_name(who) or ""
            role = "副召集人" if convener.group(2) else "召集人"
            target.members.append(Member(role, name, "" if name else display(who), line=line.no))
            placed = True
        host = _OFFICE_HOST.search(text)
        appointed = "办公室" in text and _APPOINTED.search(text)
        if host or "兼任办公室" in text or appointed or _DIRECTOR_BY.search(text):
            placed = self._office_sentence(line, host.group(1) if host else "") or placed
        rule = meeting_rule(text)
        if rule and self.main is not None:
            named = self.main.kind_label and self.main.kind_label in text
            target = self.main if named else (self.current or self.main)
            if not target.meeting_rule:
                target.meeting_rule, target.meeting_rule_text = rule, display(text)
            if self.field not in ("duties", "rules"):
                self.field, placed = None, True
        return placed

    def _office_sentence(self, line: Line, host: str) -> bool:
        office = self._office(line, host)
        for match in _DIRECTOR.finditer(line.text):
            name = clean_name(match.group(1))
            if name:
                role, concurrent = "副主任" if match.group(3) else "主任", match.group(2) == "兼任"
                office.members.append(Member(role, name, concurrent=concurrent, line=line.no))
        for match in _DIRECTOR_BY.finditer(line.text):
            name = clean_name(match.group(2))
            if name:
                office.members.append(
                    Member(
                        "副主任" if match.group(1) else "主任", name, concurrent=True, line=line.no
                    )
                )
        after = line.text[line.text.find("办公室") :]
        for clause in re.split(r"[,。;]", after):
            if re.match(r"^(承担|负责)", clause):
                office.duties.append(display(clause))
        if line.text.rstrip().endswith("主任:"):
            self.field, self.role = "roster", "副主任" if line.text.endswith("副主任:") else "主任"
        else:
            self.field = None
        return True

    def _content(self, line: Line, value: str | None = None) -> bool:
        text = value if value is not None else line.text
        if self.field == "roster":
            return self._people(line, text)
        if self.field == "orgs":
            return self._orgs(line, text)
        if _ORG_COUNT.search(text) and "成员单位" in text:
            return self._orgs(line, text)
        if self.field in ("duties", "rules") and self.main is not None:
            target = self.current or self.main
            if text.endswith("如下:") and not target.description:
                target.description = display(text)
            elif self.field == "duties":
                target.duties.append(display(text))
            else:
                target.rules.append(display(text))
            return True
        return False

    def _people(self, line: Line, text: str) -> bool:
        people = parse_people(text, self.known)
        if people is None:
            return False
        target = self.current or self._ensure_main(line)
        for person in people:
            self.known.add(person.name)
            target.members.append(
                Member(self.role, person.name, person.post, person.concurrent, line.no)
            )
            if not person.sure:
                self.result.warn(line.no, f"“{display(text)}”中姓名与职务的分界不确定，请核对")
        return True

    def _orgs(self, line: Line, text: str) -> bool:
        text = text.strip().rstrip("。")
        count = _ORG_COUNT.search(text)
        if count:
            self.expected_orgs = (parse_count(count.group(1)) or 0, line.no)
            text = text[: count.start()]
        pair = text.split()
        row = liaison_row(text) if len(pair) > 1 or ":" in text else None
        if row is not None:
            orgs = [row]
        elif len(pair) == 2 and len(pair[0]) >= 3 and clean_name(pair[1]):
            orgs = [MemberOrganization(display(pair[0]), clean_name(pair[1]) or "")]
        else:
            items = split_outside_brackets(text, "、,")
            bare = [re.sub(r"\(联络员[^()]*\)", "", item) for item in items]
            if not items or any(len(item) > 30 or re.search(r"[。;:]", item) for item in bare):
                return False
            if len(items) == 1 and split_label(items[0]) or _NOT_ORG.search(text):
                return False
            orgs = [self._org(item) for item in items]
        target = self.current or self._ensure_main(line)
        target.member_organizations.extend(orgs)
        self.field = "orgs"
        return True

    def _org(self, item: str) -> MemberOrganization:
        liaison = re.search(r"\(\s*联络员\s*:?\s*([^()]+)\)", item)
        name = item[: liaison.start()] if liaison else item
        return MemberOrganization(
            display(name.strip()), clean_name(liaison.group(1)) or "" if liaison else ""
        )

    def finish(self) -> None:
        main = self.main
        if main is None:
            return
        for group in main.subgroups:
            for member in group.members:
                source = next((m for m in main.members if m.name == member.name and m.post), None)
                if source and not member.post:
                    member.post = source.post
        found = len(main.member_organizations)
        if self.expected_orgs and self.expected_orgs[0] != found:
            expected, line = self.expected_orgs
            self.result.warn(line, f"文中写明{expected}个成员单位，实际识别出{found}个，请核对")
        groups = [g for g in main.subgroups if g.kind != "办公室"]
        if main.expected_subgroups is not None and main.expected_subgroups != len(groups):
            self.result.warn(
                main.line,
                f"文中写明下设{main.expected_subgroups}个工作组，实际识别出{len(groups)}个，请核对",
            )
        if main.is_empty():
            self.result.committees.remove(main)
            self.result.warn(main.line, f"“{main.name or '该部分'}”未识别出组成人员或成员单位")
