"""Quantitative targets in a task's text: 到2030年，每千常住人口执业(助理)医师数达到3.5人以上.

A target is a verb (达到, 达, 提高到, 控制在, 不低于, 不超过, 降低, 覆盖 …) directly followed by a
number (or a range 3-5, 85%—90%), a unit (%, ‰, 个百分点, a rate per 10万 written 10/10万, or up
to four Chinese characters such as 人, 张, 万张, 亿元, 平方米) and an optional qualifier (以上,
以下, 以内, 左右). A value is kept as written, with its unit: 38.6万张 is 38.6 "万张".
The indicator is the clause before the verb (back to the previous , ; 。 : or 、 outside
brackets), without a leading year phrase and words such as 全市, 实现, 确保, 力争, and without
trailing words such as 均, 每年, 累计, 平均, 较2020年 / 比上年 (the base of a change).

Two more forms:
- a count followed by what it counts: 每个乡镇卫生院配备不少于2名全科医生 gives the indicator
  每个乡镇卫生院配备全科医生, ≥ 2 名;
- 实现…全覆盖 (X实现城乡全覆盖, 实现X全覆盖): X覆盖率 = 100%. Not with 基本 (基本实现…全覆盖
  promises no figure), nor without 实现 / 达到 (推进X全覆盖), nor without a subject (实现县域全覆盖
  after a clause about something else).

A list of short subjects before the indicator shares its words: 高血压、糖尿病患者规范管理率达到
60% gives 高血压患者规范管理率 and 糖尿病患者规范管理率 (the shared words start at 患者, 死亡,
管理 …).

Comparators are ASCII codes (the models map them to ≥ ≤ = ≈):
  ">="  以上 / 及以上, 不低于, 不少于, 超过, 高于; a range such as 3-5 (value is its lower end)
  "<="  以下 / 以内 / 之内, 不超过, 不高于, 低于, 少于, 控制在
  "~"   左右
  "="   anything else (达到4张, 覆盖率达100%)
The signs ≥ ≤ > < read like 不低于 and 不超过. After 分别 each value is a target of its own
(A和B分别达到90%、85%以上), paired with the indicators the clause names when it names as many.
A relative verb (降低 / 下降 / 减少, 提高 / 增长 / 增加 without 到) sets `change` to "decrease" or
"increase": the value is the size of the change (5个百分点), not the level.

The year is the nearest preceding year phrase in the same text: 到2020年, 至2030年底, 2020年前,
a clause that opens with 2020年, "十三五"末 (2020), N年内 counted from the document's year, or
年内 / 当年 (the document's year). A year phrase whose number is lost (到年) clears the year and
is reported as a problem. 较2024年 is the base of a change, not a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from weijian.core.text.normalize import HAN
from weijian.core.text.numerals import cn_to_int

_VERBS = (
    "增加到|增长到|提高到|提升到|上升到|下降到|降低到|减少到|增加至|增长至|提高至|提升至|下降至|"
    "降低至|减少至|降至|减至|达到|控制在|保持在|稳定在|维持在|不低于|不少于|不高于|不超过|超过|"
    "高于|低于|少于|多于|降低|下降|减少|提高|增长|增加|覆盖|达|≥|≤|>=|<=|＞|＜|>|<"
)
_QUALS = "及以上|以上|及以下|以下|以内|之内|左右"
_END = r"[,，。;；、)）\s:：]|\.(?!\d)|$"
_TARGET = re.compile(
    rf"(?P<verb>{_VERBS})\s*(?P<value>\d+(?:\.\d+)?)"
    rf"(?:\s*(?:%|‰)?\s*[-~—至到]\s*(?P<high>\d+(?:\.\d+)?))?\s*"
    rf"(?P<unit>%|‰|‱|/(?:\d+|十)?万|个?百分点|[{HAN}]{{1,4}}?(?=(?:{_QUALS})|{_END})"
    rf"|(?=(?:{_QUALS})|{_END}))"
    rf"(?P<qual>{_QUALS})?"
)
_YEAR = re.compile(
    r"(?:到|至|截至|截止到?)\s*(?P<to>\d{4})\s*年"
    r"|(?:^|(?<=[。;；,，:：\s]))(?P<lead>\d{4})\s*年(?![度)）\-—~])"
    r"|[“\"]?十(?P<plan>[三四五])五[”\"]?(?:末|期末|时期末)"
    r"|(?P<within>\d{1,2}|[一二两三四五六七八九十]{1,3})\s*年内"
    r"|(?P<this>(?<![\d一二两三四五六七八九十])年内|当年|今年)"
    r"|(?P<broken>到\s*年)"
)
# 不少于2名全科医生: a count followed by what is counted (the indicator's last words).
_COUNTED = re.compile(
    rf"(?P<verb>不少于|不低于|达到|至少)\s*(?P<value>\d+(?:\.\d+)?)\s*"
    rf"(?P<unit>名|个|家|所|人|支|项|张|台|种|次|篇|场)(?P<noun>[{HAN}]{{2,12}}?)(?={_END})"
)
# 实现（城乡）全覆盖: coverage of 100%.
_FULL_COVERAGE = re.compile(r"全覆盖")
_COVERAGE_WORDS = re.compile(r"实现|达到")
_SCOPE = re.compile(r"(?:全国|全省|全市|全县|全区|城乡|县域|辖区|所有|全部)+$")
_PLAN_END = {"三": 2020, "四": 2025, "五": 2030}
_LESS = ("不超过", "不高于", "低于", "少于", "控制在", "≤", "<=", "<", "＜")
_MORE = ("不低于", "不少于", "超过", "高于", "多于", "≥", ">=", ">", "＞")
# Further values after 分别: 参保率分别达到95%、98%以上 / 分别达到90%和85%.
_MORE_VALUES = re.compile(
    rf"\s*(?:、|和|及|与|,|，)\s*(?P<value>\d+(?:\.\d+)?)\s*"
    rf"(?P<unit>%|‰|‱|个?百分点|[{HAN}]{{1,2}}?(?=(?:{_QUALS})|{_END})|(?=(?:{_QUALS})|{_END}))"
    rf"(?P<qual>{_QUALS})?"
)
_SPLIT_INDICATORS = re.compile(r"、|和|及|与")
_NOT_SUBJECT = re.compile(
    rf"\d|{_VERBS}|^(?:推进|推动|加强|加快|建设|完善|开展|实施|提升|落实|建立|健全|深化|强化|优化|"
    r"做好|支持|鼓励|引导|规范|促进|创建|组织)"
)
_TAIL_START = re.compile(r"患者|人群|人口|死亡|发病|患病|筛查|管理|接种|检出|覆盖|达标")
_INDICATOR_END = "率数量比值度龄命例"
_DOWN = ("降低", "下降", "减少")
_UP = ("提高", "增长", "增加")
_RATIO_UNITS = ("%", "‰", "‱", "个百分点", "百分点", "/万", "/10万", "/十万", "/100万")
_CLAUSE_END = set(",，;；。:：、\n")
_LEADING = re.compile(
    r"^(?:(?:到|至)?\s*\d{4}\s*年(?:底|末)?前?|(?:\d{1,2}|[一二两三四五六七八九十]{1,3})?\s*年内|到\s*年|"
    r"当年|今年|"
    r"[“\"]?十[三四五]五[”\"]?(?:末|期末)|全市|全省|全区|全县|全国|我市|实现|确保|力争|努力|"
    r"使|基本|逐步|进一步|其中|同时|并)+"
)
_TRAILING = re.compile(
    r"(?:(?<![平年])均|分别|要|将|应|能|在[^,，]{0,10}基础上|[比较](?:\d{4}年|上年|上一年|去年)(?:底|末)?|"
    r"同比|每年|年均|累计|平均|力争|原则上|稳步|逐步|每次)+$"
)


@dataclass(frozen=True)
class Target:
    indicator: str
    comparator: str  # ">=", "<=", "=", "~"
    value: float
    unit: str
    year: int | None
    start: int = 0  # offset in the text
    raw: str = ""
    value_max: float | None = None  # upper end of a range (下降3-5个百分点)
    change: str | None = None  # "increase" / "decrease" for relative targets


def find_targets(text: str, *, doc_year: int | None = None) -> tuple[list[Target], list[str]]:
    """The targets in `text` and the problems met (Chinese messages for the user)."""
    problems: list[str] = []
    years = _years(text, doc_year, problems)
    targets: list[Target] = []
    for match in _TARGET.finditer(text):
        found = _quantity(text, match, years)
        targets.extend(found)
        if found and not found[0].indicator:
            problems.append(f"目标“{match.group(0)}”缺少指标名称")
    starts = {target.start for target in targets}
    targets.extend(t for t in _counted(text, years) if t.start not in starts)
    targets.extend(_coverage(text, years))
    return sorted(targets, key=lambda t: t.start), problems


def _year_at(years: list[tuple[int, int | None]], position: int) -> int | None:
    """The year of the nearest year phrase before `position`."""
    year = None
    for start, found in years:
        if start < position:
            year = found
    return year


def _quantity(text: str, match: re.Match[str], years: list[tuple[int, int | None]]) -> list[Target]:
    """The target(s) of one verb followed by a quantity (none for a date or a bare number)."""
    value = float(match["value"])
    unit = match["unit"] or ""
    if unit.startswith("年") or (value >= 1900 and not unit):
        return []  # a date, not a quantity
    if match["verb"] in (*_DOWN, *_UP, "覆盖") and unit not in _RATIO_UNITS:
        return []  # 提高0-6岁儿童…: a verb followed by a number, not a target
    target = Target(
        indicator=_indicator(text, match.start()),
        comparator=_comparator(match["verb"], match["qual"], ranged=bool(match["high"])),
        value=value,
        unit=unit,
        year=_year_at(years, match.start()),
        start=match.start(),
        raw=text[_clause_start(text, match.start()) : match.end()].strip(),
        value_max=float(match["high"]) if match["high"] else None,
        change=_change(match["verb"]),
    )
    return _respectively(text, match, target) or _shared(text, match.start(), target)


def _counted(text: str, years: list[tuple[int, int | None]]) -> list[Target]:
    """每个乡镇卫生院配备不少于2名全科医生: 每个乡镇卫生院配备全科医生 ≥ 2 名."""
    targets = []
    for match in _COUNTED.finditer(text):
        indicator = _indicator(text, match.start()) + match["noun"]
        targets.append(
            Target(
                indicator=indicator,
                comparator=_comparator(match["verb"], None, ranged=False),
                value=float(match["value"]),
                unit=match["unit"],
                year=_year_at(years, match.start()),
                start=match.start(),
                raw=text[_clause_start(text, match.start()) : match.end()].strip(),
            )
        )
    return targets


def _coverage(text: str, years: list[tuple[int, int | None]]) -> list[Target]:
    """(X)实现(城乡)全覆盖 → X覆盖率 = 100%. Without 实现 or 达到 (推进X全覆盖), with 基本 (基本实现
    X全覆盖: no figure is promised) or without a subject (2030年实现全覆盖) there is no target."""
    targets = []
    for match in _FULL_COVERAGE.finditer(text):
        start = _clause_start(text, match.start())
        clause = text[start : match.start()]
        if not _COVERAGE_WORDS.search(clause) or "基本" in clause:
            continue
        subject = _LEADING.sub("", clause.strip())
        subject = _SCOPE.sub("", _COVERAGE_WORDS.sub("", subject)).strip(" ,，")
        if not subject:
            continue
        targets.append(
            Target(
                indicator=f"{_TRAILING.sub('', subject)}覆盖率",
                comparator="=",
                value=100.0,
                unit="%",
                year=_year_at(years, match.start()),
                start=match.start(),
                raw=text[start : match.end()].strip(),
            )
        )
    return targets


def _respectively(text: str, match: re.Match[str], target: Target) -> list[Target]:
    """One target per value after 分别 (A和B分别达到90%、85%以上: A ≥ 90%, B ≥ 85%), or none
    when the clause has no 分别 or a single value. The last qualifier and unit hold for the
    values written without them; the indicators are paired with the values when the clause
    names as many, each ending like one (…率)."""
    clause = text[_clause_start(text, match.start()) : match.start()].rstrip()
    if not clause.endswith("分别"):
        return []
    values: list[tuple[float, str, str | None, int]] = [
        (target.value, target.unit, match["qual"], match.end())
    ]
    position = match.end()
    while (more := _MORE_VALUES.match(text, position)) is not None and more.end() > position:
        values.append((float(more["value"]), more["unit"] or "", more["qual"], more.end()))
        position = more.end()
    if len(values) == 1:
        return []
    qual = next((q for _, _, q, _ in reversed(values) if q), None)
    unit = next((u for _, u, _, _ in reversed(values) if u), "")
    start = _list_start(text, _clause_start(text, match.start()))
    listed = _indicator(text, match.start(), start=start)
    names = _shared_tail([n.strip() for n in _SPLIT_INDICATORS.split(listed)])
    if len(names) != len(values) or not all(n and n[-1] in _INDICATOR_END for n in names):
        names = [listed] * len(values)
    return [
        replace(
            target,
            indicator=name,
            value=value,
            unit=value_unit or unit,
            comparator=_comparator(match["verb"], value_qual or qual, ranged=False),
            raw=text[start:end].strip(),
        )
        for name, (value, value_unit, value_qual, end) in zip(names, values, strict=True)
    ]


def _shared(text: str, verb_start: int, target: Target) -> list[Target]:
    """高血压、糖尿病患者规范管理率达到60%: one target per subject of the list, each with the
    shared words (高血压患者规范管理率, 糖尿病患者规范管理率); else the target alone."""
    start = _list_start(text, _clause_start(text, verb_start))
    if start == _clause_start(text, verb_start):
        return [target]
    names = _shared_tail(_indicator(text, verb_start, start=start).split("、"))
    if not all(n and n[-1] in _INDICATOR_END for n in names):
        return [target]
    raw = (
        text[start : target.start]
        + target.raw[len(text[_clause_start(text, verb_start) : target.start]) :]
    )
    return [replace(target, indicator=name, raw=raw.strip()) for name in names]


def _list_start(text: str, start: int) -> int:
    """The start of a list of short subjects before a clause (高血压、糖尿病患者…): the clause
    starts at an enumeration comma after a short fragment without figures or verbs."""
    while start > 0 and text[start - 1] == "、":
        before = _clause_start(text, start - 1)
        fragment = text[before : start - 1].strip()
        if not fragment or len(fragment) > 10 or _NOT_SUBJECT.search(fragment):
            break
        start = before
    return start


def _shared_tail(names: list[str]) -> list[str]:
    """[高血压, 2型糖尿病患者规范管理率] → [高血压患者规范管理率, 2型糖尿病患者规范管理率]: names
    that do not end like an indicator take the last name's words from 患者 / 死亡 … on."""
    last = names[-1] if names else ""
    found = _TAIL_START.search(last)
    if found is None or found.start() == 0:
        return names
    tail = last[found.start() :]
    return [n if not n or n[-1] in _INDICATOR_END else n + tail for n in names[:-1]] + [last]


def _years(text: str, doc_year: int | None, problems: list[str]) -> list[tuple[int, int | None]]:
    years: list[tuple[int, int | None]] = []
    for match in _YEAR.finditer(text):
        year: int | None
        if match["to"] or match["lead"]:
            year = int(match["to"] or match["lead"])
            if not 1900 <= year <= 2100:
                continue
        elif match["plan"]:
            year = _PLAN_END[match["plan"]]
        elif match["this"]:
            year = doc_year  # 年内 / 当年: the document's year
        elif match["within"]:
            count = cn_to_int(match["within"])
            if doc_year is None:
                problems.append(f"文件年份不明，无法确定“{match.group(0)}”对应的年份")
            year = doc_year + count if doc_year is not None and count else None
        else:
            problems.append("目标年份缺失（“到…年”中没有年份）")
            year = None
        years.append((match.start(), year))
    return years


def _clause_start(text: str, end: int) -> int:
    depth = 0
    index = end
    while index > 0:
        ch = text[index - 1]
        if ch in ")）〕]】":
            depth += 1
        elif ch in "(（〔[【":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (ch in _CLAUSE_END or ch == "." and not _decimal(text, index - 1)):
            break
        index -= 1
    return index


def _decimal(text: str, dot: int) -> bool:
    """Whether the "." at `dot` is a decimal point (3.5), not a half-width full stop."""
    return text[dot - 1 : dot].isdigit() and text[dot + 1 : dot + 2].isdigit()


def _indicator(text: str, verb_start: int, *, start: int | None = None) -> str:
    """The clause before the verb (from `start` when given), without its leading year phrase
    and words such as 全市 / 实现, and without trailing words such as 均 / 每年 / 较2020年."""
    start = _clause_start(text, verb_start) if start is None else start
    clause = text[start:verb_start].strip()
    clause = _LEADING.sub("", clause).strip(" ,，")
    return _TRAILING.sub("", clause).strip()


def _comparator(verb: str, qual: str | None, *, ranged: bool) -> str:
    if qual in ("以上", "及以上"):
        return ">="
    if qual:
        return "~" if qual == "左右" else "<="
    if verb in _LESS:
        return "<="
    if verb in _MORE or ranged:
        return ">="
    return "="


def _change(verb: str) -> str | None:
    if verb in _DOWN:
        return "decrease"
    if verb in _UP:
        return "increase"
    return None
