"""Is the office open? Seed 000's 临江 bureau: 8:30—11:30 every morning; afternoons 13:00—16:30 in
秋冬 (10-01 to 04-30, across the year end) and 13:30—17:00 in 春夏 (05-01 to 09-30). Working days
come from core.workdays: 2024-10-01 is 国庆节, Sunday 2024-02-04 and Sunday 2024-09-29 are 调休
working days. No database: the calendar is chinesecalendar's (it covers 2004–2026)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone

from weijian.core.workdays import WorkCalendar
from weijian.orgs.office_hours import (
    SHANGHAI,
    Schedule,
    day_text,
    season_for,
    status,
)

T = datetime.time
AUTUMN_WINTER = Schedule("秋冬", (10, 1), (4, 30), ((T(8, 30), T(11, 30)), (T(13), T(16, 30))))
SPRING_SUMMER = Schedule("春夏", (5, 1), (9, 30), ((T(8, 30), T(11, 30)), (T(13, 30), T(17))))
LINJIANG = [SPRING_SUMMER, AUTUMN_WINTER]
CALENDAR = WorkCalendar()


def at(text: str) -> datetime.datetime:
    """A moment in Beijing time: at('2024-11-25 09:00')."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def message(text: str, schedules: list[Schedule] = LINJIANG) -> str:
    return status(schedules, at(text), CALENDAR).message


# --- seasons ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "season"),
    [
        ("2024-04-30", "秋冬"),
        ("2024-05-01", "春夏"),
        ("2024-09-30", "春夏"),
        ("2024-10-01", "秋冬"),
        ("2024-12-31", "秋冬"),
        ("2025-01-01", "秋冬"),
        ("2024-02-29", "秋冬"),
    ],
)
def test_season_for_wraps_the_year_end(day, season):
    schedule = season_for(LINJIANG, datetime.date.fromisoformat(day))
    assert schedule is not None and schedule.season == season


def test_a_schedule_without_dates_applies_all_year_and_yields_to_dated_seasons():
    all_year = Schedule("全年", None, None, ((T(9), T(12)), (T(14), T(18))))
    summer = Schedule("夏季", (7, 1), (8, 31), ((T(8), T(12)),))
    assert season_for([all_year], datetime.date(2024, 3, 3)) == all_year
    assert season_for([all_year, summer], datetime.date(2024, 7, 15)) == summer
    assert season_for([all_year, summer], datetime.date(2024, 9, 1)) == all_year
    assert season_for([summer], datetime.date(2024, 9, 1)) is None


def test_period_text_says_when_a_season_runs_into_the_next_year():
    assert AUTUMN_WINTER.period_text == "10月1日至次年4月30日"
    assert SPRING_SUMMER.period_text == "5月1日至9月30日"
    assert Schedule("全年", None, None, ()).period_text == "全年"


def test_from_model_reads_the_office_hours_row():
    row = SimpleNamespace(
        season="秋冬",
        start_month=10,
        start_day=1,
        end_month=4,
        end_day=30,
        morning_start=T(8, 30),
        morning_end=T(11, 30),
        afternoon_start=T(13),
        afternoon_end=T(16, 30),
    )
    assert Schedule.from_model(row) == AUTUMN_WINTER  # type: ignore[arg-type]
    row.start_month = row.start_day = row.end_month = row.end_day = None
    row.afternoon_start = row.afternoon_end = None
    assert Schedule.from_model(row) == Schedule("秋冬", None, None, ((T(8, 30), T(11, 30)),))  # type: ignore[arg-type]


# --- 秋冬 -----------------------------------------------------------------------------------


def test_autumn_working_morning_is_open():
    answer = status(LINJIANG, at("2024-11-25 09:00"), CALENDAR)
    assert answer.is_open
    assert answer.message == "现在办公（上午 8:30—11:30）"
    assert answer.season == "秋冬"


def test_autumn_lunch_break_says_when_the_afternoon_starts():
    answer = status(LINJIANG, at("2024-11-25 12:10"), CALENDAR)
    assert not answer.is_open
    assert answer.message == "午间休息，下午 13:00 开始办公"


def test_autumn_afternoon_uses_the_autumn_times():
    assert message("2024-11-25 13:15") == "现在办公（下午 13:00—16:30）"
    assert message("2024-11-25 16:45") == "已下班，下次办公时间：11月26日（星期二）8:30"


def test_before_the_morning_session():
    answer = status(LINJIANG, at("2024-11-25 07:50"), CALENDAR)
    assert not answer.is_open
    assert answer.message == "尚未开始办公，今天上午 8:30 开始办公"
    assert answer.next_opening == at("2024-11-25 08:30")


def test_the_opening_minute_is_open_and_the_closing_minute_is_not():
    assert status(LINJIANG, at("2024-11-25 08:30"), CALENDAR).is_open
    assert not status(LINJIANG, at("2024-11-25 11:30"), CALENDAR).is_open


def test_autumn_saturday_is_a_rest_day():
    answer = status(LINJIANG, at("2024-11-30 10:00"), CALENDAR)
    assert not answer.is_open
    assert answer.message == "今天是休息日，下次办公时间：12月2日（星期一）8:30"


def test_statutory_holiday_names_the_holiday_and_skips_to_the_end_of_it():
    answer = status(LINJIANG, at("2024-10-01 10:00"), CALENDAR)
    assert not answer.is_open
    assert answer.message == "今天是法定节假日（国庆节），下次办公时间：10月8日（星期二）8:30"
    # A Saturday inside the holiday is still the holiday.
    assert message("2024-10-05 10:00").startswith("今天是法定节假日（国庆节）")


def test_autumn_adjusted_working_sunday_is_open():
    # Sunday 2024-02-04 is a working day (调休 for the Spring Festival), in 秋冬.
    assert message("2024-02-04 09:00") == "现在办公（上午 8:30—11:30）"
    assert message("2024-02-04 14:00") == "现在办公（下午 13:00—16:30）"


def test_spring_festival_eve_after_hours_skips_the_whole_holiday():
    # Friday 2024-02-09 (除夕) is a working day that year; the holiday runs from 02-10 to 02-17,
    # and Sunday 02-18 is a 调休 working day.
    assert message("2024-02-09 17:00") == "已下班，下次办公时间：2月18日（星期日）8:30"
    assert message("2024-02-12 09:00") == (
        "今天是法定节假日（春节），下次办公时间：2月18日（星期日）8:30"
    )


# --- 春夏 -----------------------------------------------------------------------------------


def test_spring_working_morning_is_open():
    answer = status(LINJIANG, at("2024-06-03 10:00"), CALENDAR)
    assert answer.is_open and answer.season == "春夏"
    assert answer.message == "现在办公（上午 8:30—11:30）"


def test_spring_lunch_break_lasts_until_half_past_one():
    # At 13:15 the autumn office would be open; in spring it is still the lunch break.
    assert message("2024-06-03 13:15") == "午间休息，下午 13:30 开始办公"
    assert message("2024-06-03 16:45") == "现在办公（下午 13:30—17:00）"
    assert message("2024-06-03 17:00") == "已下班，下次办公时间：6月4日（星期二）8:30"


def test_spring_saturday_before_a_monday_holiday():
    # Monday 2024-06-10 is 端午节, so after Saturday the office opens on Tuesday.
    assert message("2024-06-08 09:00") == "今天是休息日，下次办公时间：6月11日（星期二）8:30"


def test_spring_statutory_holiday():
    answer = status(LINJIANG, at("2024-05-01 09:00"), CALENDAR)
    assert not answer.is_open
    assert answer.message == "今天是法定节假日（劳动节），下次办公时间：5月6日（星期一）8:30"


def test_spring_adjusted_working_sunday_is_open_until_five():
    # Sunday 2024-09-29 is a working day (调休 for 国庆节), still in 春夏.
    assert message("2024-09-29 09:00") == "现在办公（上午 8:30—11:30）"
    assert message("2024-09-29 16:45") == "现在办公（下午 13:30—17:00）"


def test_a_weekday_statutory_holiday_is_not_a_working_day():
    # Monday 2024-06-10 (端午节) would be a working day by the weekday alone.
    assert message("2024-06-10 09:00").startswith("今天是法定节假日（端午节）")


# --- across seasons and years -----------------------------------------------------------


def test_next_opening_in_another_season_uses_that_seasons_morning():
    winter = Schedule("冬季", (10, 1), (4, 30), ((T(9), T(12)), (T(13), T(17))))
    summer = Schedule("夏季", (5, 1), (9, 30), ((T(8), T(11, 30)), (T(14), T(17, 30))))
    schedules = [winter, summer]
    # Tuesday 2024-04-30 after hours (winter); 05-01 to 05-05 are 劳动节; 05-06 is summer.
    assert message("2024-04-30 17:30", schedules) == "已下班，下次办公时间：5月6日（星期一）8:00"
    # Monday 2024-09-30 after hours (summer); 国庆节 to 10-07; 10-08 is winter.
    answer = status(schedules, at("2024-09-30 18:00"), CALENDAR)
    assert answer.message == "已下班，下次办公时间：10月8日（星期二）9:00"
    assert answer.next_opening == at("2024-10-08 09:00")


def test_year_end_after_hours_skips_new_years_day():
    assert message("2024-12-31 17:00") == "已下班，下次办公时间：1月2日（星期四）8:30"
    assert (
        message("2025-01-01 09:00")
        == "今天是法定节假日（元旦），下次办公时间：1月2日（星期四）8:30"
    )
    assert message("2025-01-02 09:00") == "现在办公（上午 8:30—11:30）"


def test_a_moment_in_another_time_zone_is_read_in_beijing_time():
    # 01:30 UTC is 09:30 in Beijing.
    moment = datetime.datetime(2024, 11, 25, 1, 30, tzinfo=datetime.UTC)
    assert status(LINJIANG, moment, CALENDAR).is_open


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="aware"):
        status(LINJIANG, datetime.datetime(2024, 11, 25, 9), CALENDAR)  # noqa: DTZ001


def test_frozen_clock_on_a_working_morning():
    with time_machine.travel(at("2024-11-25 10:00"), tick=False):
        answer = status(LINJIANG, timezone.now(), CALENDAR)
    assert answer.is_open and answer.message == "现在办公（上午 8:30—11:30）"


# --- calendar overrides and missing data --------------------------------------------------


def test_overrides_from_core_workdays_decide_the_working_day():
    # An administrator made Monday 2024-11-25 a day off and Saturday 11-30 a working day.
    calendar = WorkCalendar(
        overrides={datetime.date(2024, 11, 25): False, datetime.date(2024, 11, 30): True}
    )
    closed = status(LINJIANG, at("2024-11-25 09:00"), calendar)
    assert closed.message == "今天是节假日，下次办公时间：11月26日（星期二）8:30"
    assert status(LINJIANG, at("2024-11-30 09:00"), calendar).is_open


def test_an_unknown_year_says_the_arrangement_is_not_entered():
    answer = status(LINJIANG, at("2031-03-03 09:00"), CALENDAR)
    assert not answer.is_open and not answer.calendar_known
    assert answer.message == "2031年法定节假日安排尚未录入，暂无法确定今天是否办公"


def test_a_declared_year_uses_monday_to_friday():
    calendar = WorkCalendar(extra_years=frozenset({2031}))
    assert status(LINJIANG, at("2031-03-03 09:00"), calendar).is_open


def test_the_next_opening_in_an_unknown_year_is_not_guessed():
    # 2026 is covered by chinesecalendar, 2027 is not (yet).
    answer = status(LINJIANG, at("2026-12-31 17:00"), CALENDAR)
    assert not answer.is_open and not answer.calendar_known
    assert answer.message == "已下班，下次办公时间暂无法确定（2027年法定节假日安排尚未录入）"


def test_no_schedules_and_gaps_between_seasons():
    assert message("2024-11-25 09:00", []) == "暂未公布办公时间"
    summer_only = [Schedule("夏季", (7, 1), (8, 31), ((T(8), T(12)),))]
    assert message("2024-11-25 09:00", summer_only) == (
        "今天不在办公时段内，下次办公时间：7月1日（星期二）8:00"
    )


def test_day_text_names_the_weekday():
    assert day_text(datetime.date(2026, 11, 25)) == "11月25日（星期三）"
    assert day_text(datetime.date(2024, 9, 29)) == "9月29日（星期日）"
