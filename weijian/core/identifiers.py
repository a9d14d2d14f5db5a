"""Validation of 统一社会信用代码 (USCC, GB 32100-2015) and 居民身份证号 (GB 11643-1999).

The checks are python-stdnum's (`stdnum.cn.uscc`, `stdnum.cn.ric`); this module normalises the
input first (full-width characters to ASCII, spaces and hyphens removed, upper case) and turns
stdnum's exception classes into Chinese messages that say exactly what is wrong.

Known limits inherited from stdnum: a USCC must have digits in its first 8 positions (codes of
registration authorities A/N/Y are refused), and an ID number's region code must be in stdnum's
table of administrative divisions valid in the birth year.
"""

from __future__ import annotations

import datetime
import unicodedata
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric, uscc

DIGITS = "0123456789"
USCC_ALPHABET = DIGITS + "ABCDEFGHJKLMNPQRTUWXY"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def compact(value: object) -> str:
    """Full-width to ASCII, drop whitespace and hyphens, upper-case."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def _error(message: str, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def validate_uscc(value: object) -> str:
    """Return the compact USCC or raise `ValidationError` with a precise Chinese message."""
    number = compact(value)
    if len(number) != 18:
        raise _error(
            "统一社会信用代码应为18位，实际为%(length)s位", "invalid_length", length=len(number)
        )
    for position, char in enumerate(number, start=1):
        if position <= 8 and char not in DIGITS:
            raise _error(
                "统一社会信用代码第%(position)s位“%(char)s”无效：前8位只能是数字",
                "invalid_format",
                position=position,
                char=char,
            )
        if position > 8 and char not in USCC_ALPHABET:
            raise _error(
                "统一社会信用代码第%(position)s位“%(char)s”无效："
                "第9至18位只能是数字或大写字母（不含I、O、S、V、Z）",
                "invalid_format",
                position=position,
                char=char,
            )
    try:
        return str(uscc.validate(number))
    except stdnum_errors.InvalidChecksum:
        raise _error(
            "统一社会信用代码校验位错误：最后一位应为“%(expected)s”，实际为“%(actual)s”，"
            "请核对是否有输错的字符",
            "invalid_checksum",
            expected=uscc.calc_check_digit(number),
            actual=number[-1],
        ) from None
    except stdnum_errors.ValidationError:
        raise _error("统一社会信用代码格式不正确", "invalid") from None


def _resident_id_format(number: str) -> None:
    if len(number) != 18:
        hint = "（15位旧证号已停用，请填写18位号码）" if len(number) == 15 else ""
        raise _error(
            "居民身份证号应为18位，实际为%(length)s位%(hint)s",
            "invalid_length",
            length=len(number),
            hint=hint,
        )
    for position, char in enumerate(number, start=1):
        allowed = DIGITS + "X" if position == 18 else DIGITS
        if char not in allowed:
            rule = "最后一位只能是数字或X" if position == 18 else "前17位只能是数字"
            raise _error(
                "居民身份证号第%(position)s位“%(char)s”无效：%(rule)s",
                "invalid_format",
                position=position,
                char=char,
                rule=rule,
            )


def _resident_id_component_error(number: str) -> ValidationError:
    """Say which part stdnum's InvalidComponent (or its KeyError on unknown counties) is about."""
    try:
        birth = ric.get_birth_date(number)
    except stdnum_errors.InvalidComponent:
        return _error(
            "居民身份证号中的出生日期不存在：%(digits)s", "invalid_birth_date", digits=number[6:14]
        )
    region = number[:6]
    known = any("county" in props for _, props in numdb.get("cn/loc").info(region))
    if not known:
        return _error(
            "居民身份证号中的地址码（前6位）%(region)s不是有效的行政区划代码",
            "invalid_region",
            region=region,
        )
    return _error(
        "居民身份证号中的地址码（前6位）%(region)s在%(year)s年不是有效的行政区划代码",
        "invalid_region",
        region=region,
        year=birth.year,
    )


def validate_resident_id(value: object) -> str:
    """Return the compact 18-digit ID number (upper-case X) or raise `ValidationError`."""
    number = compact(value)
    _resident_id_format(number)
    try:
        ric.validate(number)
    except stdnum_errors.InvalidChecksum:
        raise _error(
            "居民身份证号校验位错误：最后一位应为“%(expected)s”，实际为“%(actual)s”，"
            "请核对是否有输错的数字",
            "invalid_checksum",
            expected=ric.calc_check_digit(number),
            actual=number[-1],
        ) from None
    except (stdnum_errors.InvalidComponent, KeyError):
        # stdnum 2.2 raises KeyError for an unknown county inside a known province.
        raise _resident_id_component_error(number) from None
    except stdnum_errors.ValidationError:
        raise _error("居民身份证号格式不正确", "invalid") from None
    birth = ric.get_birth_date(number)
    today = datetime.datetime.now(tz=SHANGHAI).date()
    if birth > today:
        raise _error(
            "居民身份证号中的出生日期%(digits)s晚于今天", "invalid_birth_date", digits=number[6:14]
        )
    return number


def uscc_validator(value: object) -> None:
    """Django validator for model and form fields (`validators=[uscc_validator]`)."""
    validate_uscc(value)


def resident_id_validator(value: object) -> None:
    """Django validator for model and form fields (`validators=[resident_id_validator]`)."""
    validate_resident_id(value)
