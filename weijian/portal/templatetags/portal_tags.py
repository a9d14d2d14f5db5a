"""Filters for the portal's public pages."""

from __future__ import annotations

from django import template

register = template.Library()

DIGITS = "零一二三四五六七八九"


def chinese_number(value: int) -> str:
    """1 → 一, 10 → 十, 17 → 十七, 20 → 二十, 35 → 三十五; other numbers stay in digits."""
    if not 0 < value < 100:
        return str(value)
    tens, units = divmod(value, 10)
    if not tens:
        return DIGITS[units]
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[units] if units else ''}"


@register.filter(name="ordinal_cn")
def ordinal_cn(value: int) -> str:
    """（一）, （十八）: how a profile numbers its duties."""
    return f"（{chinese_number(int(value))}）"


@register.filter(name="paragraphs")
def paragraphs(value: str) -> list[str]:
    """The non-empty lines of a text, one paragraph each."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]
