from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from stdnum.cn import ric, uscc

from weijian.core.identifiers import (
    resident_id_validator,
    uscc_validator,
    validate_resident_id,
    validate_uscc,
)


def with_ric_check(first17: str) -> str:
    """A complete ID number whose check digit is right, whatever else is wrong with it."""
    return first17 + ric.calc_check_digit(first17 + "0")


def error_of(func: object, value: str) -> ValidationError:
    assert callable(func)
    with pytest.raises(ValidationError) as caught:
        func(value)
    return caught.value


def message(error: ValidationError) -> str:
    return error.messages[0]


# --- 统一社会信用代码 ---

VALID_USCC = ["91350100M000100Y43", "91110000600037341L"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_valid_uscc_passes(code: str) -> None:
    assert uscc.is_valid(code)  # the examples themselves are checked against stdnum
    assert validate_uscc(code) == code


def test_uscc_is_normalised() -> None:
    assert validate_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert validate_uscc("9135 0100-M000 100Y43") == "91350100M000100Y43"
    assert validate_uscc("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


def test_uscc_wrong_length() -> None:
    error = error_of(validate_uscc, "91350100M000100Y4")
    assert error.code == "invalid_length"
    assert message(error) == "统一社会信用代码应为18位，实际为17位"
    assert message(error_of(validate_uscc, "")) == "统一社会信用代码应为18位，实际为0位"


def test_uscc_letter_in_first_eight_positions() -> None:
    error = error_of(validate_uscc, "9135O100M000100Y43")
    assert error.code == "invalid_format"
    assert message(error) == "统一社会信用代码第5位“O”无效：前8位只能是数字"


def test_uscc_forbidden_letter_later() -> None:
    error = error_of(validate_uscc, "91350100M00010OY43")
    assert error.code == "invalid_format"
    assert "第15位“O”无效" in message(error)
    assert "不含I、O、S、V、Z" in message(error)


def test_uscc_chinese_character_is_a_bad_character() -> None:
    error = error_of(validate_uscc, "91350100M000100号43")
    assert error.code == "invalid_format"
    assert "第16位“号”无效" in message(error)


def test_uscc_wrong_check_digit() -> None:
    error = error_of(validate_uscc, "91350100M000100Y44")
    assert error.code == "invalid_checksum"
    assert "校验位错误" in message(error)
    assert "应为“3”，实际为“4”" in message(error)


def test_uscc_validator_in_a_form_field() -> None:
    class Form(forms.Form):
        code = forms.CharField(validators=[uscc_validator])

    assert Form({"code": "91350100M000100Y43"}).is_valid()
    form = Form({"code": "91350100M000100Y44"})
    assert not form.is_valid()
    assert "校验位错误" in form.errors["code"][0]


# --- 居民身份证号 ---

VALID_IDS = ["360426199101010071", "11010519491231002X", with_ric_check("36010219900307001")]


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_resident_id_passes(number: str) -> None:
    assert ric.is_valid(number)
    assert validate_resident_id(number) == number


def test_resident_id_is_normalised() -> None:
    assert validate_resident_id(" 110105 19491231 002x ") == "11010519491231002X"
    assert validate_resident_id("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"


def test_resident_id_wrong_length() -> None:
    error = error_of(validate_resident_id, "3604261991010100")
    assert error.code == "invalid_length"
    assert message(error) == "居民身份证号应为18位，实际为16位"


def test_resident_id_old_fifteen_digit_number_gets_a_hint() -> None:
    assert "15位旧证号已停用" in message(error_of(validate_resident_id, "360426910101007"))


def test_resident_id_letter_in_body() -> None:
    error = error_of(validate_resident_id, "36042619910101A071")
    assert error.code == "invalid_format"
    assert message(error) == "居民身份证号第15位“A”无效：前17位只能是数字"


def test_resident_id_bad_last_character() -> None:
    error = error_of(validate_resident_id, "36042619910101007Y")
    assert error.code == "invalid_format"
    assert message(error) == "居民身份证号第18位“Y”无效：最后一位只能是数字或X"


def test_resident_id_wrong_check_digit() -> None:
    error = error_of(validate_resident_id, "360426199101010072")
    assert error.code == "invalid_checksum"
    assert "校验位错误" in message(error)
    assert "应为“1”，实际为“2”" in message(error)


def test_resident_id_impossible_birth_date() -> None:
    number = with_ric_check("44030619900230123")
    error = error_of(validate_resident_id, number)
    assert error.code == "invalid_birth_date"
    assert message(error) == "居民身份证号中的出生日期不存在：19900230"


def test_resident_id_birth_date_in_the_future() -> None:
    number = with_ric_check("11010520990101001")
    assert ric.is_valid(number)  # stdnum alone accepts it
    error = error_of(validate_resident_id, number)
    assert error.code == "invalid_birth_date"
    assert "晚于今天" in message(error)


def test_resident_id_unknown_region_in_known_province() -> None:
    # stdnum 2.2 raises KeyError here; it must still become a ValidationError.
    error = error_of(validate_resident_id, with_ric_check("36019919900101001"))
    assert error.code == "invalid_region"
    assert message(error) == "居民身份证号中的地址码（前6位）360199不是有效的行政区划代码"


def test_resident_id_unknown_province() -> None:
    error = error_of(validate_resident_id, with_ric_check("99000019900101001"))
    assert error.code == "invalid_region"
    assert "990000" in message(error)


def test_resident_id_region_abolished_before_birth() -> None:
    # 110103 崇文区 was merged into 东城区 in 2010.
    assert validate_resident_id(with_ric_check("11010319900101001"))
    error = error_of(validate_resident_id, with_ric_check("11010320150101001"))
    assert error.code == "invalid_region"
    assert message(error) == "居民身份证号中的地址码（前6位）110103在2015年不是有效的行政区划代码"


def test_resident_id_validator_returns_none_and_raises() -> None:
    resident_id_validator("360426199101010071")  # no exception
    with pytest.raises(ValidationError):
        resident_id_validator("360426199101010072")
