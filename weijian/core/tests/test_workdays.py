from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_django import DjangoAssertNumQueries

from weijian.core.workdays import (
    WorkCalendar,
    WorkdayDataMissing,
    add_workdays,
    is_workday,
    next_workday,
    workdays_between,
)

D = datetime.date
PACKAGE = WorkCalendar()

# 2027 as an administrator would enter it: New Year's Day on a Friday, plus one made-up
# 调休 Saturday, so both kinds of override are exercised.
CAL_2027 = WorkCalendar(
    overrides={D(2027, 1, 1): False, D(2027, 1, 9): True},
    extra_years=frozenset({2027}),
)


# --- 2024 Spring Festival: holiday 02-10..02-17, 调休 Sundays 02-04 and 02-18 ---


def test_spring_festival_2024_adjusted_sundays_are_workdays() -> None:
    assert D(2024, 2, 4).weekday() == 6
    assert D(2024, 2, 18).weekday() == 6
    assert PACKAGE.is_workday(D(2024, 2, 4))
    assert PACKAGE.is_workday(D(2024, 2, 18))


def test_spring_festival_2024_holiday_days_including_weekdays_are_off() -> None:
    holiday = [D(2024, 2, 10) + datetime.timedelta(days=i) for i in range(8)]
    assert holiday[-1] == D(2024, 2, 17)
    assert not any(PACKAGE.is_workday(day) for day in holiday)
    # 2024-02-12..16 are Monday–Friday and still holidays.
    assert [day.weekday() for day in holiday[2:7]] == [0, 1, 2, 3, 4]


def test_add_workdays_jumps_over_spring_festival_to_adjusted_sunday() -> None:
    assert PACKAGE.add_workdays(D(2024, 2, 8), 1) == D(2024, 2, 9)
    assert PACKAGE.add_workdays(D(2024, 2, 9), 1) == D(2024, 2, 18)
    assert PACKAGE.add_workdays(D(2024, 2, 8), 2) == D(2024, 2, 18)
    assert PACKAGE.add_workdays(D(2024, 2, 9), 2) == D(2024, 2, 19)


def test_add_workdays_backwards_over_spring_festival() -> None:
    assert PACKAGE.add_workdays(D(2024, 2, 18), -1) == D(2024, 2, 9)
    assert PACKAGE.add_workdays(D(2024, 2, 19), -2) == D(2024, 2, 9)


def test_add_zero_workdays_returns_start_even_on_holiday() -> None:
    assert PACKAGE.add_workdays(D(2024, 2, 12), 0) == D(2024, 2, 12)


def test_add_workdays_from_a_holiday_does_not_count_the_start() -> None:
    assert PACKAGE.add_workdays(D(2024, 2, 12), 1) == D(2024, 2, 18)


def test_workdays_between_over_spring_festival() -> None:
    assert PACKAGE.workdays_between(D(2024, 2, 9), D(2024, 2, 18)) == 1
    # (02-01, 02-29]: February 2024 has 21 weekdays; minus 5 holiday weekdays (12–16), plus
    # the two adjusted Sundays, minus 02-01 itself (excluded start): 21 - 5 + 2 - 1 = 17.
    assert PACKAGE.workdays_between(D(2024, 2, 1), D(2024, 2, 29)) == 17


def test_workdays_between_zero_and_negative() -> None:
    assert PACKAGE.workdays_between(D(2024, 2, 12), D(2024, 2, 12)) == 0
    assert PACKAGE.workdays_between(D(2024, 2, 18), D(2024, 2, 9)) == -1
    # Within the holiday nothing is worked in either direction.
    assert PACKAGE.workdays_between(D(2024, 2, 10), D(2024, 2, 17)) == 0
    assert PACKAGE.workdays_between(D(2024, 2, 17), D(2024, 2, 10)) == 0


def test_next_workday() -> None:
    assert PACKAGE.next_workday(D(2024, 2, 9)) == D(2024, 2, 9)
    assert PACKAGE.next_workday(D(2024, 2, 10)) == D(2024, 2, 18)


# --- National Day 2024: holiday 10-01..10-07, 调休 Sunday 09-29 and Saturday 10-12 ---


def test_national_day_2024() -> None:
    assert PACKAGE.is_workday(D(2024, 9, 29))
    assert PACKAGE.is_workday(D(2024, 10, 12))
    assert not PACKAGE.is_workday(D(2024, 9, 28))
    assert not any(PACKAGE.is_workday(D(2024, 10, day)) for day in range(1, 8))
    assert PACKAGE.add_workdays(D(2024, 9, 30), 1) == D(2024, 10, 8)
    # Five working days from 09-27 (Friday): 09-29, 09-30, 10-08, 10-09, 10-10.
    assert PACKAGE.add_workdays(D(2024, 9, 27), 5) == D(2024, 10, 10)
    # (09-27, 10-12]: 09-29, 09-30, 10-08..11 and the adjusted Saturday 10-12.
    assert PACKAGE.workdays_between(D(2024, 9, 27), D(2024, 10, 12)) == 7


# --- years without data ---


def test_unknown_year_raises_with_year_in_message() -> None:
    with pytest.raises(WorkdayDataMissing) as caught:
        PACKAGE.is_workday(D(2027, 3, 1))
    assert caught.value.year == 2027
    assert "2027年" in str(caught.value)
    assert "工作日调整" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_arithmetic_running_into_unknown_year_raises() -> None:
    with pytest.raises(WorkdayDataMissing, match="2027年"):
        PACKAGE.add_workdays(D(2026, 12, 30), 5)
    with pytest.raises(WorkdayDataMissing, match="2003年"):
        PACKAGE.workdays_between(D(2004, 1, 5), D(2003, 12, 20))


def test_no_weekday_fallback_even_for_a_plain_weekday() -> None:
    assert D(2030, 3, 5).weekday() == 1
    with pytest.raises(WorkdayDataMissing):
        PACKAGE.is_workday(D(2030, 3, 5))


def test_override_in_undeclared_year_does_not_make_it_known() -> None:
    calendar = WorkCalendar(overrides={D(2027, 1, 1): False})
    with pytest.raises(WorkdayDataMissing):
        calendar.is_workday(D(2027, 1, 1))


# --- declared years and overrides ---


def test_declared_year_uses_weekdays_and_overrides() -> None:
    assert not CAL_2027.is_workday(D(2027, 1, 1))  # Friday, holiday override
    assert CAL_2027.is_workday(D(2027, 1, 4))  # plain Monday
    assert not CAL_2027.is_workday(D(2027, 1, 2))  # plain Saturday
    assert CAL_2027.is_workday(D(2027, 1, 9))  # Saturday, workday override
    assert CAL_2027.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert CAL_2027.add_workdays(D(2027, 1, 8), 1) == D(2027, 1, 9)
    # (2026-12-30, 2027-01-10]: 12-31, 01-04..08, 01-09 = 7
    assert CAL_2027.workdays_between(D(2026, 12, 30), D(2027, 1, 10)) == 7


def test_overrides_beat_the_package() -> None:
    calendar = WorkCalendar(
        overrides={D(2024, 2, 18): False, D(2024, 2, 12): True, D(2024, 3, 4): False}
    )
    assert not calendar.is_workday(D(2024, 2, 18))
    assert calendar.is_workday(D(2024, 2, 12))
    assert not calendar.is_workday(D(2024, 3, 4))
    assert calendar.add_workdays(D(2024, 2, 9), 1) == D(2024, 2, 12)
    assert calendar.add_workdays(D(2024, 2, 12), 1) == D(2024, 2, 19)


def test_calendar_overrides_are_frozen_copies() -> None:
    source = {D(2024, 3, 4): False}
    calendar = WorkCalendar(overrides=source)
    source[D(2024, 3, 4)] = True
    assert not calendar.is_workday(D(2024, 3, 4))
    with pytest.raises(TypeError):
        calendar.overrides[D(2024, 3, 5)] = False  # type: ignore[index]


def test_datetime_is_refused() -> None:
    moment = datetime.datetime(2024, 2, 18, 9, 0, tzinfo=datetime.UTC)
    with pytest.raises(TypeError, match="localdate"):
        PACKAGE.is_workday(moment)


def test_module_functions_accept_an_explicit_calendar() -> None:
    assert is_workday(D(2027, 1, 9), calendar=CAL_2027)
    assert next_workday(D(2027, 1, 1), calendar=CAL_2027) == D(2027, 1, 4)
    assert add_workdays(D(2024, 2, 8), 1, calendar=PACKAGE) == D(2024, 2, 9)
    assert workdays_between(D(2024, 2, 8), D(2024, 2, 18), calendar=PACKAGE) == 2


# --- properties ---

dates_2005_2025 = st.dates(min_value=D(2005, 1, 1), max_value=D(2025, 12, 31))


@settings(max_examples=200, deadline=None)
@given(start=dates_2005_2025, n=st.integers(min_value=0, max_value=250))
def test_workdays_between_inverts_add_workdays(start: datetime.date, n: int) -> None:
    end = PACKAGE.add_workdays(start, n)
    assert PACKAGE.workdays_between(start, end) == n
    if n > 0:
        assert end > start
        assert PACKAGE.is_workday(end)


@settings(max_examples=100, deadline=None)
@given(start=dates_2005_2025, n=st.integers(min_value=-250, max_value=-1))
def test_workdays_between_inverts_add_workdays_backwards(start: datetime.date, n: int) -> None:
    end = PACKAGE.add_workdays(start, n)
    assert end < start
    assert PACKAGE.is_workday(end)
    assert PACKAGE.workdays_between(start, end) == n


@settings(max_examples=100, deadline=None)
@given(day=dates_2005_2025)
def test_next_workday_is_first_workday_on_or_after(day: datetime.date) -> None:
    result = PACKAGE.next_workday(day)
    assert PACKAGE.is_workday(result)
    assert PACKAGE.workdays_between(day, result) == (0 if result == day else 1)


# --- loading from the database ---


@pytest.mark.django_db
def test_module_functions_load_the_calendar_from_the_database(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    from weijian.core.models import WorkdayOverride, WorkdayYear

    WorkdayYear.objects.create(year=2027, source="测试用节假日安排")
    WorkdayOverride.objects.create(day=D(2027, 1, 1), is_workday=False, name="元旦")
    WorkdayOverride.objects.create(day=D(2024, 2, 18), is_workday=False, name="测试改为休息")

    with django_assert_num_queries(2):
        calendar = WorkCalendar.load()
    assert calendar.extra_years == frozenset({2027})
    assert calendar.overrides == {D(2027, 1, 1): False, D(2024, 2, 18): False}

    assert not is_workday(D(2027, 1, 1))
    assert next_workday(D(2027, 1, 1)) == D(2027, 1, 4)
    assert add_workdays(D(2024, 2, 9), 1) == D(2024, 2, 19)
    assert workdays_between(D(2024, 2, 9), D(2024, 2, 19)) == 1
    with pytest.raises(WorkdayDataMissing, match="2028年"):
        is_workday(D(2028, 1, 3))


def test_special_days_list_the_2024_spring_festival_with_chinese_names():
    special = {entry.day: entry for entry in WorkCalendar().special_days(2024)}
    assert special[datetime.date(2024, 2, 4)].is_workday  # a Sunday made a working day
    assert special[datetime.date(2024, 2, 4)].name == "春节"
    assert not special[datetime.date(2024, 2, 12)].is_workday
    assert special[datetime.date(2024, 2, 12)].name == "春节"
    assert (
        datetime.date(2024, 2, 10) not in special
    )  # a Saturday holiday is no exception to Mon–Fri
    assert datetime.date(2024, 3, 5) not in special


def test_special_days_show_overrides_and_refuse_unknown_years():
    calendar = WorkCalendar(overrides={datetime.date(2024, 3, 5): False})
    entry = next(e for e in calendar.special_days(2024) if e.day == datetime.date(2024, 3, 5))
    assert entry.overridden and not entry.is_workday
    with pytest.raises(WorkdayDataMissing):
        WorkCalendar().special_days(2031)
