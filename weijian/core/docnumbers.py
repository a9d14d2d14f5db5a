"""发文字号 (document numbers), GB/T 9704-2012 §7.2.5: issuer code + 〔full year〕 + serial + 号.

Canonical form: ``萍府办发〔2019〕36号`` (no 第, no leading zeros, brackets 〔〕).
Imported text writes the brackets many ways ([] 【】 () （） ［］ ﹝﹞ 〈〉 〖〗), uses full-width
digits, stray spaces, leading zeros and sometimes 第; `parse_docnumber` accepts all of these
and normalises them.
令 numbers are the exception that keeps 第 and has no year: ``国令第672号``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HAN = "\u4e00-\u9fa5"
CANONICAL = re.compile(rf"^(?P<issuer>[{HAN}]+)〔(?P<year>[0-9]{{4}})〕(?P<serial>[1-9][0-9]*)号$")
ISSUER = re.compile(rf"[{HAN}]+")
MIN_YEAR, MAX_YEAR = 1900, 2100

_OPEN = "[【(（〔［﹝〈〖﹙"
_CLOSE = "]】)）〕］﹞〉〗﹚"
_NORMALISE = str.maketrans(
    {
        **dict.fromkeys(_OPEN, "〔"),
        **dict.fromkeys(_CLOSE, "〕"),
        **{chr(ord("０") + i): str(i) for i in range(10)},
    }
)

# Whole-string grammar for parse_docnumber, applied after normalising and removing whitespace.
_ORDER = re.compile(r"(?P<issuer>[^〔〕]*令)〔?第(?P<serial>[0-9]+)号〕?")
_YEARED = re.compile(r"(?P<issuer>[^〔〕]*)〔(?P<year>[^〔〕]*)〕(?P<rest>.*)")
_NO_YEAR = re.compile(rf"[{HAN}]+第?[0-9]+号")

# Running text: the issuer is the run of Han characters before the bracket, trimmed after
# the last word that cannot belong to an issuer code (see _trim_issuer).
_SP = r"[ \t\u3000\xa0]*"
_IN_TEXT = re.compile(
    rf"(?P<issuer>[{HAN}]{{1,24}}){_SP}〔{_SP}(?P<year>[0-9]{{4}}){_SP}〕{_SP}第?{_SP}"
    rf"(?P<serial>[0-9]+){_SP}号"
    rf"|(?P<order_issuer>[{HAN}]{{0,24}}令){_SP}〔?{_SP}第{_SP}(?P<order_serial>[0-9]+){_SP}号"
)
_LEAD_WORDS = (
    "根据", "依据", "按照", "参照", "依照", "遵照", "对照", "执行", "贯彻", "落实", "印发",
    "转发", "文件", "字号", "文号", "编号", "引用", "详见", "参见", "结合", "通过", "关于",
    "再次", "同时", "以及",
)  # fmt: skip
_BREAKS_ALWAYS = "号的及与或即见"
# Not for 令: those issuers are full names (中华人民共和国国务院令, 国家卫生和计划生育委员会令).
_BREAKS_YEARED = "和"
_MAX_YEARED_ISSUER = 10


class DocNumberError(ValueError):
    """The text is not a valid 发文字号; the message says what is wrong, in Chinese."""

    def __init__(self, text: str, problem: str | None = None) -> None:
        self.text = text
        self.problem = problem
        if problem is None:
            super().__init__(f"“{text}”不是发文字号")
        else:
            super().__init__(f"“{text}”不是有效的发文字号：{problem}")


@dataclass(frozen=True)
class DocNumber:
    """A parsed 发文字号. `year` is None only for 令 numbers (国令第672号)."""

    issuer: str
    year: int | None
    serial: int

    def __post_init__(self) -> None:
        if not ISSUER.fullmatch(self.issuer):
            raise DocNumberError(str(self), "发文机关代字只能由汉字组成")
        if self.serial < 1:
            raise DocNumberError(str(self), "序号不能为0")
        if self.year is None and not self.issuer.endswith("令"):
            raise DocNumberError(str(self), "缺少年份")
        if self.year is not None and not MIN_YEAR <= self.year <= MAX_YEAR:
            raise DocNumberError(str(self), f"年份{self.year}超出合理范围")

    def __str__(self) -> str:
        if self.year is None:
            return f"{self.issuer}第{self.serial}号"
        return f"{self.issuer}〔{self.year}〕{self.serial}号"


def _normalise(text: str) -> str:
    return text.translate(_NORMALISE)


def _serial(digits: str, original: str) -> int:
    if not digits:
        raise DocNumberError(original, "缺少序号")
    serial = int(digits)
    if serial == 0:
        raise DocNumberError(original, "序号不能为0")
    return serial


def _issuer(issuer: str, original: str) -> str:
    if not issuer:
        raise DocNumberError(original, "缺少发文机关代字")
    if not ISSUER.fullmatch(issuer):
        raise DocNumberError(original, f"发文机关代字“{issuer}”只能由汉字组成")
    return issuer


def _year(year: str, original: str) -> int:
    if not year:
        raise DocNumberError(original, "缺少年份")
    if not re.fullmatch(r"[0-9]{4}", year):
        raise DocNumberError(original, f"年份应为4位数字（如2019），实际为“{year}”")
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise DocNumberError(original, f"年份{year}超出合理范围")
    return int(year)


def parse_docnumber(text: str) -> DocNumber:
    """Parse one 发文字号, tolerating the variants listed in the module docstring."""
    original = text.strip()
    compact = re.sub(r"\s+", "", _normalise(original))
    if not compact:
        raise DocNumberError(original, "发文字号为空")
    order = _ORDER.fullmatch(compact)
    if order:
        issuer = _issuer(order["issuer"], original)
        return DocNumber(issuer=issuer, year=None, serial=_serial(order["serial"], original))
    yeared = _YEARED.fullmatch(compact)
    if yeared is None:
        if _NO_YEAR.fullmatch(compact):
            raise DocNumberError(original, "缺少年份")
        raise DocNumberError(original)
    issuer = _issuer(yeared["issuer"], original)
    year = _year(yeared["year"], original)
    rest = yeared["rest"].removeprefix("第")
    if rest in ("", "号"):
        raise DocNumberError(original, "缺少序号")
    if not rest.endswith("号"):
        raise DocNumberError(original, "末尾缺少“号”字")
    digits = rest.removesuffix("号")
    if not re.fullmatch(r"[0-9]+", digits):
        raise DocNumberError(original, f"序号应为数字，实际为“{digits}”")
    return DocNumber(issuer=issuer, year=year, serial=_serial(digits, original))


def _trim_issuer(run: str, *, order: bool) -> str:
    """Cut a run of Han characters after the last word that cannot be part of an issuer code."""
    breaks = _BREAKS_ALWAYS if order else _BREAKS_ALWAYS + _BREAKS_YEARED
    cut = max((run.rfind(ch) + 1 for ch in breaks), default=0)
    cut = max([cut] + [run.rfind(word) + len(word) for word in _LEAD_WORDS if word in run])
    return run[cut:]


def find_docnumbers(text: str) -> list[DocNumber]:
    """The 发文字号 in running text, in order of first appearance, each once.

    The issuer code is taken as the Han characters right before the bracket (before 令 for 令
    numbers), cut after connecting words such as 根据, 印发, 的, 和 (not 和 for 令: 共和国).
    This is a heuristic: an issuer glued to other words may come out too long.
    """
    found: dict[DocNumber, None] = {}
    for match in _IN_TEXT.finditer(_normalise(text)):
        order = match["order_serial"] is not None
        issuer = _trim_issuer(match["order_issuer"] if order else match["issuer"], order=order)
        if not order:
            issuer = issuer[-_MAX_YEARED_ISSUER:]
        try:
            if order:
                number = DocNumber(issuer=issuer, year=None, serial=int(match["order_serial"]))
            else:
                number = DocNumber(
                    issuer=issuer, year=int(match["year"]), serial=int(match["serial"])
                )
        except DocNumberError:
            continue  # serial 0, implausible year, or nothing left of the issuer
        found.setdefault(number, None)
    return list(found)
