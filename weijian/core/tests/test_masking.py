from __future__ import annotations

import pytest
from django.template import Context, Template

from weijian.core.masking import mask_name, mask_phone, mask_resident_id


def test_mask_resident_id_keeps_first_three_and_last_four() -> None:
    assert mask_resident_id("360102199003070015") == "360***********0015"
    assert mask_resident_id("11010519491231002X") == "110***********002X"
    assert len(mask_resident_id("360102199003070015")) == 18


def test_mask_resident_id_short_and_odd_values() -> None:
    assert mask_resident_id("360426910101007") == "360********1007"  # 15-digit old number
    assert mask_resident_id("1234567") == "*******"  # nothing would be hidden: hide all
    assert mask_resident_id(" 360102199003070015 ") == "360***********0015"


def test_mask_phone_mobile() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("138 1234 5678") == "138****5678"
    assert mask_phone("+8613812345678") == "+86138****5678"
    assert mask_phone(13812345678) == "138****5678"


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("0791-86123456", "0791-****3456"),
        ("079186123456", "0791****3456"),
        ("010-12345678", "010-****5678"),
        ("021 6123456", "021 ***3456"),
        ("0791-86123456-801", "0791-****3456-***"),
        ("0791-86123456转801", "0791-****3456转***"),
    ],
)
def test_mask_phone_landline_keeps_area_code_and_last_four(number: str, masked: str) -> None:
    assert mask_phone(number) == masked


def test_mask_phone_other_formats_keep_last_four() -> None:
    assert mask_phone("86123456") == "****3456"
    assert mask_phone("1234") == "****"


def test_mask_name() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("阿卜杜·热合曼") == "阿**·***"
    assert mask_name("张") == "*"


@pytest.mark.parametrize("func", [mask_resident_id, mask_phone, mask_name])
def test_empty_and_none_give_empty_string(func: object) -> None:
    assert callable(func)
    assert func(None) == ""
    assert func("") == ""
    assert func("   ") == ""


def render(source: str, **context: object) -> str:
    return Template("{% load masking %}" + source).render(Context(context))


def test_template_filters() -> None:
    assert render("{{ v|mask_id }}", v="360102199003070015") == "360***********0015"
    assert render("{{ v|mask_phone }}", v="13812345678") == "138****5678"
    assert render("{{ v|mask_name }}", v="欧阳娜娜") == "欧***"
    assert render("[{{ v|mask_phone }}]", v=None) == "[]"


def test_template_filters_escape_their_output() -> None:
    assert render("{{ v|mask_name }}", v="<b>x") == "&lt;***"
