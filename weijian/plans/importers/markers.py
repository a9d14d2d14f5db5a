"""Responsibility markers: which units lead, take part in, or are responsible for a task.

Works on normalised text (half-width punctuation, see core.text.normalize). Recognised forms
(`Marker.form`):

- ``lead_partners``  (X牵头，Y、Z等部门参与) — also 配合 / 协助 / 协办 / 参加 as the closing verb;
  a closing 负责 / 落实 makes the second group ``responsible`` instead of partners;
- ``lead``           (X牵头) or (X、Y牵头);
- ``in_charge``      (X负责): the unit in charge, recorded as lead;
- ``responsible``    (责任单位：A、B、C);
- ``keyed``          (牵头单位：X，配合单位：Y), (牵头单位:X;责任单位:Y) and the like; with no
  牵头单位, the 责任单位 of a marker that also names 配合单位 lead (责任单位：A，配合单位：B);
- ``own_line``       the keyed form without brackets: a line of its own after the task (牵头单位：…,
  配合单位：…), or the tail of the task's paragraph;
- ``unbracketed``    X牵头，Y等部门参与 written without brackets (seen in damaged documents);
- ``deadline``       only a deadline: （2020年底前完成）, or a 完成时限：… line of its own;
- ``units``          a bare list （A、B、C） closing a paragraph: responsible units.

A deadline written inside a marker ((X牵头，2021年底前完成), (牵头单位：X；完成时限：2022年6月底))
is kept as words in `Marker.deadline`; the parser reads the date (deadlines.py).
A unit marked （牵头） inside a list (责任单位：A（牵头）、B、C) is a lead unit; the others of that
list are then partners. (A、B按职责分工负责) makes A and B responsible, (A负责) makes A the lead.

Unit lists are split on 、 , ; outside brackets, so 各县〔区〕人民政府 and 各县(市、区)人民政府 stay
whole, and on spaces between names that each end like a unit (two paragraphs of a table cell);
the suffixes 等部门 / 等单位 / 等有关部门 are dropped. Problems (an empty lead unit, an unclosed
bracket) are reported in Chinese in `Marker.problems`, never raised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from weijian.core.text.normalize import split_outside_brackets
from weijian.plans.importers.deadlines import find_deadline

LEAD, PARTNER, RESPONSIBLE, DEADLINE = "lead", "partners", "responsible", "deadline"

# Keys of the keyed form, longest first so that 牵头责任单位 is not read as 责任单位.
_KEYS: dict[str, str] = {
    "牵头责任单位": LEAD,
    "主要协作单位": PARTNER,
    "牵头单位": LEAD,
    "牵头部门": LEAD,
    "牵头处室": LEAD,
    "牵头科室": LEAD,
    "主要责任单位": LEAD,
    "主责单位": LEAD,
    "主办单位": LEAD,
    "协作单位": PARTNER,
    "协作部门": PARTNER,
    "配合单位": PARTNER,
    "配合部门": PARTNER,
    "配合处室": PARTNER,
    "配合科室": PARTNER,
    "协同单位": PARTNER,
    "协同部门": PARTNER,
    "参加单位": PARTNER,
    "参与单位": PARTNER,
    "参与部门": PARTNER,
    "协办单位": PARTNER,
    "责任单位": RESPONSIBLE,
    "责任部门": RESPONSIBLE,
    "责任处室": RESPONSIBLE,
    "责任科室": RESPONSIBLE,
    "责任主体": RESPONSIBLE,
    "完成时限": DEADLINE,
    "完成时间": DEADLINE,
    "完成期限": DEADLINE,
    "时限要求": DEADLINE,
    "时间要求": DEADLINE,
    "时间节点": DEADLINE,
    "时间进度": DEADLINE,
    "进度安排": DEADLINE,
}
UNIT_KEYS = tuple(_KEYS)  # every key word, deadline keys included
_KEY_RE = re.compile("(" + "|".join(_KEYS) + r")\s*[:：]")
_UNIT_KEY_RE = re.compile("(" + "|".join(k for k, r in _KEYS.items() if r != DEADLINE) + ")")
_SEPARATORS = "、,;，；"
_ETC = re.compile(r"\s*(?:等|及)(?:其他|有关|相关)?(?:部门|单位|机构)?$")
_PARTNER_VERBS = ("参与", "配合", "协助", "协办", "参加", "共同参与", "协同")
_RESPONSIBLE_VERBS = ("按职责分工负责", "共同负责", "分别负责", "负责落实", "负责", "落实")
_IN_CHARGE = re.compile(
    r"^(?P<names>.+?)(?P<shared>按照?职责分工|按职责|分别|共同)?(?:具体)?(?:负责(?:落实|实施)?|落实)$"
)
# People named next to the units (责任领导：张三副市长；牵头单位：…): left out.
_PERSON_KEYS = re.compile(
    r"(?:责任|分管|牵头|联系)(?:市|县|区)?(?:领导|负责同志|人)\s*[:：][^;；,，)）]*[;；,，]?"
)
_DEADLINE_CUE = re.compile(r"前|底|末|完成|截止|年内|长期|持续|常态|到位")
_LEAD_FLAG = re.compile(r"\s*[(（〔\[【]\s*牵头\s*[)）〕\]】]$")
_UNIT_END = re.compile(
    r"(委|局|办|部|会|院|厅|府|处|室|中心|公司|队|所|站|行|署|关|馆|台|社|团|联|司|校|学|集团|"
    r"单位|部门|组|庭|科|网|站|协会|总队|支队|分局|各县\S*|各地)$"
)
_TRAILING_BRACKET = re.compile(r"\s*[(（〔\[][^()（）〔〕\[\]]*[)）〕\]]$")
_PLACE_KIND = re.compile(r"各?[省市州盟县区旗乡镇](?:[(（〔][^)）〕]*[)）〕])?")
_MAX_UNIT = 40  # longer "names" are sentences, not units
_UNBRACKETED = re.compile(
    r"(?:^|(?<=[。;；\n]))(?P<raw>(?P<lead>[^。;；()\n]{0,60}?)牵头\s*[,，]\s*"
    r"(?P<rest>[^。;；()\n]{0,400}?(?:参与|配合|协助|协办)))(?=$|[。;；\n(])"
)
_OWN_LINE = re.compile(r"(?:^|(?<=[。;；\n)]))\s*(?=(?:" + "|".join(_KEYS) + r")\s*[:：])")


@dataclass(frozen=True)
class Marker:
    form: str
    start: int  # span in the text it was found in
    end: int
    raw: str
    lead: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())
    deadline: str = ""  # the words of a deadline written in the marker (2021年底前完成)

    @property
    def units(self) -> tuple[str, ...]:
        return self.lead + self.partners + self.responsible


def is_key_line(text: str) -> bool:
    """Whether the text opens with a key (牵头单位：, 配合单位：, 完成时限： …)."""
    return bool(_KEY_RE.match(text.strip()))


def looks_like_units(text: str) -> bool:
    """Whether the text is only a list of unit names (a table cell: 市卫健委、市财政局)."""
    names = split_units(text)
    return bool(names) and all(_plausible(n) and ends_like_unit(n) for n in names)


def ends_like_unit(name: str) -> bool:
    """Whether a name ends like a unit's (…委, …局, …中心); a bracketed second name at its end
    (省卫生健康委（省中医药局）) is looked through."""
    return bool(_UNIT_END.search(_TRAILING_BRACKET.sub("", name) or name))


def split_units(text: str) -> list[str]:
    """ "A、B,C等部门" → [A, B, C]; brackets inside names are kept, and 各市、县〔区〕人民政府
    (a list of kinds of place before one kind of unit) stays one name."""
    units = []
    for part in _join_places(split_outside_brackets(text, _SEPARATORS)):
        for piece in _spaced_names(part):
            name = _ETC.sub("", piece).strip(" :：")
            if name and name not in units:
                units.append(name)
    return units


def _join_places(parts: list[str]) -> list[str]:
    """["各市", "县〔区〕人民政府"] → ["各市、县〔区〕人民政府"]."""
    joined: list[str] = []
    for part in parts:
        if joined and _PLACE_KIND.fullmatch(joined[-1]):
            joined[-1] += "、" + part
        else:
            joined.append(part)
    return joined


def _spaced_names(part: str) -> list[str]:
    """ "市卫健委 市医保局" (a cell's two paragraphs) → two names; "A B" that is no list → one."""
    pieces = split_outside_brackets(part, " ")
    if len(pieces) > 1 and all(ends_like_unit(_ETC.sub("", p)) for p in pieces):
        return pieces
    return [part]


def find_markers(text: str) -> list[Marker]:
    """Every responsibility marker in `text`, in order of appearance."""
    markers = []
    covered: list[tuple[int, int]] = []
    for start, end, unclosed in _bracket_groups(text):
        inner = text[start + 1 : end - 1] if not unclosed else text[start + 1 : end]
        if _LEAD_FLAG.fullmatch(text[start:end]):
            continue  # 县妇幼保健院（牵头）: a flag on the name before it, read with its list
        marker = classify(inner, start=start, end=end, raw=text[start:end])
        if marker is None and _closes_paragraph(text, start, end):
            marker = _bare_list(inner, start=start, end=end, raw=text[start:end])
        if marker is None or (marker.form == DEADLINE and text[end : end + 1] in ("》", "”")):
            continue
        if unclosed:
            marker = replace(marker, problems=(*marker.problems, "右括号缺失"))
        markers.append(marker)
        covered.append((start, end))
    outside = _mask(text, covered)
    markers.extend(_own_line_markers(text, outside))
    markers.extend(_unbracketed_markers(text, _mask(text, [(m.start, m.end) for m in markers])))
    return sorted(markers, key=lambda m: m.start)


def classify(inner: str, *, start: int = 0, end: int = 0, raw: str = "") -> Marker | None:
    """Read the inside of one bracket group as a marker, or None when it is not one."""
    inner = _PERSON_KEYS.sub("", inner).strip(" ,，;；")
    raw = raw or f"({inner})"
    inner, deadline = _peel_deadline(inner)
    if not inner:
        return Marker("deadline", start, end, raw, deadline=deadline) if deadline else None
    marker = _units_marker(inner, start=start, end=end, raw=raw)
    if marker is not None and deadline and not marker.deadline:
        marker = replace(marker, deadline=deadline)
    return marker


def _units_marker(inner: str, *, start: int, end: int, raw: str) -> Marker | None:
    if _KEY_RE.search(inner):
        return _keyed(inner, start=start, end=end, raw=raw, bracketed=True)
    first = split_outside_brackets(inner, _SEPARATORS)[:1]
    if first and _LEAD_FLAG.search(first[0]):
        return _flagged_list(inner, start=start, end=end, raw=raw)
    if "牵头" in inner:
        return _lead_partners(inner, start=start, end=end, raw=raw)
    match = _IN_CHARGE.match(inner)
    if match and not re.search(r"[。:：]", inner):
        names = split_units(match["names"])
        if names and all(_plausible(n) and ends_like_unit(n) for n in names):
            if match["shared"]:
                return Marker("in_charge", start, end, raw, responsible=tuple(names))
            return Marker("in_charge", start, end, raw, lead=tuple(names))
    return None


def _closes_paragraph(text: str, start: int, end: int) -> bool:
    """Whether the bracket stands after a sentence, at the end of its line (…。（A、B））."""
    before = text[:start].rstrip(" ")
    after = text[end:].lstrip(" 。.;；")
    return (not before or before[-1] in "。.;；\n") and (not after or after[0] == "\n")


def _bare_list(inner: str, *, start: int, end: int, raw: str) -> Marker | None:
    """（A、B、C） after a task's last sentence: units responsible for it (the first of them
    leads when the document says so, see the parser)."""
    names = split_units(inner)
    if not names or not all(_plausible(n) and ends_like_unit(n) for n in names):
        return None
    if any(re.search(r"[\d《》“”]", n) for n in names):
        return None
    return Marker("units", start, end, raw, responsible=tuple(names))


def _peel_deadline(inner: str) -> tuple[str, str]:
    """The inside of a bracket without its deadline parts (2021年底前完成), and those words."""
    kept, words = [], []
    for part in split_outside_brackets(inner, ",，;；"):
        if not _KEY_RE.match(part) and _is_deadline(part):
            words.append(part)
        else:
            kept.append(part)
    return "，".join(kept), "，".join(words)


def _is_deadline(part: str) -> bool:
    """Only deadline words ("2021年底前完成", "年内", "长期坚持"), judged by deadlines.py."""
    if _UNIT_KEY_RE.search(part) or "牵头" in part:
        return False
    if not _DEADLINE_CUE.search(part):
        return False  # (2016-2020年) names a period, it sets no deadline
    found = find_deadline(f"({part})", doc_year=2000)  # any year: only the form matters here
    return found is not None and (found.start, found.end) == (0, len(part) + 2)


def _flagged_list(inner: str, *, start: int, end: int, raw: str) -> Marker | None:
    """(A（牵头）、B、C): A leads, B and C take part."""
    names = split_units(inner)
    if not all(_plausible(n) for n in names):
        return None
    lead, others = split_flagged(names)
    return Marker("lead_partners", start, end, raw, lead=tuple(lead), partners=tuple(others))


def split_flagged(names: list[str]) -> tuple[list[str], list[str]]:
    """Names flagged （牵头） and the others, flags removed."""
    lead = [_LEAD_FLAG.sub("", n) for n in names if _LEAD_FLAG.search(n)]
    return lead, [n for n in names if not _LEAD_FLAG.search(n)]


def _keyed(inner: str, *, start: int, end: int, raw: str, bracketed: bool) -> Marker | None:
    keys = list(_KEY_RE.finditer(inner))
    if not keys or inner[: keys[0].start()].strip(" ,;，；"):
        return None  # text before the first key: a sentence that mentions 责任单位
    roles: dict[str, list[str]] = {LEAD: [], PARTNER: [], RESPONSIBLE: []}
    problems: list[str] = []
    deadline = ""
    for index, key in enumerate(keys):
        stop = keys[index + 1].start() if index + 1 < len(keys) else len(inner)
        role, words = _KEYS[key.group(1)], inner[key.end() : stop]
        if role == DEADLINE:
            deadline = deadline or words.strip(" ,，;；。")
            if not deadline:
                problems.append(f"“{key.group(1)}”后没有内容")
            continue
        for found_role, names in _key_units(role, words).items():
            roles[found_role].extend(n for n in names if n not in roles[found_role])
        if not split_units(words):
            problems.append(f"“{key.group(1)}”后没有单位")
    if roles[RESPONSIBLE] and roles[PARTNER] and not roles[LEAD]:
        roles[LEAD], roles[RESPONSIBLE] = roles[RESPONSIBLE], []  # 责任单位：A；配合单位：B
    used = [role for role, names in roles.items() if names]
    if not bracketed:
        form = "own_line" if used or problems or not deadline else "deadline"
    elif used == [RESPONSIBLE] and len(keys) == 1:
        form = "responsible"
    else:
        form = "keyed" if used or problems or not deadline else "deadline"
    return Marker(
        form,
        start,
        end,
        raw,
        lead=tuple(roles[LEAD]),
        partners=tuple(roles[PARTNER]),
        responsible=tuple(roles[RESPONSIBLE]),
        problems=tuple(problems),
        deadline=deadline,
    )


def _key_units(role: str, words: str) -> dict[str, list[str]]:
    """The units after one key, by role: 责任单位：A（牵头）、B makes A lead and B a partner;
    责任单位：A牵头，B配合 is read as the lead-and-partners form."""
    names = split_units(words)
    lead, others = split_flagged(names)
    if lead:
        return {LEAD: lead, PARTNER if role != LEAD else LEAD: others}
    if role == RESPONSIBLE and "牵头" in words:
        marker = _lead_partners(words.strip(), start=0, end=0, raw=words)
        if marker is not None and marker.lead:
            return {
                LEAD: list(marker.lead),
                PARTNER: list(marker.partners),
                RESPONSIBLE: list(marker.responsible),
            }
    return {role: names}


def _lead_partners(inner: str, *, start: int, end: int, raw: str, form: str = "") -> Marker | None:
    head, _, tail = inner.partition("牵头")
    lead = split_units(re.sub(r"^(?:由|请)", "", head.strip()))
    if not all(_plausible(n) for n in lead):
        return None
    tail = tail.strip(" ,;，；")
    role, verb = _closing_verb(tail)
    tail = tail.removesuffix(verb)
    had_etc = bool(_ETC.search(tail)) if tail else False
    others = split_units(tail)
    if not all(_plausible(n) for n in others):
        return None
    if others and not verb and not all(ends_like_unit(n) for n in others):
        return None  # (由X牵头组织实施): a sentence, not a marker
    problems = []
    if not lead:
        problems.append("牵头单位为空")
    if had_etc and not others:
        problems.append("参与单位为空")
    form = form or ("lead_partners" if (others or had_etc) else "lead")
    return Marker(
        form,
        start,
        end,
        raw,
        lead=tuple(lead),
        partners=tuple(others) if role == PARTNER else (),
        responsible=tuple(others) if role == RESPONSIBLE else (),
        problems=tuple(problems),
    )


def _own_line_markers(text: str, outside: str) -> list[Marker]:
    markers: list[Marker] = []
    for match in _OWN_LINE.finditer(outside):
        start = match.end()
        stop = len(text)
        for pattern in ("\n", "。"):
            found = outside.find(pattern, start)
            if found != -1:
                stop = min(stop, found)
        if any(m.start <= start < m.end for m in markers):
            continue
        raw = text[start:stop].strip()
        marker = _keyed(text[start:stop], start=start, end=stop, raw=raw, bracketed=False)
        if marker is not None:
            markers.append(marker)
    return markers


def _unbracketed_markers(text: str, outside: str) -> list[Marker]:
    markers: list[Marker] = []
    for match in _UNBRACKETED.finditer(outside):
        start, end = match.start("raw"), match.end("raw")
        raw = text[start:end].strip()
        marker = _lead_partners(text[start:end], start=start, end=end, raw=raw, form="unbracketed")
        if marker is not None:
            markers.append(marker)
    return markers


def _closing_verb(tail: str) -> tuple[str, str]:
    for verb in _RESPONSIBLE_VERBS:
        if tail.endswith(verb):
            return RESPONSIBLE, verb
    for verb in _PARTNER_VERBS:
        if tail.endswith(verb):
            return PARTNER, verb
    return PARTNER, ""


def _plausible(name: str) -> bool:
    """A unit name is short and is not a sentence."""
    return len(name) <= _MAX_UNIT and not re.search(r"[。:：!?！？]", name)


def _bracket_groups(text: str) -> list[tuple[int, int, bool]]:
    """Top-level "(...)" (or "【…】") groups as (start, end, unclosed); other brackets only nest."""
    groups = []
    depth = 0
    start = -1
    for index, ch in enumerate(text):
        if ch in "(（【":
            if depth == 0:
                start = index
            depth += 1
        elif ch in ")）】" and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, index + 1, False))
        elif ch == "\n" and depth:
            groups.append((start, index, True))
            depth = 0
    if depth:
        groups.append((start, len(text), True))
    return groups


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the given spans blanked out (same length, so offsets stay valid)."""
    chars = list(text)
    for start, end in spans:
        for index in range(start, end):
            if chars[index] != "\n":
                chars[index] = " "
    return "".join(chars)
