"""Template filters for masked personal data: {% load masking %} then {{ value|mask_phone }}."""

from __future__ import annotations

from django import template

from weijian.core import masking

register = template.Library()


@register.filter(name="mask_id")
def mask_id(value: object) -> str:
    """居民身份证号 with only the first 3 and last 4 characters shown."""
    return masking.mask_resident_id(value)


@register.filter(name="mask_phone")
def mask_phone(value: object) -> str:
    """Phone number with the middle digits hidden."""
    return masking.mask_phone(value)


@register.filter(name="mask_name")
def mask_name(value: object) -> str:
    """Personal name with only the first character shown."""
    return masking.mask_name(value)
