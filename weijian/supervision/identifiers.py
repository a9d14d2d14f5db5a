"""Validation of the 医疗机构执业许可证登记号 (the licence registration number).

The registration number is 22 characters, read left to right:

- 1–9   组织机构代码: digits or capital letters;
- 10–15 the GB/T 2260 code of the registering region: six digits, starting with a province code;
- 16    经营性质 (nature of operation): a digit 1–9;
- 17    服务对象 (who it serves): a digit;
- 18–22 the institution-category code: a capital letter and four digits (e.g. A1001).

Like `weijian.core.identifiers`, the input is normalised first (full-width to ASCII, spaces and
hyphens removed, upper case) and every refusal says in Chinese which position is wrong.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from weijian.core.identifiers import DIGITS, compact

LENGTH = 22
ORG_CODE_ALPHABET = DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# GB/T 2260 province-level prefixes (11 北京 … 82 澳门).
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


def _position_error(position: int, char: str, rule: str) -> ValidationError:
    return ValidationError(
        "执业许可证登记号第%(position)s位“%(char)s”无效：%(rule)s",
        code="invalid_format",
        params={"position": position, "char": char, "rule": rule},
    )


def _check_positions(number: str) -> None:
    for position, char in enumerate(number, start=1):
        if position <= 9 and char not in ORG_CODE_ALPHABET:
            raise _position_error(position, char, "第1至9位（组织机构代码）只能是数字或大写字母")
        if 10 <= position <= 17 and char not in DIGITS:
            raise _position_error(
                position,
                char,
                "第10至15位为行政区划代码，第16、17位为经营性质和服务对象，只能是数字",
            )
        if position == 18 and not ("A" <= char <= "Z"):
            raise _position_error(position, char, "第18位为机构类别代码的字母部分，应为大写字母")
        if position > 18 and char not in DIGITS:
            raise _position_error(position, char, "第19至22位为机构类别代码的数字部分，只能是数字")


def validate_license_number(value: object) -> str:
    """Return the compact registration number or raise `ValidationError` in Chinese."""
    number = compact(value)
    if len(number) != LENGTH:
        raise ValidationError(
            "执业许可证登记号应为22位，实际为%(length)s位",
            code="invalid_length",
            params={"length": len(number)},
        )
    _check_positions(number)
    if number[9:11] not in PROVINCE_PREFIXES:
        raise ValidationError(
            "执业许可证登记号第10至15位的行政区划代码%(region)s无效：前两位%(prefix)s不是省级代码",
            code="invalid_region",
            params={"region": number[9:15], "prefix": number[9:11]},
        )
    if number[15] == "0":
        raise ValidationError(
            "执业许可证登记号第16位（经营性质）不能为0", code="invalid_format", params={}
        )
    return number


def license_number_validator(value: object) -> None:
    """Django validator for model and form fields."""
    validate_license_number(value)


def license_region(number: str) -> str:
    """The six-digit region code inside a valid registration number."""
    return number[9:15]
