"""Deadlines: the words of a 完成时限 → a date (or none) and the words kept."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weijian.plans.importers.deadlines import Deadline, find_deadline, parse_deadline

D = datetime.date


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("2020年底前", D(2020, 12, 31)),
        ("2020年年底前", D(2020, 12, 31)),
        ("2020年底", D(2020, 12, 31)),
        ("2020年末", D(2020, 12, 31)),
        ("2020年前", D(2020, 12, 31)),
        ("2020年", D(2020, 12, 31)),
        ("2020年内完成", D(2020, 12, 31)),
        ("２０２０年底前", D(2020, 12, 31)),
        ("2020 年 底前", D(2020, 12, 31)),
        ("二〇二〇年底前", D(2020, 12, 31)),
        ("二○二〇年年底", D(2020, 12, 31)),
        ("2021年6月底前", D(2021, 6, 30)),
        ("2021年6月", D(2021, 6, 30)),
        ("2021年6月份", D(2021, 6, 30)),
        ("2020年2月底前", D(2020, 2, 29)),
        ("2021年六月底前", D(2021, 6, 30)),
        ("二〇二一年十二月底", D(2021, 12, 31)),
        ("2021年6月上旬", D(2021, 6, 10)),
        ("2021年6月中旬", D(2021, 6, 20)),
        ("2021年6月下旬", D(2021, 6, 30)),
        ("2020年12月31日前", D(2020, 12, 31)),
        ("2020年9月1日", D(2020, 9, 1)),
        ("２０２０年１２月３１日前", D(2020, 12, 31)),
        ("二〇二〇年十二月三十一日前", D(2020, 12, 31)),
        ("2020-12-31", D(2020, 12, 31)),
        ("2020.9.1前", D(2020, 9, 1)),
        ("2022年上半年", D(2022, 6, 30)),
        ("2022年年中", D(2022, 6, 30)),
        ("2022年下半年", D(2022, 12, 31)),
        ("2021年第三季度", D(2021, 9, 30)),
        ("2021年第一季度末", D(2021, 3, 31)),
        ("2021年四季度", D(2021, 12, 31)),
        ("2019—2020年", D(2020, 12, 31)),
        ("2019-2020年", D(2020, 12, 31)),
        ("2019年至2020年", D(2020, 12, 31)),
        ("“十三五”期间", D(2020, 12, 31)),
        ("十四五末", D(2025, 12, 31)),
        ("2020年底前，2022年底前全面完成", D(2022, 12, 31)),
        ("2022年底前全面完成，2020年底前取得阶段性成效", D(2022, 12, 31)),
        ("2020年6月底前启动，12月底前完成", D(2020, 12, 31)),
        ("2019年起实施，2021年底前完成", D(2021, 12, 31)),
    ],
)
def test_dated_words(words: str, expected: datetime.date) -> None:
    deadline = parse_deadline(words, doc_year=None)
    assert deadline.on == expected
    assert deadline.problem == ""


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("年内", D(2019, 12, 31)),
        ("年底前", D(2019, 12, 31)),
        ("当年", D(2019, 12, 31)),
        ("本年度", D(2019, 12, 31)),
        ("6月底前", D(2019, 6, 30)),
        ("第三季度", D(2019, 9, 30)),
        ("上半年", D(2019, 6, 30)),
        ("明年6月底前", D(2020, 6, 30)),
        ("次年3月", D(2020, 3, 31)),
    ],
)
def test_words_relative_to_the_documents_year(words: str, expected: datetime.date) -> None:
    assert parse_deadline(words, doc_year=2019).on == expected


def test_relative_words_without_a_year_are_a_problem() -> None:
    deadline = parse_deadline("年内", doc_year=None)
    assert deadline == Deadline(None, "年内", "文件年份不明，无法确定完成时限“年内”的年份")


@pytest.mark.parametrize(
    "words",
    ["长期坚持", "持续推进", "长期", "持续实施", "常态化开展", "每年6月底前", "自2019年起长期坚持"],
)
def test_open_ended_words_have_no_date_and_no_problem(words: str) -> None:
    deadline = parse_deadline(words, doc_year=2019)
    assert deadline.on is None
    assert deadline.text == words
    assert deadline.problem == ""
    assert deadline.open_ended


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("尽快", "无法识别完成时限“尽快”"),
        ("2021年2月30日", "完成时限“2021年2月30日”中的日期无效"),
        ("2021年13月", "完成时限“2021年13月”中的日期无效"),
        ("3000年底前", "完成时限“3000年底前”中的日期无效"),
    ],
)
def test_unreadable_words_give_a_problem_never_an_error(words: str, problem: str) -> None:
    deadline = parse_deadline(words, doc_year=2019)
    assert deadline.on is None
    assert deadline.problem == problem
    assert not deadline.open_ended


def test_empty_words() -> None:
    assert parse_deadline("  ", doc_year=2019) == Deadline(None, "")


def test_words_are_normalised_for_display() -> None:
    deadline = parse_deadline(" ２０２０年底前， ２０２２年底前全面完成 ", doc_year=None)
    assert deadline.text == "2020年底前，2022年底前全面完成"
    assert parse_deadline(deadline.text, doc_year=None) == deadline


@given(
    year=st.integers(1990, 2060),
    month=st.integers(1, 12),
    form=st.sampled_from(["{y}年{m}月底前", "{y}年{m}月", "{y}年{m}月底", "{y}年{m}月末前"]),
    wide=st.booleans(),
)
def test_any_month_end(year: int, month: int, form: str, wide: bool) -> None:
    words = form.format(y=year, m=month)
    if wide:
        words = words.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    on = parse_deadline(words, doc_year=None).on
    assert on is not None
    assert (on.year, on.month) == (year, month)
    assert (on + datetime.timedelta(days=1)).day == 1


@given(day=st.dates(D(1990, 1, 1), D(2060, 12, 31)))
def test_any_day(day: datetime.date) -> None:
    words = f"{day.year}年{day.month}月{day.day}日前"
    assert parse_deadline(words, doc_year=None).on == day
    assert parse_deadline(day.isoformat(), doc_year=None).on == day


@given(year=st.integers(1990, 2060), doc_year=st.none() | st.integers(1990, 2060))
def test_a_written_year_wins_over_the_documents_year(year: int, doc_year: int | None) -> None:
    assert parse_deadline(f"{year}年底前", doc_year=doc_year).on == D(year, 12, 31)


@given(st.text(max_size=30))
def test_never_raises(words: str) -> None:
    deadline = parse_deadline(words, doc_year=2020)
    assert deadline.on is not None or deadline.problem or deadline.open_ended or not deadline.text


# --- find_deadline -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "span"),
    [
        ("建立健全工作机制（2020年底前完成）。", D(2020, 12, 31), "（2020年底前完成）"),
        ("建立健全工作机制(2020年底前完成)。", D(2020, 12, 31), "(2020年底前完成)"),
        ("推进医联体建设。完成时限：2021年6月底前", D(2021, 6, 30), "完成时限：2021年6月底前"),
        ("推进医联体建设。时间要求:2021年6月底前。", D(2021, 6, 30), "时间要求:2021年6月底前"),
        (
            "推进医联体建设。完成时限：2021年6月底前，牵头单位：市卫健委",
            D(2021, 6, 30),
            "完成时限：2021年6月底前",
        ),
        ("推进医联体建设（完成时限：2021年底）。", D(2021, 12, 31), "（完成时限：2021年底）"),
        (
            "推进医联体建设（市卫健委牵头，市财政局配合，2020年底前完成）。",
            D(2020, 12, 31),
            "，2020年底前完成",
        ),
        ("建立制度。2020年底前完成。", D(2020, 12, 31), "2020年底前完成"),
        (
            "一是…（2019年底前完成）；二是…（2020年6月底前完成）。",
            D(2020, 6, 30),
            "（2020年6月底前完成）",
        ),
    ],
)
def test_found_in_a_task_text(text: str, expected: datetime.date, span: str) -> None:
    deadline = find_deadline(text, doc_year=2019)
    assert deadline is not None
    assert deadline.on == expected
    assert text[deadline.start : deadline.end] == span


def test_open_ended_phrase_in_a_task_text() -> None:
    deadline = find_deadline("加强日常监管（长期坚持）。", doc_year=2019)
    assert deadline is not None
    assert (deadline.on, deadline.text, deadline.open_ended) == (None, "长期坚持", True)


@pytest.mark.parametrize(
    "text",
    [
        "到2020年，二级以上医院全部开展日间手术。",
        "到2020年，每千常住人口执业（助理）医师数达到2.5人（2020年，全市平均）。",
        "加强基层医疗卫生机构建设（市卫健委牵头，市财政局配合）。",
        "完善分级诊疗制度，2020年底前基本建立。",
        "",
    ],
)
def test_no_deadline_in_ordinary_text(text: str) -> None:
    assert find_deadline(text, doc_year=2019) is None
