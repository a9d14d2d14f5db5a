"""Text normalisation shared by the importers (profiles, plans) and the registry.

Two forms are used. `normalize` is the matching form: NFKC (full-width digits, letters and
punctuation become half-width, ideographic spaces become spaces), one kind of long dash, single
spaces. `display` turns a normalised string back into the form Chinese typography expects:
half-width commas, colons, semicolons and brackets next to Chinese characters (or after % and ‰)
become full-width again, and so does the other half of a bracket pair one side of which did,
while digits, times (8:30) and addresses (http://) stay half-width.
"""

from __future__ import annotations

import re
import unicodedata

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")

# ① … ⑳ would become bare digits under NFKC; keep them recognisable as (1) … (20).
_CIRCLED = {0x2460 + i: f"({i + 1})" for i in range(20)}
_DASHES = str.maketrans(dict.fromkeys("―‒–−─━﹣", "—"))
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")

_CJK_AROUND = f"{HAN}\u3001\u3002\u201c\u201d\u2018\u2019\u300a\u300b\uff08\uff09%‰"
_PUNCT_AFTER_HAN = re.compile(f"(?<=[{_CJK_AROUND}])([,;:!?])")
_PUNCT_BEFORE_HAN = re.compile(f"([,;:!?])(?=[{HAN}])")
_OPEN_BRACKET = re.compile(f"\\((?=[{HAN}\u201c\u300a])|(?<=[{HAN}\u3001\u3002])\\(")
_CLOSE_BRACKET = re.compile(f"(?<=[{HAN}\u3002\u201d\u300b\uff09])\\)|\\)(?=[{HAN}\u3001\u3002])")
_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "!": "！", "?": "？"})


def normalize(text: str) -> str:
    """The matching form of one line: NFKC, unified dashes and spaces, trimmed."""
    text = text.translate(_CIRCLED)
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).translate(_DASHES)
    return _SPACES.sub(" ", text).strip()


def display(text: str) -> str:
    """The form shown to readers: Chinese punctuation around Chinese text, single spaces."""
    text = _OPEN_BRACKET.sub("（", text)
    text = _CLOSE_BRACKET.sub("）", text)
    text = _PUNCT_AFTER_HAN.sub(lambda m: m.group(1).translate(_FULL), text)
    text = _PUNCT_BEFORE_HAN.sub(lambda m: m.group(1).translate(_FULL), text)
    return _pair_brackets(text).strip()


def _pair_brackets(text: str) -> str:
    """A bracket pair takes one form: (2024年2月19日通过） → （2024年2月19日通过）."""
    if not ("(" in text and "）" in text or "（" in text and ")" in text):
        return text
    chars = list(text)
    opened: list[int] = []
    for index, ch in enumerate(chars):
        if ch in "(（":
            opened.append(index)
        elif ch in ")）" and opened:
            start = opened.pop()
            if "（" in (chars[start], ch) or "）" in (chars[start], ch):
                chars[start], chars[index] = "（", "）"
    return "".join(chars)


def squeeze(text: str) -> str:
    """Remove every space: used for names (梁  东 → 梁东) and roles (组 长 → 组长)."""
    return re.sub(r"\s+", "", text)


def is_han(text: str) -> bool:
    """True when the text is made only of Chinese characters (at least one)."""
    return bool(text) and all(HAN_RE.fullmatch(ch) for ch in text)


def split_outside_brackets(text: str, separators: str = "、") -> list[str]:
    """Split on any of `separators` that is not inside brackets; empty parts are dropped."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "(（[【〔":
            depth += 1
        elif ch in ")）]】〕" and depth:
            depth -= 1
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def strip_brackets(text: str) -> tuple[str, list[str]]:
    """Split "办公室(人事科、安全生产科)" into the base and the bracketed parts."""
    inner = re.findall(r"\(([^()]*)\)", text)
    base = re.sub(r"\([^()]*\)", "", text).strip()
    return base, [part.strip() for part in inner if part.strip()]
