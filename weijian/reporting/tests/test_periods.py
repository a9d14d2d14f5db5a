"""Periods and a cycle's due rule: clamping to the month's end, the end of the due day, the next
working day, the window and the lock."""

from __future__ import annotations

import datetime

import pytest

from weijian.reporting.models import DueRule, ReportingCycle
from weijian.reporting.periods import SHANGHAI, Period, PeriodError, periods


@pytest.mark.parametrize(
    ("key", "start", "end", "label"),
    [
        ("2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), "2024年2月"),
        ("2023-02", datetime.date(2023, 2, 1), datetime.date(2023, 2, 28), "2023年2月"),
        ("2024-Q2", datetime.date(2024, 4, 1), datetime.date(2024, 6, 30), "2024年第二季度"),
        ("2024-H2", datetime.date(2024, 7, 1), datetime.date(2024, 12, 31), "2024年下半年"),
        ("2024", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), "2024年"),
    ],
)
def test_periods_read_their_keys(key, start, end, label):
    period = Period.parse(key)
    assert (period.start, period.end, period.label, period.key) == (start, end, label, key)


@pytest.mark.parametrize("key", ["2024-13", "2024-Q5", "24-05", "2024/05", ""])
def test_bad_keys_are_refused_in_chinese(key):
    with pytest.raises(PeriodError, match="填报期间"):
        Period.parse(key)


def test_periods_follow_each_other_across_the_year():
    assert Period.parse("2024-12").next().key == "2025-01"
    assert Period.parse("2025-Q1").previous().key == "2024-Q4"
    months = [
        p.key for p in periods("month", datetime.date(2024, 11, 15), datetime.date(2025, 2, 1))
    ]
    assert months == ["2024-11", "2024-12", "2025-01", "2025-02"]


def _cycle(**fields) -> ReportingCycle:
    return ReportingCycle(starts_on=datetime.date(2024, 1, 1), **fields)


def test_a_day_of_the_month_is_clamped_to_the_months_end():
    cycle = _cycle(due_day=30)
    assert cycle.due_date(Period.parse("2024-02")) == datetime.date(2024, 2, 29)
    assert cycle.due_date(Period.parse("2023-02")) == datetime.date(2023, 2, 28)
    assert cycle.due_date(Period.parse("2024-05")) == datetime.date(2024, 5, 30)
    assert _cycle(due_day=31).due_date(Period.parse("2024-04")) == datetime.date(2024, 4, 30)
    quarterly = _cycle(frequency="quarter", due_day=31)
    assert quarterly.due_date(Period.parse("2024-Q1")) == datetime.date(2024, 3, 31)


def test_due_means_the_end_of_the_due_day_in_shanghai():
    due = _cycle(due_day=31).due_at(Period.parse("2024-05"))
    assert due.tzinfo == SHANGHAI
    assert due.date() == datetime.date(2024, 5, 31)
    assert (due.hour, due.minute, due.second) == (23, 59, 59)


@pytest.mark.django_db
def test_days_after_the_period_and_the_next_working_day():
    after = _cycle(due_rule=DueRule.DAYS_AFTER, days_after=5)
    assert after.due_date(Period.parse("2024-09")) == datetime.date(2024, 10, 5)
    # National Day 2024: 1–7 October are holidays, so the 5th moves to Tuesday the 8th
    moved = _cycle(due_rule=DueRule.DAYS_AFTER, days_after=5, next_workday=True)
    assert moved.due_date(Period.parse("2024-09")) == datetime.date(2024, 10, 8)
    # 2024-10-12 is a Saturday made a working day (调休): it stays
    saturday = _cycle(due_day=12, next_workday=True)
    assert saturday.due_date(Period.parse("2024-10")) == datetime.date(2024, 10, 12)


def test_window_and_lock():
    cycle = _cycle(due_day=30, window_days=10, lock_after_days=5)
    period = Period.parse("2024-05")
    assert cycle.opens_on(period) == datetime.date(2024, 5, 20)
    locks = cycle.locks_at(period)
    assert locks is not None and locks.date() == datetime.date(2024, 6, 4)
    assert _cycle(due_day=30).opens_on(period) == period.start
    assert _cycle(due_day=30).locks_at(period) is None
