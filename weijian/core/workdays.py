"""Working-day arithmetic for Chinese statutory holidays.

A working day is Monday–Friday, minus statutory holidays, plus the weekend days made working
days (调休). The data comes from two sources:

* the `chinesecalendar` package, which covers 2004–2026;
* the tables `WorkdayYear` (a year whose arrangement was entered by hand) and `WorkdayOverride`
  (one day that is a holiday or a working day), edited by an administrator.

Overrides beat `chinesecalendar`. A year that is in neither source raises `WorkdayDataMissing`:
there is never a silent Monday–Friday fallback, because a deadline computed from a wrong calendar
is worse than an error. A year is known when `chinesecalendar` covers it or when it is declared
in `WorkdayYear`; in a declared year the baseline is Monday–Friday and the overrides say which
days differ. An override for a day in an unknown year does not make that day known: the year
must be declared first, so that a half-entered year is never trusted.

`WorkCalendar` is pure (no database); the module-level functions load one from the database
when no calendar is passed.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)


class WorkdayDataMissing(ValueError):
    """No holiday arrangement is known for a year; an administrator must enter it."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的法定节假日安排尚未录入，请安全管理员或系统管理员在“工作日调整”中录入后再试"
        )


@lru_cache(maxsize=16384)
def _package_is_workday(day: datetime.date) -> bool | None:
    """`chinesecalendar`'s answer, or None for a year the package does not cover."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def _require_date(day: datetime.date) -> None:
    # datetime is a subclass of date; its calendar day depends on a time zone the caller knows.
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        raise TypeError(
            f"expected a datetime.date, got {type(day).__name__}; "
            "convert with timezone.localdate(value) first"
        )


_CHINESE_NAMES = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}


def _package_holiday_name(day: datetime.date) -> str:
    try:
        _, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    return _CHINESE_NAMES.get(name, name or "")


@dataclass(frozen=True)
class SpecialDay:
    """A day whose status differs from Monday–Friday, or that an administrator overrode."""

    day: datetime.date
    is_workday: bool
    name: str
    overridden: bool


@dataclass(frozen=True)
class WorkCalendar:
    """The working-day calendar: `chinesecalendar` plus administrator overrides.

    `overrides` maps a day to True (a working day, e.g. 调休上班) or False (a holiday);
    `extra_years` are the years declared by hand beyond the package's coverage.
    """

    overrides: Mapping[datetime.date, bool] = field(default_factory=dict)
    extra_years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        # Freeze the mapping so the calendar cannot change under a running computation.
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))

    @classmethod
    def load(cls) -> WorkCalendar:
        """Read the override tables: one query for the days, one for the years."""
        from weijian.core.models import WorkdayOverride, WorkdayYear

        overrides = dict(WorkdayOverride.objects.values_list("day", "is_workday"))
        years = frozenset(WorkdayYear.objects.values_list("year", flat=True))
        return cls(overrides=overrides, extra_years=years)

    def is_workday(self, day: datetime.date) -> bool:
        """Whether `day` is a working day. Raises `WorkdayDataMissing` for an unknown year."""
        _require_date(day)
        from_package = _package_is_workday(day)
        if from_package is None and day.year not in self.extra_years:
            raise WorkdayDataMissing(day.year)
        if day in self.overrides:
            return self.overrides[day]
        if from_package is not None:
            return from_package
        return day.weekday() < 5

    def special_days(self, year: int) -> list[SpecialDay]:
        """The year's holidays on weekdays and working weekends (调休), plus every override.
        Raises `WorkdayDataMissing` for an unknown year."""
        day, found = datetime.date(year, 1, 1), []
        while day.year == year:
            working = self.is_workday(day)
            overridden = day in self.overrides
            if overridden or working != (day.weekday() < 5):
                name = "" if overridden else _package_holiday_name(day)
                found.append(SpecialDay(day, working, name, overridden))
            day += ONE_DAY
        return found

    def next_workday(self, day: datetime.date) -> datetime.date:
        """`day` itself if it is a working day, otherwise the first working day after it."""
        while not self.is_workday(day):
            day += ONE_DAY
        return day

    def add_workdays(self, start: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `start` (n > 0) or before it (n < 0).

        `start` itself is never counted, whether or not it is a working day: from Friday
        2024-02-09 (除夕, a working day that year), +1 is Sunday 2024-02-18 (调休), skipping
        the Spring Festival. The result
        of a non-zero n is always a working day. n = 0 returns `start` unchanged, even on a
        holiday (use `next_workday` to roll forward).
        """
        _require_date(start)
        step = ONE_DAY if n > 0 else -ONE_DAY
        day = start
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: datetime.date, end: datetime.date) -> int:
        """The signed number of working days passed on the way from `start` to `end`.

        `start` is excluded and `end` included, in either direction:
        for end > start it counts the working days in (start, end]; for end < start it is
        minus the count in [end, start); for end == start it is 0. This makes it the inverse
        of `add_workdays`: workdays_between(d, add_workdays(d, n)) == n for every n.
        Example: from 2024-02-09 to 2024-02-18 is 1 (only the 调休 Sunday).
        """
        _require_date(start)
        _require_date(end)
        if end >= start:
            first, last, sign = start + ONE_DAY, end, 1
        else:
            first, last, sign = end, start - ONE_DAY, -1
        count = 0
        day = first
        while day <= last:
            if self.is_workday(day):
                count += 1
            day += ONE_DAY
        return sign * count


def _calendar(calendar: WorkCalendar | None) -> WorkCalendar:
    return WorkCalendar.load() if calendar is None else calendar


def is_workday(day: datetime.date, *, calendar: WorkCalendar | None = None) -> bool:
    """Whether `day` is a working day (see `WorkCalendar.is_workday`)."""
    return _calendar(calendar).is_workday(day)


def next_workday(day: datetime.date, *, calendar: WorkCalendar | None = None) -> datetime.date:
    """`day` if it is a working day, else the next one (see `WorkCalendar.next_workday`)."""
    return _calendar(calendar).next_workday(day)


def add_workdays(
    start: datetime.date, n: int, *, calendar: WorkCalendar | None = None
) -> datetime.date:
    """The n-th working day after (n > 0) or before (n < 0) `start`, `start` not counted.

    See `WorkCalendar.add_workdays`.
    """
    return _calendar(calendar).add_workdays(start, n)


def workdays_between(
    start: datetime.date, end: datetime.date, *, calendar: WorkCalendar | None = None
) -> int:
    """Working days in (start, end], negative when end < start.

    See `WorkCalendar.workdays_between`.
    """
    return _calendar(calendar).workdays_between(start, end)
