"""Deadlines (完成时限): "2020年底前", "2021年6月底前", "长期坚持" → a date, or none, and the words.

`parse_deadline(words, doc_year=…)` reads the words of a 完成时限 cell or phrase. Full-width digits
and Chinese numerals (二〇二〇年, 六月底, 第三季度) are accepted. What a phrase means:

- a year: "2020年底前", "2020年年底", "2020年前", "2020年" → 31 December of that year;
- a month: "2021年6月底前", "2021年6月" → its last day; 上旬 / 中旬 → the 10th / 20th;
- a day: "2020年12月31日前", "2020-12-31" → that day;
- a part of a year: 上半年 / 年中 → 30 June, 下半年 → 31 December, 第三季度 → 30 September;
- a range of years: "2019—2020年" → 31 December of the last year;
- "十三五"期间 / 末 → 31 December 2020 (十四五 2025, 十五五 2030);
- 年内 / 年底 / 当年 / 本年度 / 今年 → 31 December of the document's year, 明年 / 次年 the year
  after; a month or quarter written without a year takes the last year written before it in the
  same words, else the document's year;
- open-ended words (长期坚持, 持续推进, 常态化, 每年…) with no date: no date, no problem.

Several dates ("2020年底前，2022年底前全面完成") give the latest of them: the final deadline, by
which the whole task is due; the earlier ones are stages kept in the words. A date followed by
起 / 开始 / 以来 is a start, not a deadline, and is skipped.

Words that cannot be read give `on=None` and a Chinese `problem`; nothing here raises.
`find_deadline(task_text, doc_year=…)` finds a deadline phrase written inside a task's text:
a bracket holding only deadline words ("（2020年底前完成）", "（完成时限：2021年6月底前）"), a keyed
phrase ("完成时限：…", "时间要求：…") or a last sentence made only of deadline words.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from weijian.core.text.normalize import display, normalize
from weijian.core.text.numerals import cn_to_int

_MIN_YEAR, _MAX_YEAR = 1949, 2100
_PLAN_END = {"三": 2020, "四": 2025, "五": 2030}

# A year reference in front of a month, quarter or half: explicit, relative, or none.
_Y = r"(?:(?P<y>\d{4})年度?|(?P<r>当年|本年度?|今年|同年|明年|次年|翌年))?"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("day", re.compile(r"(?<!\d)(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?!\d)")),
    ("day", re.compile(_Y + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]")),
    ("month", re.compile(_Y + r"(?P<m>\d{1,2})月份?(?P<part>上旬|中旬|下旬|底|末)?")),
    ("quarter", re.compile(_Y + r"第?(?P<q>[1-4])季度(?:末|底)?")),
    ("half", re.compile(_Y + r"(?P<h>上半年|前半年|年中|下半年|后半年)")),
    ("range", re.compile(r"(?P<y1>\d{4})年?[-—~至到](?P<y>\d{4})年度?")),
    ("year", re.compile(r"(?P<y>\d{4})年度?(?:年?底|年?末|内)?")),
    ("plan", re.compile(r"[“\"]?十(?P<p>[三四五])五[”\"]?")),
    (
        "relative",
        re.compile(r"(?P<r>当年|本年度?|今年|同年|明年|次年|翌年)(?:底|末|内)?|年内|年底|年末"),
    ),
]
_START = re.compile(r"(?:起|开始|以来)")
_OPEN_ENDED = re.compile(
    r"长期|持续|常态化?|经常性|逐年|每年|每季度?|每半年|每月|定期|按年度|按季度|分年度|分阶段|动态|滚动"
)
_RECURRING = re.compile(r"每年|每季度?|每半年|每月|按年度|按季度")

_SPACE_NEAR_HAN = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")
_CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
_CN_COUNT = re.compile(r"[一二两三四五六七八九十]{1,3}(?=月|季度|日|号)")
_CN_DIGIT = {ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}


@dataclass(frozen=True)
class Deadline:
    on: datetime.date | None
    text: str  # the words, normalised for display ("2020年底前", "长期坚持")
    problem: str = ""  # a Chinese message when the words could not be read as a date
    start: int = field(default=0, compare=False)  # span in the task text (find_deadline)
    end: int = field(default=0, compare=False)

    @property
    def open_ended(self) -> bool:
        """Words such as 长期坚持: no date, and none is missing."""
        return self.on is None and not self.problem and bool(self.text)


@dataclass(frozen=True)
class _Hit:
    kind: str
    start: int
    end: int
    groups: dict[str, str | None]


def parse_deadline(text: str, *, doc_year: int | None) -> Deadline:
    """Read the words of a 完成时限 (see the module docstring for what they mean)."""
    words = _SPACE_NEAR_HAN.sub("", display(normalize(text or "")))
    if not words:
        return Deadline(None, "")
    hits = _hits(_arabic(words))
    if not hits:
        if _OPEN_ENDED.search(words):
            return Deadline(None, words)
        return Deadline(None, words, f"无法识别完成时限“{words}”")
    if _RECURRING.search(words) and not any(h.groups.get("y") for h in hits):
        return Deadline(None, words)  # 每年6月底前: a recurring date, not one deadline
    dates: list[datetime.date] = []
    context = None
    for hit in hits:
        year = _year(hit, context=context, doc_year=doc_year)
        if hit.groups.get("y"):
            context = year
        if year is None:
            return Deadline(None, words, f"文件年份不明，无法确定完成时限“{words}”的年份")
        found = _date(hit, year)
        if found is None:
            return Deadline(None, words, f"完成时限“{words}”中的日期无效")
        dates.append(found)
    return Deadline(max(dates), words)


def _arabic(text: str) -> str:
    """Chinese numerals before 年 / 月 / 季度 / 日 as digits; spaces removed."""
    text = re.sub(r"\s+", "", text)
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT[ch] for ch in m.group(0)), text)
    return _CN_COUNT.sub(lambda m: str(cn_to_int(m.group(0)) or m.group(0)), text)


def _hits(text: str) -> list[_Hit]:
    """Date phrases in text order; each pattern only sees what earlier patterns left."""
    hits: list[_Hit] = []
    masked = text
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(masked):
            if not match.group(0):
                continue
            masked = masked[: match.start()] + "\0" * len(match.group(0)) + masked[match.end() :]
            if _START.match(text, match.end()):
                continue  # 2019年起: a start
            hits.append(_Hit(kind, match.start(), match.end(), match.groupdict()))
    return sorted(hits, key=lambda h: h.start)


def _year(hit: _Hit, *, context: int | None, doc_year: int | None) -> int | None:
    groups = hit.groups
    if groups.get("y"):
        return int(groups["y"] or 0)
    if groups.get("p"):
        return _PLAN_END[groups["p"] or ""]
    relative = groups.get("r") or ""
    if relative in ("明年", "次年", "翌年"):
        base = context if relative != "明年" and context else doc_year
        return base + 1 if base else None
    if relative == "同年" or (not relative and hit.kind in ("day", "month", "quarter", "half")):
        return context or doc_year
    return doc_year


def _date(hit: _Hit, year: int) -> datetime.date | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    reader = _READERS.get(hit.kind, _year_end)
    try:
        return reader(hit.groups, year)
    except ValueError:
        return None


def _year_end(groups: dict[str, str | None], year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _month_end(year: int, month: int) -> datetime.date:
    if not 1 <= month <= 12:
        raise ValueError(month)
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _day(groups: dict[str, str | None], year: int) -> datetime.date:
    return datetime.date(year, int(groups["m"] or 0), int(groups["d"] or 0))


def _month(groups: dict[str, str | None], year: int) -> datetime.date:
    month = int(groups["m"] or 0)
    part = groups.get("part")
    if part in ("上旬", "中旬"):
        return datetime.date(year, month, 10 if part == "上旬" else 20)
    return _month_end(year, month)


def _quarter(groups: dict[str, str | None], year: int) -> datetime.date:
    return _month_end(year, int(groups["q"] or 0) * 3)


def _half(groups: dict[str, str | None], year: int) -> datetime.date:
    first = groups["h"] in ("上半年", "前半年", "年中")
    return _month_end(year, 6 if first else 12)


_READERS: dict[str, Callable[[dict[str, str | None], int], datetime.date]] = {
    "day": _day,
    "month": _month,
    "quarter": _quarter,
    "half": _half,
}


# --- finding a deadline inside a task's text -------------------------------------------------

_KEYS = r"完成时限|完成时间|完成期限|时间要求|时限要求|时间节点|时间安排|截止时间|时限"
_KEYED = re.compile(
    rf"(?:{_KEYS})\s*[:：]\s*(?P<words>[^。;；\n()（）]+?)"
    r"(?=$|[。;；\n()（）]|[,，]\s*[^,，:：]{0,8}(?:单位|部门)\s*[:：])"
)
_KEY_PREFIX = re.compile(rf"^\s*(?:{_KEYS})\s*[:：]")
_BRACKET = re.compile(r"[(（](?P<words>[^()（）\n]{2,60})[)）]")
# Words that make a bare date a deadline when it is only part of a bracket or a sentence.
_CUE = re.compile(r"前|底|末|完成|截止|长期|持续|常态")
_FILLER = re.compile(
    r"之前|以前|前|底|末|全面|基本|初步|完成|启动|实施|到位|建成|见效|取得|成效|实现|落实|"
    r"推进|坚持|开展|执行|常态化|长期|持续|逐年|每年|起|开始|并|和|及|出台|印发|制定|建立|上线|"
    r"投用|投入使用|验收|部署|报送|提交|[\s,，、;；。.]"
)


def find_deadline(text: str, *, doc_year: int | None) -> Deadline | None:
    """The deadline written inside a task's text, or None.

    Of several phrases, the one with the latest date wins (see parse_deadline); without any
    date, the last open-ended one. `start` and `end` give the phrase's span in `text`, brackets
    included, so that a caller may cut it out.
    """
    found = list(_phrases(text, doc_year))
    dated = [d for d in found if d.on is not None]
    if dated:
        return max(dated, key=lambda d: (d.on or datetime.date.min, d.start))
    return found[-1] if found else None


def _phrases(text: str, doc_year: int | None) -> Iterator[Deadline]:
    covered: list[tuple[int, int]] = []
    for match in _BRACKET.finditer(text):
        for deadline in _in_bracket(match, doc_year):
            covered.append(match.span())
            yield deadline
    for match in _KEYED.finditer(text):
        if not any(start <= match.start() < end for start, end in covered):
            keyed = parse_deadline(match["words"], doc_year=doc_year)
            if keyed.on is not None or keyed.open_ended:
                yield _at(keyed, match.start(), match.end())
    sentence = _last_sentence(text)
    if sentence is not None and not any(start <= sentence[0] < end for start, end in covered):
        last = _pure(text[sentence[0] : sentence[1]], doc_year, keyed=False)
        if last is not None and _CUE.search(last.text):
            yield _at(last, *sentence)


def _in_bracket(match: re.Match[str], doc_year: int | None) -> Iterator[Deadline]:
    """The whole bracket when it holds only deadline words (（2020年底前完成）), else the
    parts that do and carry a cue such as 前 or 完成: “，2020年底前完成” in
    （市卫健委牵头，2020年底前完成）, the span starting at the separator."""
    words = _KEY_PREFIX.sub("", match["words"])
    whole = _pure(words, doc_year, keyed=words != match["words"])
    if whole is not None:
        yield _at(whole, match.start(), match.end())
        return
    offset = match.start("words")
    for part in re.finditer(r"(?:^|[,，;；])(?P<part>[^,，;；]+)", match["words"]):
        words = _KEY_PREFIX.sub("", part["part"])
        deadline = _pure(words, doc_year, keyed=words != part["part"])
        if deadline is not None and (words != part["part"] or _CUE.search(words)):
            yield _at(deadline, offset + part.start(), offset + part.end())


def _pure(words: str, doc_year: int | None, *, keyed: bool) -> Deadline | None:
    """A Deadline when `words` hold nothing but deadline words (or follow a key), else None."""
    deadline = parse_deadline(words, doc_year=doc_year)
    if deadline.on is None and not deadline.open_ended:
        return None
    if keyed:
        return deadline
    rest = _arabic(deadline.text)
    for hit in reversed(_hits(rest)):
        rest = rest[: hit.start] + rest[hit.end :]
    return deadline if not _FILLER.sub("", rest) else None


def _last_sentence(text: str) -> tuple[int, int] | None:
    """The span of the text's last sentence when there is more than one."""
    stripped = text.rstrip(" 。\n")
    cut = max(stripped.rfind("。"), stripped.rfind("\n"))
    if cut == -1:
        return None
    start = cut + 1
    while start < len(stripped) and stripped[start] == " ":
        start += 1
    return (start, len(stripped)) if start < len(stripped) else None


def _at(deadline: Deadline, start: int, end: int) -> Deadline:
    return Deadline(deadline.on, deadline.text, deadline.problem, start, end)
