from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weijian.core.docnumbers import (
    CANONICAL,
    DocNumber,
    DocNumberError,
    find_docnumbers,
    parse_docnumber,
)

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


@pytest.mark.parametrize(
    ("text", "issuer", "year", "serial"),
    [
        ("萍府办发〔2019〕36号", "萍府办发", 2019, 36),
        ("萍府办发[2019]036号", "萍府办发", 2019, 36),
        ("赣府厅发【2019】1号", "赣府厅发", 2019, 1),
        ("国办发(2015)58号", "国办发", 2015, 58),
        ("国办发（2015）58号", "国办发", 2015, 58),
        ("国办发［2015］58号", "国办发", 2015, 58),
        ("国办发﹝2015﹞58号", "国办发", 2015, 58),
        ("国办发〈2015〉58号", "国办发", 2015, 58),
        ("国发 〔２０１９〕 ５ 号", "国发", 2019, 5),
        ("\u3000国发[ 2019 ]0005号 ", "国发", 2019, 5),
        ("国办发〔2015〕第58号", "国办发", 2015, 58),
    ],
)
def test_parse_accepts_variants_and_normalises(
    text: str, issuer: str, year: int, serial: int
) -> None:
    number = parse_docnumber(text)
    assert number == DocNumber(issuer=issuer, year=year, serial=serial)
    assert str(number) == f"{issuer}〔{year}〕{serial}号"
    assert CANONICAL.fullmatch(str(number))


def test_the_normalisation_example_from_the_rules() -> None:
    assert str(parse_docnumber("萍府办发[2019]036号")) == "萍府办发〔2019〕36号"


@pytest.mark.parametrize(
    ("text", "issuer", "serial"),
    [
        ("国令第672号", "国令", 672),
        ("国令第0672号", "国令", 672),
        ("国务院令 第 149 号", "国务院令", 149),
        ("国家卫生和计划生育委员会令（第10号）", "国家卫生和计划生育委员会令", 10),
    ],
)
def test_parse_order_numbers_keep_di_and_have_no_year(text: str, issuer: str, serial: int) -> None:
    number = parse_docnumber(text)
    assert number == DocNumber(issuer=issuer, year=None, serial=serial)
    assert str(number) == f"{issuer}第{serial}号"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("萍府办发36号", "缺少年份"),
        ("萍府办发〔〕36号", "缺少年份"),
        ("国办发第5号", "缺少年份"),
        ("萍府办发〔19〕36号", "年份应为4位数字"),
        ("国办发〔1800〕5号", "超出合理范围"),
        ("国办发〔2015〕0号", "序号不能为0"),
        ("国办发〔2015〕000号", "序号不能为0"),
        ("国令第0号", "序号不能为0"),
        ("国办发〔2015〕", "缺少序号"),
        ("国办发〔2015〕号", "缺少序号"),
        ("国办发〔2015〕58", "缺少“号”字"),
        ("国办发〔2015〕五十八号", "序号应为数字"),
        ("〔2019〕36号", "缺少发文机关代字"),
        ("ABC〔2019〕1号", "只能由汉字组成"),
    ],
)
def test_parse_errors_name_the_problem(text: str, problem: str) -> None:
    with pytest.raises(DocNumberError) as caught:
        parse_docnumber(text)
    assert problem in str(caught.value)
    assert caught.value.problem is not None
    assert problem in caught.value.problem
    assert text.strip() in str(caught.value)


@pytest.mark.parametrize("text", ["", "hello", "各县〔区〕人民政府", "2019年10月16日"])
def test_parse_rejects_non_docnumbers(text: str) -> None:
    with pytest.raises(DocNumberError) as caught:
        parse_docnumber(text)
    assert isinstance(caught.value, ValueError)
    assert "不是" in str(caught.value) or "为空" in str(caught.value)


def test_parse_rejects_plain_text_as_not_a_docnumber() -> None:
    with pytest.raises(DocNumberError, match="不是发文字号"):
        parse_docnumber("这是一段普通文字")


def test_docnumber_validates_its_fields() -> None:
    with pytest.raises(DocNumberError, match="序号不能为0"):
        DocNumber(issuer="国发", year=2019, serial=0)
    with pytest.raises(DocNumberError, match="缺少年份"):
        DocNumber(issuer="国发", year=None, serial=1)
    with pytest.raises(DocNumberError, match="汉字"):
        DocNumber(issuer="GF", year=2019, serial=1)


def test_find_in_running_text() -> None:
    text = (
        "根据国办发〔2015〕58号和国发[2019]5号文件精神，按照《医疗机构管理条例》（国务院令第149号）"
        "及国家卫生和计划生育委员会令第10号、中华人民共和国国务院令 第 672 号的要求，"
        "各县〔区〕人民政府结合印发的赣卫监督字（２０２０）００３号执行，再次引用国办发【2015】058号，"
        "错误的国办发〔2015〕0号不计。"
    )
    assert [str(number) for number in find_docnumbers(text)] == [
        "国办发〔2015〕58号",
        "国发〔2019〕5号",
        "国务院令第149号",
        "国家卫生和计划生育委员会令第10号",
        "中华人民共和国国务院令第672号",
        "赣卫监督字〔2020〕3号",
    ]


def test_find_in_nothing() -> None:
    assert find_docnumbers("") == []
    assert find_docnumbers("各县〔区〕人民政府、萍乡经济技术开发区管委会") == []


def test_find_in_seed_document() -> None:
    seed = SEEDS / "002_d29a3f915712a468.txt"
    if not seed.exists():
        pytest.skip(f"seed documents not found at {seed}")
    found = find_docnumbers(seed.read_text(encoding="utf-8"))
    assert DocNumber(issuer="萍府办发", year=2019, serial=36) in found
    assert DocNumber(issuer="赣府厅发", year=2019, serial=1) in found
    assert [str(number) for number in found] == [
        "萍府办发〔2019〕36号",
        "赣府厅发〔2019〕1号",
        "中办发〔2018〕35号",
        "法发〔2014〕5号",
    ]


# --- properties ---

HAN_CHARS = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
BRACKETS = st.sampled_from(["〔〕", "[]", "【】", "()", "（）", "［］", "﹝﹞", "〈〉", "〖〗"])
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SPACE = st.sampled_from(["", "", " ", "\u3000", "\t"])


@st.composite
def messy_docnumbers(draw: st.DrawFn) -> tuple[str, DocNumber]:
    issuer = draw(st.text(HAN_CHARS, min_size=1, max_size=8))
    year = draw(st.integers(min_value=1900, max_value=2100))
    serial = draw(st.integers(min_value=1, max_value=99999))
    bracket = draw(BRACKETS)
    zeros = "0" * draw(st.integers(min_value=0, max_value=3))
    year_text, serial_text = str(year), zeros + str(serial)
    if draw(st.booleans()):
        year_text, serial_text = year_text.translate(FULL_WIDTH), serial_text.translate(FULL_WIDTH)
    di = draw(st.sampled_from(["", "第"]))
    parts = [issuer, bracket[0], year_text, bracket[1], di, serial_text, "号"]
    text = "".join(part + draw(SPACE) for part in parts)
    return text, DocNumber(issuer=issuer, year=year, serial=serial)


@given(messy_docnumbers())
def test_messy_input_parses_to_the_intended_number(case: tuple[str, DocNumber]) -> None:
    text, expected = case
    number = parse_docnumber(text)
    assert number == expected
    assert CANONICAL.fullmatch(str(number))


def assert_fixed_point(text: str) -> None:
    try:
        number = parse_docnumber(text)
    except DocNumberError:
        return
    canonical = str(number)
    assert parse_docnumber(canonical) == number
    assert str(parse_docnumber(canonical)) == canonical


@given(messy_docnumbers())
def test_canonical_form_is_a_fixed_point(case: tuple[str, DocNumber]) -> None:
    assert_fixed_point(case[0])


@given(st.text(st.sampled_from("国令发办第号〔〕[]（）0１2 9")))
def test_any_parseable_text_has_a_fixed_point(text: str) -> None:
    assert_fixed_point(text)


@given(
    st.text(HAN_CHARS, min_size=1, max_size=12).map(lambda s: s + "令"),
    st.integers(min_value=1, max_value=9999),
)
def test_order_numbers_round_trip(issuer: str, serial: int) -> None:
    number = DocNumber(issuer=issuer, year=None, serial=serial)
    assert parse_docnumber(str(number)) == number
