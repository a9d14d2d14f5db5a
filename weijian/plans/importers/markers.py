"""Responsibility markers: which units lead, take part in, or are responsible for a task.

Works on normalised text (half-width punctuation, see core.text.normalize). Recognised forms
(`Marker.form`):

- ``lead_partners``  (X牵头，Y、Z等部门参与) — also 配合 / 协助 / 协办 / 参加 as the closing verb;
  a closing 负责 / 落实 makes the second group ``responsible`` instead of partners;
- ``lead``           (X牵头) or (X、Y牵头);
- ``in_charge``      (X负责): the unit in charge, recorded as lead;
- ``responsible``    (责任单位：A、B、C);
- ``keyed``          (牵头单位：X，配合单位：Y), (牵头单位:X;责任单位:Y) and the like;
- ``own_line``       the keyed form without brackets: a line of its own after the task (牵头单位：…,
  配合单位：…), or the tail of the task's paragraph;
- ``unbracketed``    X牵头，Y等部门参与 written without brackets (seen in damaged documents).

Unit lists are split on 、 , ; outside brackets, so 各县〔区〕人民政府 and 各县(市、区)人民政府 stay
whole; the suffixes 等部门 / 等单位 / 等有关部门 are dropped. Problems (an empty lead unit, an
unclosed bracket) are reported in Chinese in `Marker.problems`, never raised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from weijian.core.text.normalize import split_outside_brackets

LEAD, PARTNER, RESPONSIBLE = "lead", "partners", "responsible"

# Keys of the keyed form, longest first so that 牵头责任单位 is not read as 责任单位.
_KEYS: dict[str, str] = {
    "牵头责任单位": LEAD,
    "主要协作单位": PARTNER,
    "牵头单位": LEAD,
    "牵头部门": LEAD,
    "协作单位": PARTNER,
    "协作部门": PARTNER,
    "配合单位": PARTNER,
    "配合部门": PARTNER,
    "参与单位": PARTNER,
    "参与部门": PARTNER,
    "协办单位": PARTNER,
    "责任单位": RESPONSIBLE,
    "责任部门": RESPONSIBLE,
}
_KEY_RE = re.compile("(" + "|".join(_KEYS) + r")\s*[:：]")
_SEPARATORS = "、,;，；"
_ETC = re.compile(r"\s*(?:等|及)(?:其他|有关|相关)?(?:部门|单位|机构)?$")
_PARTNER_VERBS = ("参与", "配合", "协助", "协办", "参加", "共同参与", "协同")
_RESPONSIBLE_VERBS = ("按职责分工负责", "共同负责", "分别负责", "负责落实", "负责", "落实")
_UNIT_END = re.compile(
    r"(委|局|办|部|会|院|厅|府|处|室|中心|公司|队|所|站|行|署|关|馆|台|社|团|联|司|校|学|集团|"
    r"单位|部门|组|庭|科|网|站|协会|总队|支队|分局|各县\S*|各地)$"
)
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

    @property
    def units(self) -> tuple[str, ...]:
        return self.lead + self.partners + self.responsible


def split_units(text: str) -> list[str]:
    """ "A、B,C等部门" → [A, B, C]; brackets inside names are kept."""
    units = []
    for part in split_outside_brackets(text, _SEPARATORS):
        name = _ETC.sub("", part).strip(" :：")
        if name and name not in units:
            units.append(name)
    return units


def find_markers(text: str) -> list[Marker]:
    """Every responsibility marker in `text`, in order of appearance."""
    markers = []
    covered: list[tuple[int, int]] = []
    for start, end, unclosed in _bracket_groups(text):
        inner = text[start + 1 : end - 1] if not unclosed else text[start + 1 : end]
        marker = classify(inner, start=start, end=end, raw=text[start:end])
        if marker is None:
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
    inner = inner.strip()
    raw = raw or f"({inner})"
    if _KEY_RE.search(inner):
        return _keyed(inner, start=start, end=end, raw=raw, bracketed=True)
    if "牵头" in inner:
        return _lead_partners(inner, start=start, end=end, raw=raw)
    if inner.endswith("负责") and not re.search(r"[。:：]", inner):
        names = split_units(inner.removesuffix("负责"))
        if names and all(_plausible(n) for n in names):
            return Marker("in_charge", start, end, raw, lead=tuple(names))
    return None


def _keyed(inner: str, *, start: int, end: int, raw: str, bracketed: bool) -> Marker | None:
    keys = list(_KEY_RE.finditer(inner))
    if not keys or inner[: keys[0].start()].strip(" ,;，；"):
        return None  # text before the first key: a sentence that mentions 责任单位
    roles: dict[str, list[str]] = {LEAD: [], PARTNER: [], RESPONSIBLE: []}
    problems = []
    for index, key in enumerate(keys):
        stop = keys[index + 1].start() if index + 1 < len(keys) else len(inner)
        names = split_units(inner[key.end() : stop])
        if not names:
            problems.append(f"“{key.group(1)}”后没有单位")
        roles[_KEYS[key.group(1)]].extend(n for n in names if n not in roles[_KEYS[key.group(1)]])
    used = [role for role, names in roles.items() if names]
    if not bracketed:
        form = "own_line"
    elif used == [RESPONSIBLE] and len(keys) == 1:
        form = "responsible"
    else:
        form = "keyed"
    return Marker(
        form,
        start,
        end,
        raw,
        lead=tuple(roles[LEAD]),
        partners=tuple(roles[PARTNER]),
        responsible=tuple(roles[RESPONSIBLE]),
        problems=tuple(problems),
    )


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
    if others and not verb and not all(_UNIT_END.search(n) for n in others):
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
    """Top-level "(...)" groups as (start, end, unclosed); other brackets only nest."""
    groups = []
    depth = 0
    start = -1
    for index, ch in enumerate(text):
        if ch in "(（":
            if depth == 0:
                start = index
            depth += 1
        elif ch in ")）" and depth:
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
